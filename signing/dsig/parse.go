package dsig

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// Limits bound what Parse accepts.
type Limits struct {
	MaxBytes    int64
	MaxDepth    int
	MaxElements int
	// MaxAttributes bounds the attributes (namespace declarations included)
	// of one element: canonicalisation sorts them, and an element with tens
	// of thousands would cost quadratic time before any digest is checked.
	MaxAttributes int
}

// DefaultLimits returns 20 MiB, depth 256, 2,000,000 elements and 256
// attributes per element.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 20 << 20, MaxDepth: 256, MaxElements: 2_000_000, MaxAttributes: 256}
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
	if l.MaxAttributes <= 0 {
		l.MaxAttributes = d.MaxAttributes
	}
	return l
}

// checkElement applies the per-element limits to the elems-th element,
// found at depth with attrs attributes.
func (l Limits) checkElement(depth, elems, attrs int) error {
	switch {
	case depth > l.MaxDepth:
		return errorf(ReasonTooDeep, "depth > %d", l.MaxDepth)
	case elems > l.MaxElements:
		return errorf(ReasonTooManyElements, "elements > %d", l.MaxElements)
	case attrs > l.MaxAttributes:
		return errorf(ReasonTooManyAttributes, "attributes of one element > %d", l.MaxAttributes)
	}
	return nil
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
	// A document with more '<' than MaxElements may hold too many
	// elements: pre-scan it with a flat token loop so it is refused before
	// etree builds a tree. Otherwise the tree etree builds (flatly, depth
	// capped) is bounded by the limits anyway, so parse once and check the
	// limits on the tree, saving a whole tokenising pass.
	if bytes.Count(data, []byte{'<'}) > lim.MaxElements {
		if err := prescan(data, lim); err != nil {
			return nil, err
		}
	}
	doc := etree.NewDocument()
	// etree's own depth cap (1024 unless set) applied before; keep it, and
	// stop at our limit too so a hostile depth costs nothing.
	doc.ReadSettings = etree.ReadSettings{MaxDepth: min(lim.MaxDepth, etreeMaxDepth)}
	err := doc.ReadFromBytes(data)
	doc.ReadSettings = etree.ReadSettings{}
	if err != nil {
		// The pre-scan decides which refusal applies (a DTD before the
		// error, too deep…), exactly as when it ran first.
		if perr := prescan(data, lim); perr != nil {
			return nil, perr
		}
		return nil, wrap(ReasonMalformedXML, "parse", err)
	}
	if err := checkTree(doc, data, lim); err != nil {
		return nil, err
	}
	if doc.Root() == nil {
		return nil, errorf(ReasonMalformedXML, "no root element")
	}
	return doc, nil
}

// etreeMaxDepth is etree's default depth limit.
const etreeMaxDepth = 1024

// checkTree applies prescan's rules to a parsed document, visiting tokens
// in document order (explicit stack) so the first violation, and hence the
// Reason, is the one prescan reports for the same token stream.
func checkTree(doc *etree.Document, data []byte, lim Limits) error {
	type frame struct {
		e     *etree.Element
		i     int
		depth int
	}
	elems, roots := 0, 0
	stack := []frame{{&doc.Element, 0, 0}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.i >= len(f.e.Child) {
			stack = stack[:len(stack)-1]
			continue
		}
		tok := f.e.Child[f.i]
		f.i++
		switch t := tok.(type) {
		case *etree.Element:
			depth := f.depth + 1
			if depth == 1 {
				roots++
			}
			elems++
			if err := lim.checkElement(depth, elems, len(t.Attr)); err != nil {
				return err
			}
			stack = append(stack, frame{t, 0, depth})
		case *etree.Directive:
			return errorf(ReasonDTD, "DOCTYPE or declaration")
		case *etree.ProcInst:
			if t.Target != "xml" {
				return errorf(ReasonDTD, "processing instruction %q", t.Target)
			}
			// etree reads any declared encoding through; the pre-scan's
			// decoder refuses non-UTF-8 ones. Let it judge this one.
			if !xmlDeclOK(t.Inst) {
				return prescan(data, lim)
			}
		}
	}
	if roots != 1 {
		return errorf(ReasonMalformedXML, "not a single well-formed root element")
	}
	return nil
}

// xmlDeclOK reports whether a decoder without CharsetReader (prescan's)
// accepts this XML declaration.
func xmlDeclOK(inst string) bool {
	d := xml.NewDecoder(strings.NewReader("<?xml " + inst + "?>"))
	d.Strict = true
	_, err := d.RawToken()
	return err == nil
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
			if err := lim.checkElement(depth, elems, len(t.Attr)); err != nil {
				return err
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
