package plain

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/steps"
)

// Rotating Grace's admin key to Ada's, who is no admin, asks first, both
// owners named; No is the default, keeps the admin key and says nothing
// changed. Yes stores the new key.
func TestARotationToAnotherPersonsKeyAsksFirst(t *testing.T) {
	for _, c := range []struct {
		answer string // to "Replace ****7f3c with ****2b9e?"
		want   string // what is stored after
	}{{"", latticedemo.KeyAdmin}, {"2", latticedemo.KeyMember}} {
		l, store := testLink(t)
		if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
			t.Fatal(err)
		}
		// Home: 1) rotate; the question; then, after a no, the hidden key
		// prompt (no key: stop), or after a yes "Check that Lattice rejects
		// the old key?" 2) no.
		out, _ := runPlain(t, l, steps.GuideStart, []string{"1", c.answer, "2"}, latticedemo.KeyMember)
		for _, want := range []string{"Lattice accepted the new key, but it is another person's", // wrapped at 60 columns
			"Stored  ****7f3c  Grace Hopper <grace@example.com>, an", "New     ****2b9e  Ada Lovelace <ada@example.com>, not an",
			"Replace ****7f3c with ****2b9e?", "1) No, keep ****7f3c", "Choose 1-2 [1]", "once you say yes"} {
			if !strings.Contains(out, want) {
				t.Errorf("answer %q: no %q in\n%s", c.answer, want, out)
			}
		}
		kept := strings.Contains(out, "Nothing was changed: ****7f3c stays stored")
		if k, _ := store.Get("default"); k != c.want || kept != (c.want == latticedemo.KeyAdmin) {
			t.Errorf("answer %q: stored %q, said kept %v\n%s", c.answer, k, kept, out)
		}
		if strings.Contains(out, latticedemo.KeyMember) {
			t.Error("the key was printed")
		}
	}
}
