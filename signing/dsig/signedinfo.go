package dsig

import (
	"crypto"
	"strings"

	"github.com/beevik/etree"
)

type signedInfo struct {
	c14n   c14nSpec
	sigURI string
	alg    sigAlg
	refs   []reference
}

type reference struct {
	uri        string
	enveloped  bool
	c14n       c14nSpec
	prefixList string
	digestURI  string
	hash       crypto.Hash
	digest     []byte
}

// readSignedInfo canonicalises SignedInfo and parses the algorithms and
// references from a re-parse of those canonical bytes, so what drives
// reference processing is exactly what the signature covers.
func readSignedInfo(si *etree.Element, opt Options) ([]byte, *signedInfo, error) {
	// Count before canonicalising: a huge SignedInfo must cost nothing.
	if n := len(childrenNS(si, nsDS, "Reference")); n > opt.MaxReferences {
		return nil, nil, errorf(ReasonTooManyReferences, "%d > %d", n, opt.MaxReferences)
	}
	cm, err := oneChild(si, nsDS, "CanonicalizationMethod")
	if err != nil {
		return nil, nil, err
	}
	spec, err := lookupC14N(cm.SelectAttrValue("Algorithm", ""))
	if err != nil {
		return nil, nil, err
	}
	b, err := canonicalize(si, spec, prefixList(cm), nil, true)
	if err != nil {
		return nil, nil, err
	}
	signed, err := parseCanonical(b)
	if err != nil {
		return nil, nil, err
	}
	info, err := parseSignedInfo(signed, opt)
	if err != nil {
		return nil, nil, err
	}
	info.c14n = spec
	return b, info, nil
}

func parseSignedInfo(si *etree.Element, opt Options) (*signedInfo, error) {
	sm, err := oneChild(si, nsDS, "SignatureMethod")
	if err != nil {
		return nil, err
	}
	info := &signedInfo{sigURI: sm.SelectAttrValue("Algorithm", "")}
	if info.alg, err = lookupSigAlg(info.sigURI, opt); err != nil {
		return nil, err
	}
	refs := childrenNS(si, nsDS, "Reference")
	if len(refs) == 0 {
		return nil, errorf(ReasonMalformed, "no Reference")
	}
	// Secure validation: bound the work an unauthenticated document causes.
	if len(refs) > opt.MaxReferences {
		return nil, errorf(ReasonTooManyReferences, "%d > %d", len(refs), opt.MaxReferences)
	}
	for _, r := range refs {
		ref, err := parseReference(r, opt)
		if err != nil {
			return nil, err
		}
		info.refs = append(info.refs, ref)
	}
	return info, nil
}

func parseReference(r *etree.Element, opt Options) (reference, error) {
	ref := reference{c14n: c14nMethods[C14N10]}
	uri := r.SelectAttr("URI")
	if uri == nil {
		return ref, errorf(ReasonUnsupportedAlgorithm, "Reference without URI")
	}
	ref.uri = uri.Value
	if err := checkURI(ref.uri); err != nil {
		return ref, err
	}
	if err := parseTransforms(r, &ref, opt); err != nil {
		return ref, err
	}
	dm, err := oneChild(r, nsDS, "DigestMethod")
	if err != nil {
		return ref, err
	}
	ref.digestURI = dm.SelectAttrValue("Algorithm", "")
	if ref.hash, err = lookupDigest(ref.digestURI, opt); err != nil {
		return ref, err
	}
	dv, err := oneChild(r, nsDS, "DigestValue")
	if err != nil {
		return ref, err
	}
	if ref.digest, err = decodeB64(textOf(dv)); err != nil {
		return ref, wrap(ReasonMalformed, "DigestValue base64", err)
	}
	return ref, nil
}

// checkURI allows only URI="" and bare-name "#id": external fetches are
// SSRF and XPointer is an unbounded language.
func checkURI(uri string) error {
	if uri == "" {
		return nil
	}
	id, ok := strings.CutPrefix(uri, "#")
	if !ok || id == "" || strings.ContainsAny(id, "()# /") {
		return errorf(ReasonUnsupportedAlgorithm, "Reference URI %q", uri)
	}
	return nil
}

func parseTransforms(r *etree.Element, ref *reference, opt Options) error {
	ts := childrenNS(r, nsDS, "Transforms")
	if len(ts) == 0 {
		// No c14n transform: the node-set is serialised with inclusive
		// C14N 1.0 without comments (XMLDSig §4.4.3.2), set above.
		return nil
	}
	if len(ts) > 1 {
		return errorf(ReasonMalformed, "several Transforms")
	}
	list := childrenNS(ts[0], nsDS, "Transform")
	if len(list) > opt.MaxTransforms {
		return errorf(ReasonTooManyTransforms, "%d > %d", len(list), opt.MaxTransforms)
	}
	sawC14N := false
	for _, t := range list {
		alg := t.SelectAttrValue("Algorithm", "")
		if sawC14N {
			return errorf(ReasonUnsupportedAlgorithm, "transform %q after c14n", alg)
		}
		if alg == TransformEnveloped && !ref.enveloped {
			ref.enveloped = true
			continue
		}
		spec, err := lookupC14N(alg)
		if err != nil {
			return err
		}
		ref.c14n, ref.prefixList, sawC14N = spec, prefixList(t), true
	}
	return nil
}

// prefixList reads ec:InclusiveNamespaces/@PrefixList under a method.
func prefixList(method *etree.Element) string {
	for _, c := range childrenNS(method, nsExcNS, "InclusiveNamespaces") {
		return c.SelectAttrValue("PrefixList", "")
	}
	return ""
}
