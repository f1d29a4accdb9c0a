package config

import (
	"strconv"
	"strings"
	"testing"
)

// TestProfileNamesAtTheEdges: a profile name is 1 to 64 characters of a-z,
// A-Z, 0-9, '-', '_' and '.', so the characters on either side of each
// range are refused, and the message quotes at most 40 characters of it.
func TestProfileNamesAtTheEdges(t *testing.T) {
	for _, ok := range []string{"a", "z", "A", "Z", "0", "9", "-", "_", "a.b", strings.Repeat("p", 64)} {
		if err := ValidProfile(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"`", "{", "@", "[", "/", ":", "", ".", "..", strings.Repeat("p", 65)} {
		if err := ValidProfile(bad); err == nil {
			t.Errorf("%q taken", bad)
		}
	}
	for n, shown := range map[int]string{40: strings.Repeat("é", 40), 41: strings.Repeat("é", 40) + "…"} {
		err := ValidProfile(strings.Repeat("é", n))
		if err == nil || !strings.Contains(err.Error(), "name "+strconv.Quote(shown)+" cannot") {
			t.Errorf("a name of %d letters is shown as: %v", n, err)
		}
	}
}
