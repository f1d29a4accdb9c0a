package plain

import (
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/steps"
)

// While SCIM keeps the check waiting, plain mode says so; its answer is a
// row of the table whose every line hangs under the value, a warning's
// too (walk 2 F16).
func TestSCIMWaitIsSaidAndItsRowWrapsUnderTheValue(t *testing.T) {
	l, _ := testLink(t)
	l.Client.SCIMBudget = 50 * time.Millisecond // the stand-in's SCIM never answers this key
	out, _ := runPlain(t, l, steps.GuideStart, []string{"1", "", "", "1"}, latticedemo.KeySCIMHang)
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "Lattice accepted the key; waiting for its SCIM API to answer...") {
		t.Errorf("the wait is not said:\n%s", out)
	}
	lines := strings.Split(out, "\n")
	at := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "! SCIM") {
			at = i
		}
	}
	if at < 0 || strings.Contains(lines[at], "SCIM       SCIM") {
		t.Fatalf("no SCIM row, or SCIM said twice:\n%s", out)
	}
	for _, l := range lines[at+1 : at+3] {
		if !strings.HasPrefix(l, strings.Repeat(" ", 13)) {
			t.Errorf("%q does not hang under the value:\n%s", l, out)
		}
	}
}

// A rotation ends in the rotation's words, as the wizard's does, not as a
// first connect (walk 2 F19).
func TestARotationEndsRotated(t *testing.T) {
	l, _ := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	out, _ := runPlain(t, l, steps.GuideStart, []string{"1", "2"}, latticedemo.KeyRotated)
	if !strings.Contains(out, "Rotated: the new key is stored.") || strings.Contains(out, "Connected to Lattice.") {
		t.Errorf("the rotation's end:\n%s", out)
	}
}

// A yes/no question takes y and n, as well as its numbers (walk 2 F19:
// n got "Please type a number from 1 to 2.").
func TestAYesNoQuestionTakesYAndN(t *testing.T) {
	l, store := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	// Home: forget (4), then "n" keeps it; forget again, "y" forgets.
	out, _ := runPlain(t, l, steps.GuideStart, []string{"4", "n", "4", "yes"})
	if strings.Contains(out, "Please type a number") {
		t.Errorf("y or n was refused:\n%s", out)
	}
	if k, _ := store.Get("default"); k != "" || !strings.Contains(out, "Forgot the key ****7f3c") {
		t.Errorf("left %q:\n%s", k, out)
	}
	if i, ok := yesOrNo("y", []string{"Yes, check it now", "Yes, later"}); ok {
		t.Errorf("two yeses: took %d", i)
	}
}
