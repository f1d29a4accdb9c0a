package plain

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/steps"
)

// Home and forget after a rotation Lattice did not confirm name the
// replaced key (walk F3).
func TestHomeAndForgetNameAnUnrevokedReplacedKey(t *testing.T) {
	l, _ := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Connect(t.Context(), latticedemo.KeyRotated, latticedemo.KeyAdmin, false); err != nil {
		t.Fatal(err)
	}
	out, _ := runPlain(t, l, steps.GuideStart, []string{"4", "1"})
	for _, want := range []string{"Revoke   ****7f3c, which a", "Forgot the key ****a1b2",
		"before it, ****7f3c, may still"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}
