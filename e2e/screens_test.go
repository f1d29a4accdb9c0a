package e2e

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestSummaryLineStaysAfterTheWizard: once the alternate screen is gone,
// one line on the normal screen says what was linked, like gh auth login.
func TestSummaryLineStaysAfterTheWizard(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(80, 24, "connect")
	connectInTheWizard(term, latticedemo.KeyAdmin)
	term.typeText("\r") // enter is not a way out of Done
	term.waitFor("Press q to finish")
	term.typeText("q")
	term.requireExit(0)
	term.waitFor("✓ Linked Lattice as Grace Hopper <grace@example.com> (key ••••7f3c, stored in")
}

// TestStoredKeyRejectedIsWordedForWhatIsKnown: a stored key Lattice now
// rejects was not mistyped or pasted; it stopped working.
func TestStoredKeyRejectedIsWordedForWhatIsKnown(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	e.srv.Revoke(latticedemo.KeyAdmin)
	r := e.run("", "status")
	if r.Code != 1 || !strings.Contains(r.Stderr, "no longer works") {
		t.Errorf("status: exit %d %s", r.Code, r.Stderr)
	}
	for _, wrong := range []string{"mistyped", "paste it here"} {
		if strings.Contains(r.Stderr, wrong) {
			t.Errorf("status speaks of a typed key (%q):\n%s", wrong, r.Stderr)
		}
	}
	r = e.run("", "logout")
	if strings.Contains(r.Stderr, "still works") {
		t.Errorf("logout says a rejected key still works:\n%s", r.Stderr)
	}
}

// TestEmailCopyWithoutAClipboard is not a usage error: nothing could be
// reached, so it exits 4 and says what to do instead.
func TestEmailCopyWithoutAClipboard(t *testing.T) {
	e := newSandbox(t).with("PATH=/nonexistent", "DISPLAY=", "WAYLAND_DISPLAY=")
	r := e.run("", "email", "--copy")
	if r.Code != 4 || !strings.Contains(r.Stderr, "--out") {
		t.Errorf("exit %d %s", r.Code, r.Stderr)
	}
}

func TestMistypedCommandGetsASuggestion(t *testing.T) {
	r := newSandbox(t).run("", "stauts")
	if r.Code != 2 || !strings.Contains(r.Stderr, "did you mean lattice-link status?") {
		t.Errorf("exit %d %s", r.Code, r.Stderr)
	}
}
