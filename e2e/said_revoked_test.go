package e2e

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// After a rotation nothing confirmed, the wizard's home takes the user's
// word that the old key is revoked (v, then y), and status no longer
// names it (walk 2 F8: the reminder could never be cleared).
func TestTheWizardsHomeTakesTheWordThatTheOldKeyIsRevoked(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	e.connectKey(latticedemo.KeyRotated)
	term := e.terminal(80, 24)
	term.waitForWords("Revoke the replaced key ••••7f3c", "then press v.", "v revoked it")
	term.typeText("v")
	term.waitForWords("Did you revoke ••••7f3c in Lattice?", "y revoked • other keys not yet • ? help")
	term.typeText("y")
	term.waitForWords("Noted: ••••7f3c is revoked.")
	term.requireNot("Revoke ")
	term.typeText("q")
	term.requireExit(0)
	r := e.run("", "status", "--json")
	if r.Code != 0 || !strings.Contains(r.Stdout, `"to_revoke": []`) {
		t.Errorf("status --json: exit %d\n%s", r.Code, r.Stdout)
	}
}
