package kzid

import (
	"errors"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name, in string
		fn       func(string) error
		want     error
	}{
		{"design IIN", "921029350851", ValidateIIN, nil},
		{"design BIN", "940140000385", ValidateBIN, nil},
		{"BIN as any", "940140000385", Validate, nil},
		{"IIN as any", "921029350851", Validate, nil},
		{"IIN wrong check", "921029350852", ValidateIIN, ErrCheckDigit},
		{"short", "92102935085", Validate, ErrFormat},
		{"letters", "92102935085a", Validate, ErrFormat},
		{"IIN bad month", badCheck("921329350"), ValidateIIN, ErrDate},
		{"IIN bad century", badCheck("921029950"), ValidateIIN, ErrDate},
		{"BIN bad type", badCheck("940110000"), ValidateBIN, ErrEntityType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.fn(tt.in)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("%s(%q) = %v, want %v", tt.name, tt.in, err, tt.want)
			}
		})
	}
}

// badCheck completes a 9-digit prefix to a 12-digit number whose check digit
// is right, so the test reaches the structural checks.
func badCheck(prefix string) string {
	for n := 0; n < 1000; n++ {
		s := prefix + string(rune('0'+n/100)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
		if CheckDigit(s) == nil {
			return s
		}
	}
	panic("no check digit for " + prefix)
}

// Complete returns the first valid number starting with an 11-digit prefix.
func TestComplete(t *testing.T) {
	s, err := Complete("92102935085")
	if err != nil || s != "921029350851" {
		t.Fatalf("Complete = %q, %v", s, err)
	}
}

func FuzzCheckDigit(f *testing.F) {
	f.Add("921029350851")
	f.Add("940140000385")
	f.Fuzz(func(t *testing.T, s string) {
		if CheckDigit(s) == nil && len(s) != 12 {
			t.Fatalf("accepted %q", s)
		}
	})
}
