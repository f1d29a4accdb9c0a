package e2e

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// token never puts the key on screen: with a terminal for its output it
// refuses (exit 2) and says how to pass the key on instead; piped, it
// prints it (walk 2 F34).
func TestTokenOnATerminalRefusesAndSaysHow(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	for _, vars := range [][]string{nil, {"LATTICE_API_KEY=" + latticedemo.KeyMember}} {
		term := e.with(vars...).terminal(200, 24, "token")
		term.waitForWords("the key would stay on screen", "lattice-link token | program", "key=$(lattice-link token)")
		term.requireExit(2)
		requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
		requireNoSecret(t, term.output(), latticedemo.KeyMember)
	}
	if r := e.run("", "token"); r.Code != 0 || r.Stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("piped: exit %d, %q", r.Code, r.Stdout)
	}
	if r := e.run("", "token", "--help"); !strings.Contains(r.Stdout, "never shown on screen") {
		t.Errorf("token --help does not say it:\n%s", r.Stdout)
	}
}
