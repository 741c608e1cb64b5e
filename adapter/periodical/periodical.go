package periodical

import (
	"time"

	"github.com/isb-region/shepadapter/adapter"
)

// Namespace of the service's documents.
const Namespace = "urn:kz:gov:isb:periodical:v1"

// NSDSig is the XML-DSig namespace of the enveloped ds:Signature.
const NSDSig = "http://www.w3.org/2000/09/xmldsig#"

// ServiceID is this service's serviceId on the gateway.
const ServiceID = "ISB_FOREIGN_PERIODICAL_REGISTRATION"

// MaxAttachmentSize bounds one attachment's decoded content (10 MiB), as in
// the schema's Content type.
const MaxAttachmentSize = 10 << 20

// Applicant kinds.
const (
	KindIndividual = "individual" // an IIN
	KindLegal      = "legal"      // a BIN
)

// Periodicities.
const (
	Daily       = "daily"
	Weekly      = "weekly"
	Fortnightly = "fortnightly"
	Monthly     = "monthly"
	Quarterly   = "quarterly"
	Semiannual  = "semiannual"
	Annual      = "annual"
	Irregular   = "irregular"
)

var periodicities = []string{Daily, Weekly, Fortnightly, Monthly, Quarterly, Semiannual, Annual, Irregular}

// Services is the set of serviceIds whose data is this package's documents;
// DefaultServices holds ServiceID, configuration may add others (a test
// id, a second region's id).
type Services []string

// DefaultServices returns the services served by default.
func DefaultServices() Services { return Services{ServiceID} }

// Check returns nil if id is one of s, else an *adapter.Error with
// CodeUnknownService.
func (s Services) Check(id string) error {
	for _, x := range s {
		if x == id {
			return nil
		}
	}
	return adapter.Errorf(adapter.CodeUnknownService, "periodical.Services", "serviceId %q is not served here", clip(id))
}

// Options tune DecodeApplication.
type Options struct {
	// CheckIIN verifies the IIN/BIN check digit and structure (on in
	// production; the authority's test certificates fail it).
	CheckIIN bool
}

// Contacts of the applicant.
type Contacts struct {
	Phone   string // +?10..15 digits
	Email   string // optional
	Address string
}

// Applicant is who files the application.
type Applicant struct {
	ID       string // IIN (individual) or BIN (legal)
	Kind     string // KindIndividual or KindLegal
	Name     string
	Contacts Contacts
}

// ApplicantRef names the applicant in the result documents.
type ApplicantRef struct {
	ID   string
	Kind string
	Name string
}

// Publication is the foreign periodical to be registered.
type Publication struct {
	Title           string
	CountryOfOrigin string // ISO 3166-1 alpha-2
	Owner           string
	Languages       []string // ISO 639-1/-2 codes, at least one
	Periodicity     string   // Daily, Weekly, …
	Subject         string
	Territory       []string // districts and cities of the region, at least one
}

// Attachment is a scanned document proving the right to do business.
type Attachment struct {
	FileName  string
	MediaType string
	SHA256    string // lowercase hex, checked against Content
	Content   []byte
}

// Application is a decoded, validated application.
type Application struct {
	ID          string // the ID attribute, when present
	Applicant   Applicant
	Publication Publication
	Attachments []Attachment
	Signed      bool // the element ends with a ds:Signature
}

// ApplicantID is the applicant's IIN or BIN.
func (a *Application) ApplicantID() string { return a.Applicant.ID }

// IssuedBy is the department and official who issue a result.
type IssuedBy struct {
	Department string
	Official   string
	Position   string // optional
}

// Certificate is the registration certificate (анықтама).
type Certificate struct {
	ID            string // optional ID attribute, the signature's reference target
	Number        string
	RequestNumber string // adapter.FormatNumber's form
	IssueDate     time.Time
	Publication   Publication
	Applicant     ApplicantRef
	IssuedBy      IssuedBy
}

// Reason is one ground of a refusal.
type Reason struct {
	Code string // [A-Z0-9_]{1,50}
	Text string
}

// Refusal is the reasoned refusal.
type Refusal struct {
	ID            string // optional ID attribute
	RequestNumber string
	Date          time.Time
	Applicant     ApplicantRef
	Reasons       []Reason // at least one
	LegalBasis    string
	IssuedBy      IssuedBy
}

// Step is one regulation step in a status answer.
type Step struct {
	Code       string
	Title      string // optional
	StartedAt  time.Time
	FinishedAt time.Time // zero while the step runs
}

// StatusQuery asks where a request stands.
type StatusQuery struct {
	ApplicantID   string
	RequestNumber string
}

// StatusAnswer tells where a request stands.
type StatusAnswer struct {
	ApplicantID   string
	RequestNumber string
	ServiceID     string
	Status        adapter.Status
	Deadline      time.Time
	History       []Step
}
