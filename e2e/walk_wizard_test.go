package e2e

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticetest"
)

// The walk's findings about the wizard at the smallest sizes: what decides
// where the key goes is always on screen.

// TestSmallHomeAsksBeforeHandingOver (walk F25): at 50×16 the link's
// session is below the fold of the home screen, so the first h only asks,
// in the lines that are always in sight, naming for whom, the integration
// and the host; nothing reaches Nango until h is pressed again.
func TestSmallHomeAsksBeforeHandingOver(t *testing.T) {
	e := newNangoSandbox(t)
	if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatalf("connect: %d %s", r.code, r.stderr)
	}
	term := e.with("NANGO_CONNECT_LINK="+e.ns.Link(e.ns.NewSession())).terminal(50, 16)
	term.waitFor("h hand it to the app")
	term.typeText("h")
	term.waitFor("Press h again")
	screen := strings.Join(strings.Fields(term.screen()), " ")
	for _, want := range []string{"Grace Hopper", "lattice-hr", "127.0.0.1"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the question does not name %q:\n%s", want, term.screen())
		}
	}
	if n := len(e.ns.Posts()); n != 0 {
		t.Fatalf("the first h posted %d times to Nango", n)
	}
	term.typeText("h")
	term.waitFor("Handed to the app through Nango")
	term.typeText("q")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	if n := len(e.ns.Connections()); n != 1 {
		t.Errorf("%d connections, want the one h h made", n)
	}
	requireNoSecret(t, term.output(), latticetest.KeyAdmin)
}
