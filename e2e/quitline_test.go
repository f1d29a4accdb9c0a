package e2e

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// The line the wizard leaves on the normal screen is wrapped at spaces to
// the terminal's width: at 40 columns the terminal broke it inside the
// address and inside a word (walk 2 F2). Rows the terminal wrapped read
// as one line here (see linesLocked), so a line wider than the window is
// one the terminal broke.
func TestTheQuitLineIsWrappedAtSpacesToTheTerminal(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(40, 24, "connect")
	connectInTheWizard(term, latticedemo.KeyAdmin)
	term.typeText("q")
	term.requireExit(0)
	term.waitForWords("✓ Linked Lattice as Grace Hopper <grace@example.com> (key ••••7f3c, stored in")
	term.mu.Lock()
	lines := term.viewLocked()
	term.mu.Unlock()
	address := false
	for _, l := range lines {
		l = strings.TrimRight(l, " ")
		address = address || strings.Contains(l, "<grace@example.com>")
		if ansi.StringWidth(l) >= 40 && strings.Contains(l, " ") {
			t.Errorf("a line the terminal had to break: %q\n%s", l, term.screen())
		}
	}
	if !address {
		t.Errorf("the address is not whole on a line:\n%s", term.screen())
	}
}
