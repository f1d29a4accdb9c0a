package plain

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/steps"
)

// "Run lattice-link again to pick up where you left off" is true: a re-run
// opens at the step the user got to.
func TestARerunPicksUpWhereTheUserLeftOff(t *testing.T) {
	l, _ := testLink(t)
	out, _ := runPlain(t, l, steps.GuideStart, []string{"2", "q"}) // not approved yet; stop at Request access
	if !strings.Contains(out, "Step two of five") || !strings.Contains(out, "pick up where you left") {
		t.Fatalf("first run:\n%s", out)
	}
	out, _ = runPlain(t, l, steps.GuideStart, []string{"q"})
	if !strings.Contains(out, "Picking up where you left off, at Request API access") ||
		!strings.Contains(out, "Step two of five") || strings.Contains(out, "Step one of five") {
		t.Errorf("the re-run did not pick up at Request API access:\n%s", out)
	}
	// The way to start over that the notice names: --step prerequisites.
	var over strings.Builder
	if _, err := Run(Options{Start: steps.GuideStart, StartOver: true, Link: l, In: strings.NewReader("q\n"), Out: &over, Width: 60}); err != nil ||
		!strings.Contains(over.String(), "Step one of five") || strings.Contains(over.String(), "Picking up") {
		t.Errorf("--step prerequisites (err %v):\n%s", err, over.String())
	}
	// An explicit step is where the user asked to go.
	if out, _ := runPlain(t, l, steps.SCIM, []string{"q"}); !strings.Contains(out, "Step four of five") || strings.Contains(out, "Picking up") {
		t.Errorf("--step scim:\n%s", out)
	}
}

// Once the email is sent, a re-run asks whether Lattice approved, rather
// than picking up at the email again.
func TestARerunAfterSendingAsksWhetherApproved(t *testing.T) {
	l, _ := testLink(t)
	runPlain(t, l, steps.GuideStart, []string{"2", "2", "4", "5"}) // not yet; keep answers; sent; stop
	out, _ := runPlain(t, l, steps.GuideStart, []string{"q"})
	if !strings.Contains(out, "Has Lattice approved your API access request?") || strings.Contains(out, "Picking up") {
		t.Errorf("the re-run after sending:\n%s", out)
	}
}
