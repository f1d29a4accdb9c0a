package lattice

import (
	"errors"
	"strings"
	"testing"
)

// TestNormalizeKeyAtItsLimits: a key of exactly the shortest or longest
// length is taken and one character more or less is refused, and a paste
// may bring up to three times the longest key's length in blanks.
func TestNormalizeKeyAtItsLimits(t *testing.T) {
	for _, c := range []struct {
		name string
		raw  string
		want error
	}{
		{"shortest", strings.Repeat("k", MinKeyLength), nil},
		{"one short", strings.Repeat("k", MinKeyLength-1), ErrKeyTooShort},
		{"longest", strings.Repeat("k", MaxKeyLength), nil},
		{"one long", strings.Repeat("k", MaxKeyLength+1), ErrKeyTooLong},
		{"paste at its limit", strings.Repeat("k", MaxKeyLength) + strings.Repeat(" ", 3*MaxKeyLength), nil},
		{"paste past its limit", strings.Repeat("k", MaxKeyLength) + strings.Repeat(" ", 3*MaxKeyLength+1), ErrKeyTooLong},
	} {
		key, _, err := NormalizeKey(c.raw)
		if !errors.Is(err, c.want) || (err == nil && key != strings.TrimSpace(c.raw)) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

// TestNormalizeKeyWarnsOutsideTheKnownAlphabet: letters, digits, '-', '_'
// and '.' are what Lattice keys are made of; the characters just outside
// each range are accepted with a warning.
func TestNormalizeKeyWarnsOutsideTheKnownAlphabet(t *testing.T) {
	for _, r := range "azAZ09-_." {
		if _, warn, err := NormalizeKey("key" + string(r) + "12345"); err != nil || warn {
			t.Errorf("%q: warn = %v, err = %v", r, warn, err)
		}
	}
	for _, r := range "`{@[/:+" {
		if _, warn, err := NormalizeKey("key" + string(r) + "12345"); err != nil || !warn {
			t.Errorf("%q: warn = %v, err = %v", r, warn, err)
		}
	}
}
