package periodical

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Patterns of periodical.xsd, anchored; \s in XSD is [ \t\n\r] only.
var (
	reIinBin   = regexp.MustCompile(`^[0-9]{12}$`)
	rePhone    = regexp.MustCompile(`^\+?[0-9]{10,15}$`)
	reEmail    = regexp.MustCompile(`^[^@ \t\n\r]+@[^@ \t\n\r]+\.[^@ \t\n\r]+$`)
	reCountry  = regexp.MustCompile(`^[A-Z]{2}$`)
	reLanguage = regexp.MustCompile(`^[a-z]{2,3}$`)
	reFileName = regexp.MustCompile(`^[^/\\:*?"<>|]+$`)
	reMedia    = regexp.MustCompile(`^[a-z]+/[a-zA-Z0-9.+\-]+$`)
	reSHA256   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	reRequest  = regexp.MustCompile(`^ISB-[0-9]{4}-[0-9]{7}$`)
	reCode     = regexp.MustCompile(`^[A-Z0-9_]{1,50}$`)
)

func isXSDSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// checkText is the TextN types: 1..max characters; singleLine adds the
// pattern \S(.*\S)? (no surrounding whitespace, no line breaks).
func checkText(s string, max int, singleLine bool) string {
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return "is empty"
	case n > max:
		return "is longer than " + strconv.Itoa(max) + " characters"
	case !singleLine:
		return ""
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if isXSDSpace(first) || isXSDSpace(last) {
		return "has leading or trailing whitespace"
	}
	if strings.ContainsAny(s, "\r\n") {
		return "must be a single line"
	}
	return ""
}

// checkPattern reports a value that does not match re.
func checkPattern(s string, re *regexp.Regexp, what string) string {
	if !re.MatchString(s) {
		return "is not " + what
	}
	return ""
}

func checkEnum(s string, allowed []string) string {
	for _, a := range allowed {
		if s == a {
			return ""
		}
	}
	return "is not one of " + strings.Join(allowed, ", ")
}

// validNCName approximates xs:ID's NCName lexical space.
func validNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := unicode.IsLetter(r) || r == '_'
		if i > 0 {
			ok = ok || unicode.IsDigit(r) || r == '.' || r == '-' || unicode.Is(unicode.Mn, r)
		}
		if !ok {
			return false
		}
	}
	return true
}

// clip bounds request text echoed in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 64 {
		return s
	}
	return string([]rune(s)[:64]) + "…"
}
