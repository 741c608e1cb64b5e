// Package dsig is shepadapter's XML-signature engine: secure parsing,
// verification of the gateway's WS-Security transport signature and of
// enveloped business-data signatures, and signing of both shapes.
//
// It is written on etree, goxmldsig's exported canonicalisers and the Go
// crypto packages rather than on goxmldsig's ValidationContext, because the
// latter cannot verify the WS-Security shape, expects DER ECDSA values, caps
// documents at a few hundred elements, differs from xmlsec1 in several C14N
// corner cases and accepts DOCTYPEs (see DESIGN §3). Each of those gaps is
// closed here and pinned by a test named for it.
//
// Certificate trust (chain, validity, revocation, identity) is not decided
// here: Verified reports every certificate from KeyInfo and the Leaf whose
// key verified the SignatureValue, and signing/certs judges them.
//
// # Rules
//
//   - Parse refuses any DTD, bounds size, depth and element count, and never
//     recurses on input depth.
//   - Only same-document references are followed: URI="" or URI="#id", where
//     IDs are Id, ID, wsu:Id or xml:id and must be unique in the document.
//   - Comments are never part of a referenced node-set (URI="" and bare-name
//     references exclude them by XMLDSig §4.4.3.3), whatever the c14n URI.
//   - A Reference without a c14n transform is serialised with inclusive
//     C14N 1.0 without comments (XMLDSig §4.4.3.2).
//   - The element a caller reads (Verified.Element) is what etree parses
//     from the very canonical bytes that were digested, so nothing
//     unsigned, and no comment-split text, can be read from it. It is
//     either re-parsed from them or, on the exclusive C14N fast path,
//     built while they are written to equal that re-parse exactly (names,
//     attribute order and values, text runs; TestTreeBuilderMatchesReparse
//     pins it), falling back to the re-parse for anything unusual.
//
// # Which element a Reference may point at
//
// VerifyEnveloped(el) accepts URI="" only when el is the document root
// (URI="" means the whole document, which equals el only then), and
// URI="#id" only when the ID resolves to el itself. VerifyWSSecurity accepts
// URI="#id" references only; the one that resolves to the positional
// /Envelope/Body must exist, and no reference may resolve to another Body.
package dsig
