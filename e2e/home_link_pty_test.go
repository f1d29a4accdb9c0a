package e2e

import (
	"fmt"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticetest"
)

// TestHomeWithALinkAlwaysShowsTheSession opens the home screen with a key
// stored and a Connect link, again and again: whichever of the key's check
// and the link's session Nango and Lattice answer first, the screen ends up
// showing both (it stayed on "Reading the Connect link…" in 4 of 15 runs).
// h is offered only then, and hands the key over. Run it beside busy
// loops (see README) to shake the order of the answers.
func TestHomeWithALinkAlwaysShowsTheSession(t *testing.T) {
	e := newNangoSandbox(t)
	if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatalf("connect: %d %s", r.code, r.stderr)
	}
	const runs = 6
	for i := range runs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			term := e.with("NANGO_CONNECT_LINK="+e.ns.Link(e.ns.NewSession())).terminal(100, 30)
			term.waitFor("Nango: for Grace Hopper")
			term.waitFor("valid: Lattice accepted it at")
			term.waitFor("h hand it to the app")
			if i < runs-1 {
				term.typeText("q")
				if code := term.exit(); code != 0 {
					t.Fatalf("q on home: exit %d", code)
				}
				return
			}
			term.typeText("h")
			term.waitFor("Handed to the app through Nango")
			term.typeText("q")
			if code := term.exit(); code != 0 {
				t.Fatalf("q after the hand-off: exit %d", code)
			}
			requireNoSecret(t, term.output(), latticetest.KeyAdmin)
		})
	}
	if n := len(e.ns.Connections()); n != 1 {
		t.Errorf("%d connections, want the one h made", n)
	}
}
