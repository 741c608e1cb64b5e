package dsig

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"

	"github.com/beevik/etree"
)

// Limits bound what Parse accepts.
type Limits struct {
	MaxBytes    int64
	MaxDepth    int
	MaxElements int
}

// DefaultLimits returns 20 MiB, depth 256 and 2,000,000 elements.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 20 << 20, MaxDepth: 256, MaxElements: 2_000_000}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxElements <= 0 {
		l.MaxElements = d.MaxElements
	}
	return l
}

// Parse reads a document securely. Any DOCTYPE, entity declaration or
// processing instruction other than the XML declaration is refused
// (ReasonDTD); size, depth and element count are bounded; the input must be
// well-formed UTF-8 XML. Zero fields of lim take DefaultLimits values.
func Parse(data []byte, lim Limits) (*etree.Document, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxBytes {
		return nil, errorf(ReasonTooLarge, "%d bytes > %d", len(data), lim.MaxBytes)
	}
	// Pre-scan with a flat token loop so hostile depth or DTDs are refused
	// before etree builds a tree (no recursion, no entity expansion).
	if err := prescan(data, lim); err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings = etree.ReadSettings{}
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, wrap(ReasonMalformedXML, "parse", err)
	}
	if doc.Root() == nil {
		return nil, errorf(ReasonMalformedXML, "no root element")
	}
	return doc, nil
}

func prescan(data []byte, lim Limits) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	depth, elems, roots := 0, 0, 0
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return wrap(ReasonMalformedXML, "scan", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
			elems++
			if depth > lim.MaxDepth {
				return errorf(ReasonTooDeep, "depth > %d", lim.MaxDepth)
			}
			if elems > lim.MaxElements {
				return errorf(ReasonTooManyElements, "elements > %d", lim.MaxElements)
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			// DTDs carry entity expansion (billion laughs) and external
			// entities (XXE); SOAP forbids them, so refuse outright.
			return errorf(ReasonDTD, "DOCTYPE or declaration")
		case xml.ProcInst:
			if t.Target != "xml" {
				return errorf(ReasonDTD, "processing instruction %q", t.Target)
			}
		}
	}
	if depth != 0 || roots != 1 {
		return errorf(ReasonMalformedXML, "not a single well-formed root element")
	}
	return nil
}

// parseCanonical re-parses bytes this package canonicalised from a tree
// Parse already bounded: they hold no DTD and no more depth or elements
// than that tree, so the pre-scan is skipped (it is a third of verify).
func parseCanonical(b []byte) (*etree.Element, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b); err != nil || doc.Root() == nil {
		return nil, wrap(ReasonMalformed, "canonical re-parse", err)
	}
	return doc.Root(), nil
}
