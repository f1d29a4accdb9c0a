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
	if r := e.run(latticedemo.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatalf("connect: %d %s", r.code, r.stderr)
	}
	term := e.with("NANGO_CONNECT_LINK="+e.ns.Link(e.ns.NewSession())).terminal(50, 16)
	term.waitFor("h hand it to the app")
	term.typeText("h")
	term.waitFor("Press h again")
	screen := flat(term.screen())
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
	requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
}

// TestSmallConnectKeepsTheLinksQuestionInSight (walk F15): at 40×10 the
// question about a link's unknown host names a and the host, and the help
// line names a and x; at 50×16 an expired link keeps what to do (ask the
// app for a new link) and that the key was not sent.
func TestSmallConnectKeepsTheLinksQuestionInSight(t *testing.T) {
	e := newNangoSandbox(t)
	term := e.untrusted().with("NANGO_CONNECT_LINK="+e.ns.Link(e.ns.NewSession())).terminal(40, 10, "connect")
	term.waitFor("Press a to send the key to")
	screen := term.screen()
	host := strings.TrimPrefix(e.ns.URL, "http://")
	if !strings.Contains(flat(screen), "Press a to send the key to "+host) {
		t.Errorf("the question does not name the host %s:\n%s", host, screen)
	}
	for _, want := range []string{"a approve", "x no app", "q quit"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the help line lacks %q:\n%s", want, screen)
		}
	}
	term.typeText("q")
	term.exit()

	term = e.with("NANGO_CONNECT_LINK="+e.ns.Link(e.ns.ExpiredSession())).terminal(50, 16, "connect")
	term.waitFor("expired")
	term.waitFor("x no app")
	screen = flat(term.screen())
	for _, want := range []string{"Ask the app for a new Connect link", "The key was not sent anywhere", "press x"} {
		if !strings.Contains(screen, want) {
			t.Errorf("an expired link at 50×16 loses %q:\n%s", want, term.screen())
		}
	}
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
	if s := flat(term.screen()); !strings.Contains(s, "process list (ps)") || !strings.Contains(s, "NANGO_CONNECT_LINK instead") {
		t.Errorf("--nango LINK: no word on screen that the token is in ps:\n%s", term.screen())
	}
	term.typeText("\x03")
	term.exit()
	term = e.with("NANGO_CONNECT_LINK="+e.ns.Link(e.ns.NewSession())).terminal(80, 24)
	term.waitFor("Nango: for Grace Hopper")
	if term.shows("process list") {
		t.Errorf("NANGO_CONNECT_LINK: the ps note is shown:\n%s", term.screen())
	}
	term.typeText("\x03")
	term.exit()
}

// flat is a screen dump as one line of words, its frame dropped: a sentence
// wrapped over lines reads as one.
func flat(screen string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("│", " ", "┌─", " ", "└─", " ").Replace(screen)), " ")
}
