package soap

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/schemas"
	"github.com/isb-region/shepadapter/wsdl"
)

// WSDL names in wsdl.Files.
const (
	WSDLSync        = "sync-channel.wsdl"
	WSDLAsyncClient = "async-channel-client.wsdl"
	WSDLAsync       = "async-channel.wsdl"
)

const (
	nsWSDLSOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
	nsXSD      = "http://www.w3.org/2001/XMLSchema"
)

// RequestAddress is the address r was sent to, built from the request
// itself (scheme from TLS, Host header, path). Behind a proxy, pass
// WSDLHandler a function returning the configured public address instead:
// the Host header is chosen by the client.
func RequestAddress(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.Path
}

// WSDLHandler publishes the WSDL called name (WSDLSync, WSDLAsyncClient or
// WSDLAsync) on GET: with soap:address set to address(r) and every
// schemaLocation set to address(r)+"?xsd=FILE". GET with ?xsd=FILE serves
// that schema from schemas.Files, its imports rewritten the same way. Only
// the embedded names are served, matched exactly, so no path can be
// traversed. It panics if name is not an embedded WSDL (a programming error).
func WSDLHandler(name string, address func(r *http.Request) string) http.Handler {
	src, err := fs.ReadFile(wsdl.Files, name)
	if err != nil {
		panic("soap: no embedded WSDL " + name)
	}
	xsds := map[string][]byte{}
	entries, _ := fs.ReadDir(schemas.Files, ".")
	for _, e := range entries {
		if b, err := fs.ReadFile(schemas.Files, e.Name()); err == nil && strings.HasSuffix(e.Name(), ".xsd") {
			xsds[e.Name()] = b
		}
	}
	if address == nil {
		address = RequestAddress
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		doc := src
		if q := r.URL.Query(); q.Has("xsd") {
			b, ok := xsds[q.Get("xsd")]
			if !ok {
				http.Error(w, "unknown schema", http.StatusNotFound)
				return
			}
			doc = b
		}
		out, err := Rewrite(doc, address(r))
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(out)
	})
}

// Rewrite returns the WSDL or XSD doc with every soap:address location set
// to addr and every xs:import/xs:include schemaLocation set to
// addr+"?xsd="+its file name.
func Rewrite(doc []byte, addr string) ([]byte, error) {
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		return nil, err
	}
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		ns := el.NamespaceURI()
		switch {
		case ns == nsWSDLSOAP && el.Tag == "address":
			el.CreateAttr("location", addr)
		case ns == nsXSD && (el.Tag == "import" || el.Tag == "include"):
			if a := el.SelectAttr("schemaLocation"); a != nil {
				el.CreateAttr("schemaLocation", addr+"?xsd="+path.Base(a.Value))
			}
		}
		for _, k := range el.ChildElements() {
			walk(k)
		}
	}
	if root := d.Root(); root != nil {
		walk(root)
	}
	return d.WriteToBytes()
}
