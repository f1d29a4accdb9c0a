package plain

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// After a rotation Lattice did not confirm, the home menu takes the user's
// word that the old key is revoked (walk 2 F8: the reminder could never be
// cleared), as the wizard's v does: it is remembered, the choice goes from
// the menu, and the other choices keep their numbers.
func TestHomeMenuTakesTheWordThatTheOldKeyIsRevoked(t *testing.T) {
	l, _ := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Connect(t.Context(), latticedemo.KeyRotated, latticedemo.KeyAdmin, false); err != nil {
		t.Fatal(err)
	}
	out, _ := runPlain(t, l, steps.GuideStart, []string{"5", "5"})              // I revoked it; then Quit, fifth again
	menus := strings.Split(strings.Join(strings.Fields(out), " "), "What now?") // as words: the lines wrap
	if len(menus) != 3 {
		t.Fatalf("want two menus:\n%s", out)
	}
	if !strings.Contains(menus[0], "then say so below") || !strings.Contains(menus[1], "4) Forget the key ****a1b2") ||
		!strings.Contains(menus[1], "5) I revoked ****7f3c in Lattice: stop reminding me") || !strings.Contains(menus[1], "6) Quit") {
		t.Errorf("the first menu:\n%s", menus[0]+menus[1])
	}
	if !strings.Contains(menus[1], "Noted: ****7f3c is revoked") || strings.Contains(menus[2], "I revoked") ||
		!strings.Contains(menus[2], "5) Quit") {
		t.Errorf("after the word, the menu:\n%s", menus[1]+menus[2])
	}
	if p, _, _ := l.Remembered(); len(link.Unrevoked(p)) != 0 {
		t.Errorf("state.json still lists %v to revoke", link.Unrevoked(p))
	}
}
