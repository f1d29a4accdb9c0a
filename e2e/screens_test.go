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
	term.waitFor("Step 5 of 5")
	term.typeText(latticedemo.KeyAdmin + "\r")
	term.waitFor("Connected to Lattice")
	term.typeText("\r") // enter is not a way out of Done
	term.waitFor("Press q to finish")
	term.typeText("q")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	term.waitFor("✓ Linked Lattice as Grace Hopper <grace@example.com> (key ••••7f3c, stored in")
}

// TestStoredKeyRejectedIsWordedForWhatIsKnown: a stored key Lattice now
// rejects was not mistyped or pasted; it stopped working.
func TestStoredKeyRejectedIsWordedForWhatIsKnown(t *testing.T) {
	e := newSandbox(t)
	e.run(latticedemo.KeyAdmin, "connect", "--key-stdin")
	e.srv.Revoke(latticedemo.KeyAdmin)
	r := e.run("", "status")
	if r.code != 1 || !strings.Contains(r.stderr, "no longer works") {
		t.Errorf("status: exit %d %s", r.code, r.stderr)
	}
	for _, wrong := range []string{"mistyped", "paste it here"} {
		if strings.Contains(r.stderr, wrong) {
			t.Errorf("status speaks of a typed key (%q):\n%s", wrong, r.stderr)
		}
	}
	r = e.run("", "logout")
	if strings.Contains(r.stderr, "still works") {
		t.Errorf("logout says a rejected key still works:\n%s", r.stderr)
	}
}

// TestEmailCopyWithoutAClipboard is not a usage error: nothing could be
// reached, so it exits 4 and says what to do instead.
func TestEmailCopyWithoutAClipboard(t *testing.T) {
	e := newSandbox(t).with("PATH=/nonexistent", "DISPLAY=", "WAYLAND_DISPLAY=")
	r := e.run("", "email", "--copy")
	if r.code != 4 || !strings.Contains(r.stderr, "--out") {
		t.Errorf("exit %d %s", r.code, r.stderr)
	}
}

func TestMistypedCommandGetsASuggestion(t *testing.T) {
	r := newSandbox(t).run("", "stauts")
	if r.code != 2 || !strings.Contains(r.stderr, "did you mean status?") {
		t.Errorf("exit %d %s", r.code, r.stderr)
	}
}
