package e2e

import (
	"fmt"
	"testing"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestHomeWithALinkAlwaysShowsTheSession opens the home screen with a key
// stored and a Connect link, again and again: whichever of the key's check
// and the link's session Nango and Lattice answer first, the screen ends up
// showing both (it stayed on "Reading the Connect link…" in 4 of 15 runs).
// h is offered only then, and hands the key over. Run it beside busy
// loops (see README) to shake the order of the answers.
func TestHomeWithALinkAlwaysShowsTheSession(t *testing.T) {
	e := newNangoSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	const runs = 6
	for i := range runs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			term := e.in(t).with(e.linkVar()).terminal(100, 30)
			term.waitFor("Nango: for Grace Hopper", "valid: Lattice accepted it at", "h hand it to the app")
			if i < runs-1 {
				term.typeText("q")
				term.requireExit(0)
				return
			}
			handOverFromHome(term)
			term.typeText("q")
			term.requireExit(0)
			requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
		})
	}
	if n := len(e.ns.Connections()); n != 1 {
		t.Errorf("%d connections, want the one h made", n)
	}
}

// TestWizardNamesTheEnvironmentKey: with LATTICE_API_KEY set, the home
// screen says that scripts get that key, not the one stored.
func TestWizardNamesTheEnvironmentKey(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	term := e.with("LATTICE_API_KEY="+latticedemo.KeyMember).terminal(100, 30)
	term.waitFor("LATTICE_API_KEY is set here (" + lattice.Fingerprint(latticedemo.KeyMember) + ")")
	term.typeText("q")
	term.exit()
	requireNoSecret(t, term.output(), latticedemo.KeyMember)
}

// TestWizardAsksBeforeSendingToAnotherNango: a Connect link whose apiURL
// names a Nango API nobody named for the run gets nothing, not even its
// session read, until the user presses a; then the key goes there.
func TestWizardAsksBeforeSendingToAnotherNango(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {50, 16}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			e := newNangoSandbox(t)
			term := e.untrusted().with(e.linkVar()).terminal(size[0], size[1], "connect")
			term.waitForWords("not Nango Cloud") // where it wraps depends on the port
			if n := len(e.ns.Requests()); n != 0 {
				t.Fatalf("%d requests reached the host before it was approved", n)
			}
			term.typeText("a")
			term.waitFor("Grace Hopper")
			term.typeText(latticedemo.KeyAdmin + "\r")
			term.waitFor("Handed to the app")
			term.typeText("q")
			term.requireExit(0)
			if conns := e.ns.Connections(); len(conns) != 1 {
				t.Errorf("connections %+v", conns)
			}
			requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
		})
	}
}

// TestAPasteNeverForgetsTheKey: a paste that ends early and carries f y
// (printf 'junk\e[201~fy' pasted; tmux 3.3 passes it through) leaves the
// key stored.
func TestAPasteNeverForgetsTheKey(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	term := e.terminal(100, 30)
	term.waitFor("valid: Lattice accepted it")
	term.typeText("\x1b[200~junk\x1b[201~fy\x1b[201~")
	term.waitFor("not taken as answers")
	term.typeText("q")
	term.exit()
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("the key is gone after the paste: %q %s", r.Stdout, r.Stderr)
	}
}
