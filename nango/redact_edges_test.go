package nango

import "testing"

// TestRedactAtItsEdges: a secret of 8 characters or more is replaced (one
// of 8 shown by no character, one of 9 by its last four); a shorter one is
// left alone, as replacing it would mangle ordinary words.
func TestRedactAtItsEdges(t *testing.T) {
	for secret, want := range map[string]string{
		"abcdefg":   "x abcdefg y",
		"abcdefgh":  "x …? y",
		"abcdefghi": "x …fghi y",
	} {
		if got := redact("x "+secret+" y", secret); got != want {
			t.Errorf("redact of a %d-character secret: %q, want %q", len(secret), got, want)
		}
	}
}
