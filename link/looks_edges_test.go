package link

import (
	"strings"
	"testing"
)

// TestLooksSecretAtItsEdges: a key is at least 20 characters long, of
// letters, digits, '-', '_' and '.', with letters and digits alternating
// at least four times; a switch between a digit and a dash (as in a date)
// is not one.
func TestLooksSecretAtItsEdges(t *testing.T) {
	for in, want := range map[string]Secret{
		"a1b2c" + strings.Repeat("d", 15): LatticeKey, // 20 characters, 4 switches
		"a1b2c" + strings.Repeat("d", 14): NoSecret,   // 19 characters
		"a1b" + strings.Repeat("2", 17):   NoSecret,   // 3 switches
		"2026-12-01-2027-0101":            NoSecret,   // digits and dashes only
		"x2026-12-01-2027-0101":           NoSecret,   // 1 switch
		"a1b2c3d4e5.f6g7h8i9j0":           LatticeKey, // a dot is a key character
		"a1b2c3d4e5+f6g7h8i9j0":           NoSecret,   // a plus is not
	} {
		if got := LooksSecret(in); got != want {
			t.Errorf("LooksSecret(%q) = %d, want %d", in, got, want)
		}
	}
}
