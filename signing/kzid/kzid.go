// Package kzid validates Kazakhstan's 12-digit identification numbers: the
// individual IIN and the legal entity's BIN. Both share the check-digit rule;
// they differ in what the first six digits mean.
package kzid

import (
	"errors"
	"fmt"
	"time"
)

// Errors returned by the validators; match with errors.Is.
var (
	ErrFormat     = errors.New("not 12 digits")
	ErrCheckDigit = errors.New("check digit does not match")
	ErrDate       = errors.New("birth date or century digit invalid")
	ErrEntityType = errors.New("entity type digit invalid")
)

// CheckDigit reports whether the 12th digit of s is the check digit of the
// first eleven: weights 1..11, then 3..11,1,2 if the sum mod 11 is 10; a
// second 10 means no valid number has these eleven digits.
func CheckDigit(s string) error {
	if len(s) != 12 {
		return ErrFormat
	}
	d := make([]int, 12)
	for i := 0; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return ErrFormat
		}
		d[i] = int(s[i] - '0')
	}
	r := weighted(d, func(i int) int { return i + 1 })
	if r == 10 {
		r = weighted(d, func(i int) int { return (i+2)%11 + 1 })
		if r == 10 {
			return ErrCheckDigit
		}
	}
	if r != d[11] {
		return ErrCheckDigit
	}
	return nil
}

func weighted(d []int, w func(int) int) int {
	sum := 0
	for i := 0; i < 11; i++ {
		sum += d[i] * w(i)
	}
	return sum % 11
}

// ValidateIIN checks an individual's IIN: YYMMDD birth date, a century/sex
// digit 1..6 (0 for foreigners born before registration is also seen), and
// the check digit.
func ValidateIIN(s string) error {
	if err := CheckDigit(s); err != nil {
		return fmt.Errorf("IIN: %w", err)
	}
	century := map[byte]int{'1': 1800, '2': 1800, '3': 1900, '4': 1900, '5': 2000, '6': 2000}
	base, ok := century[s[6]]
	if !ok {
		return fmt.Errorf("IIN: %w", ErrDate)
	}
	yy := int(s[0]-'0')*10 + int(s[1]-'0')
	mm := int(s[2]-'0')*10 + int(s[3]-'0')
	dd := int(s[4]-'0')*10 + int(s[5]-'0')
	t := time.Date(base+yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Month() != time.Month(mm) || t.Day() != dd || mm == 0 || dd == 0 {
		return fmt.Errorf("IIN: %w", ErrDate)
	}
	return nil
}

// ValidateBIN checks a legal entity's BIN: YYMM of registration, a type digit
// 4..6 (resident, non-resident, individual entrepreneur in partnership), an
// attribute digit 0..4, and the check digit.
func ValidateBIN(s string) error {
	if err := CheckDigit(s); err != nil {
		return fmt.Errorf("BIN: %w", err)
	}
	mm := int(s[2]-'0')*10 + int(s[3]-'0')
	if mm < 1 || mm > 12 {
		return fmt.Errorf("BIN: %w", ErrDate)
	}
	if s[4] < '4' || s[4] > '6' || s[5] > '4' {
		return fmt.Errorf("BIN: %w", ErrEntityType)
	}
	return nil
}

// Validate accepts s if it is a valid IIN or a valid BIN.
func Validate(s string) error {
	if err := CheckDigit(s); err != nil {
		return err
	}
	if len(s) == 12 && s[4] >= '4' && s[4] <= '6' {
		return ValidateBIN(s)
	}
	return ValidateIIN(s)
}

// Complete appends the check digit to an 11-digit prefix; it fails when the
// prefix has no valid check digit. Test certificates use it to mint numbers.
func Complete(prefix string) (string, error) {
	for c := byte('0'); c <= '9'; c++ {
		s := prefix + string(c)
		if CheckDigit(s) == nil {
			return s, nil
		}
	}
	return "", ErrCheckDigit
}
