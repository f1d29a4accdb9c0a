package e2e

import (
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// On an 80-column terminal the commands' long messages wrap at spaces: at
// this width token's refusal used to run to the last column and break
// "ke/y" and "need/s" mid-word (walk 3 G6).
func TestLongCommandMessagesWrapAtSpacesInATerminal(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	term := e.terminal(80, 24, "token")
	term.waitFor("needs it", "scrollback.", "key would stay")
	term.requireExit(2)
	term.mu.Lock()
	defer term.mu.Unlock()
	for y := range term.emu.Height() {
		// A row filled to its last column is one the terminal broke.
		text, full := rowText(term.emu.Width(), func(x int) (string, int) {
			if c := term.emu.CellAt(x, y); c != nil {
				return c.Content, c.Width
			}
			return "", 0
		})
		if full {
			t.Errorf("row %d runs to the last column, so the terminal broke the line there: %q\n%s", y, text, term.dumpLocked())
		}
	}
}
