package soap

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
)

// Namespaces of the contract.
const (
	NSEnvelope     = "http://schemas.xmlsoap.org/soap/envelope/"
	NSEnvelope12   = "http://www.w3.org/2003/05/soap-envelope"
	NSCommon       = "http://bip.bee.kz/common/v10/types"
	NSSync         = "http://bip.bee.kz/SyncChannel/v10/Types"
	NSAsync        = "http://bip.bee.kz/AsyncChannel/v10/Types"
	NSAsyncClient  = "http://bip.bee.kz/AsyncChannel/v10/Types/Client"
	NSXSI          = "http://www.w3.org/2001/XMLSchema-instance"
	maxErrorDepth  = 8
	maxPropertyKey = 30
	maxPropertyVal = 500
	maxStatusMsg   = 250
)

// kzZone is the zone given to an xsd:dateTime without a timezone: the
// gateway runs on Kazakhstan time (UTC+5 since 1 March 2024).
var kzZone = time.FixedZone("UTC+5", 5*3600)

var (
	sessionRe  = regexp.MustCompile(`^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$`)
	dateTimeRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$`)
)

// ValidSessionID reports whether s is a braced GUID, the contract's sessionId.
func ValidSessionID(s string) bool { return sessionRe.MatchString(s) }

// ParseDateTime parses an xsd:dateTime as the gateway writes it. A value
// without a timezone is read as Kazakhstan time (UTC+5). Years outside
// 0000-9999 and the 24:00:00 form are refused.
func ParseDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s) // xsd:dateTime collapses whitespace
	if !dateTimeRe.MatchString(s) {
		return time.Time{}, false
	}
	if strings.HasSuffix(s, "Z") || strings.LastIndexAny(s, "+-") > len("2006-01-02") {
		t, err := time.Parse(time.RFC3339Nano, s)
		return t, err == nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, kzZone)
	return t, err == nil
}

// FormatDateTime writes t as an xsd:dateTime with milliseconds and offset.
func FormatDateTime(t time.Time) string {
	return t.Format("2006-01-02T15:04:05.000Z07:00")
}

// cursor walks the element children of one parent in the contract's order.
type cursor struct {
	op   string
	path string // e.g. "requestInfo", used in messages
	kids []*etree.Element
	i    int
	err  error
}

func newCursor(op, path string, parent *etree.Element) *cursor {
	c := &cursor{op: op, path: path, kids: parent.ChildElements()}
	for _, t := range parent.Child {
		if cd, ok := t.(*etree.CharData); ok && strings.TrimSpace(cd.Data) != "" {
			c.fail("%s: unexpected text content", path)
			break
		}
	}
	return c
}

func (c *cursor) fail(format string, args ...any) {
	if c.err == nil {
		c.err = adapter.Errorf(adapter.CodeSchema, c.op, format, args...)
	}
}

// next consumes the child called name (unqualified) if it comes next. A
// required child that is not next is reported as missing or out of order.
func (c *cursor) next(name string, required bool) *etree.Element {
	if c.err != nil {
		return nil
	}
	if c.i < len(c.kids) && c.kids[c.i].Tag == name {
		el := c.kids[c.i]
		if ns := el.NamespaceURI(); ns != "" {
			c.fail("%s/%s must be unqualified, found namespace %q", c.path, name, ns)
			return nil
		}
		c.i++
		return el
	}
	if !required {
		return nil
	}
	for j := c.i + 1; j < len(c.kids); j++ {
		if c.kids[j].Tag == name {
			c.fail("%s/%s is out of order: found %s where %s expected", c.path, name, clip(c.kids[c.i].Tag), name)
			return nil
		}
	}
	c.fail("%s/%s is missing", c.path, name)
	return nil
}

// all consumes every consecutive child called name.
func (c *cursor) all(name string) []*etree.Element {
	var out []*etree.Element
	for c.err == nil && c.i < len(c.kids) && c.kids[c.i].Tag == name {
		out = append(out, c.next(name, true))
	}
	return out
}

// end reports children left over after the contract's sequence.
func (c *cursor) end() error {
	if c.err == nil && c.i < len(c.kids) {
		el := c.kids[c.i]
		for j := 0; j < c.i; j++ {
			if c.kids[j].Tag == el.Tag {
				c.fail("%s/%s is out of order or repeated", c.path, el.Tag)
				return c.err
			}
		}
		c.fail("%s: unexpected element %s", c.path, el.Tag)
	}
	return c.err
}

// text reads a simple-typed leaf: no child elements, at most maxLen
// characters (0: unbounded), non-empty when nonEmpty.
func (c *cursor) text(el *etree.Element, maxLen int, nonEmpty bool) string {
	if c.err != nil || el == nil {
		return ""
	}
	if len(el.ChildElements()) > 0 {
		c.fail("%s/%s must hold text only", c.path, el.Tag)
		return ""
	}
	s := el.Text()
	if maxLen > 0 && utf8.RuneCountInString(s) > maxLen {
		c.fail("%s/%s is longer than %d characters", c.path, el.Tag, maxLen)
		return ""
	}
	if nonEmpty && strings.TrimSpace(s) == "" {
		c.fail("%s/%s is empty", c.path, el.Tag)
	}
	return s
}

func (c *cursor) leaf(name string, required bool, maxLen int) string {
	return c.text(c.next(name, required), maxLen, required)
}

func (c *cursor) dateTime(name string) time.Time {
	el := c.next(name, true)
	s := c.text(el, 0, false)
	if c.err != nil {
		return time.Time{}
	}
	t, ok := ParseDateTime(s)
	if !ok {
		c.fail("%s/%s is not an xsd:dateTime: %q", c.path, name, clip(s))
	}
	return t
}

func (c *cursor) sessionID() string {
	s := c.leaf("sessionId", false, 0)
	if c.err == nil && s != "" && !ValidSessionID(strings.TrimSpace(s)) {
		c.fail("%s/sessionId is not a braced GUID: %q", c.path, clip(s))
	}
	return strings.TrimSpace(s)
}

func (c *cursor) enum(name string, allowed ...string) string {
	s := strings.TrimSpace(c.leaf(name, true, 0))
	if c.err != nil {
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	c.fail("%s/%s %q is not one of %s", c.path, name, clip(s), strings.Join(allowed, ", "))
	return ""
}

// clip bounds request text echoed in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 64 {
		return s
	}
	return string([]rune(s)[:64]) + "…"
}
