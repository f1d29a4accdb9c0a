package e2e

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// The walk's findings about the wizard at the smallest sizes: what decides
// where the key goes is always on screen.

// TestSmallHomeAsksBeforeHandingOver (walk F25): at 50×16 the link's
// session is below the fold of the home screen, so the first h only asks,
// in the lines that are always in sight, naming for whom, the integration
// and the host; nothing reaches Nango until h is pressed again.
func TestSmallHomeAsksBeforeHandingOver(t *testing.T) {
	e := newNangoSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	term := e.with(e.linkVar()).terminal(50, 16)
	term.waitFor("h hand it to the app")
	term.typeText("h")
	term.waitFor("Press h again")
	term.waitForWords("Grace Hopper", "lattice-hr", "127.0.0.1") // the question names them
	if n := len(e.ns.Posts()); n != 0 {
		t.Fatalf("the first h posted %d times to Nango", n)
	}
	term.typeText("h")
	term.waitFor("Handed to the app through Nango")
	term.typeText("q")
	term.requireExit(0)
	if n := len(e.ns.Connections()); n != 1 {
		t.Errorf("%d connections, want the one h h made", n)
	}
	requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
}

// TestSmallConnectKeepsTheLinksQuestionInSight (walk F15): at 40×10 the
// question about a link's unknown host names a and the host, and the help
// line names a and x; at 50×16 an expired link keeps what to do (ask the
// app for a new link) and that the key was not sent.
func TestSmallConnectKeepsTheLinksQuestionInSight(t *testing.T) {
	e := newNangoSandbox(t)
	term := e.untrusted().with(e.linkVar()).terminal(40, 10, "connect")
	host := strings.TrimPrefix(e.ns.URL, "http://")
	term.waitUntil("the question naming "+host+", and a, x and q in the help line", func(v view) bool {
		return v.reads("Press a only if "+host+" is the app's own Nango") && v.has("a approve") && v.has("x no app") && v.has("q quit")
	})
	term.typeText("q")
	term.exit()

	term = e.with("NANGO_CONNECT_LINK="+e.ns.Link(e.ns.ExpiredSession())).terminal(50, 16, "connect")
	term.waitFor("expired", "x no app")
	term.waitForWords("Ask the app for a new Connect link", "The key was not sent anywhere", "press x")
	term.typeText("q")
	term.exit()
}

// TestWizardSaysALinkOnTheCommandLineIsInPs (walk F7, issue 17 item 10):
// the wizard given --nango LINK says once, on screen, that the token is
// readable in ps and points to NANGO_CONNECT_LINK; the variable says nothing.
func TestWizardSaysALinkOnTheCommandLineIsInPs(t *testing.T) {
	e := newNangoSandbox(t)
	term := e.terminal(80, 24, "--nango", e.ns.Link(e.ns.NewSession()))
	term.waitFor("Nango: for Grace Hopper")
	term.waitForWords("process list (ps)", "NANGO_CONNECT_LINK instead")
	term.typeText("\x03")
	term.exit()
	term = e.with(e.linkVar()).terminal(80, 24)
	term.waitFor("Nango: for Grace Hopper")
	term.requireNot("process list")
	term.typeText("\x03")
	term.exit()
}
