package wizard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/steps"
)

// panelWords is the panel as one line of words: what it says, wherever it
// wraps.
func panelWords(m *Model) string { return strings.Join(strings.Fields(ansi.Strip(m.panelView)), " ") }

// Walk 2 F9: at 40×10 the link's session (for whom, which integration,
// which host) was cut to one line and the note under the input was cut at
// its width, at 50×16 too. Before a paste the session is whole; after it,
// the paste's note is whole and the session keeps the host, without the
// user's email.
func TestTheLinksSessionStaysWholeInASmallWindow(t *testing.T) {
	for _, size := range [][2]int{{40, 10}, {50, 16}} {
		m := goldenLinkScreens()["connect-link"](Options{})
		m.Update(sizeMsg(size[0], size[1]))
		requireFits(t, m, size[0], size[1])
		session := "Nango: for Ada Lovelace <ada@example.com> at Acme · integration lattice-hr at api.nango.dev · not stored here"
		if got := panelWords(m); !strings.Contains(got, session) {
			t.Errorf("%v: the session is not whole: %q", size, got)
		}
		if size[0] == 50 && !strings.Contains(panelWords(m), pasteKeyForApp) {
			t.Errorf("%v: the note is cut: %q", size, panelWords(m))
		}
		m.Update(pasteMsg("demo-4f1e-admin-8c2d-7f3c"))
		requireFits(t, m, size[0], size[1])
		got := panelWords(m)
		if !strings.Contains(got, "received 25 characters, ending …7f3c") ||
			!strings.Contains(got, "integration lattice-hr at api.nango.dev · not stored here") {
			t.Errorf("%v: after a paste the note or where the key goes is cut:\n%s", size, shown(m))
		}
	}
}

// Walk 2 F28: after x (no app) the note saying what happens to the key was
// cut at every common size: it was not wrapped.
func TestGoingOnWithoutTheAppIsSaidWhole(t *testing.T) {
	for _, size := range [][2]int{{40, 10}, {50, 16}, {80, 24}} {
		m := goldenLinkScreens()["connect-link-expired"](Options{})
		m.Update(sizeMsg(size[0], size[1]))
		keys(m, "x")
		requireFits(t, m, size[0], size[1])
		if got := panelWords(m); !strings.Contains(got, "the key you paste is checked and stored on this machine.") {
			t.Errorf("%v: %q", size, got)
		}
	}
}

// Walk 2 F11: at 40×10 the warning about a host that is not Nango Cloud
// was left out (only "press a to send the key to HOST" was shown), and a
// failed link lost what happened; the ways on take fewer words there.
func TestALinksQuestionOrFailureKeepsItsWarningAtFortyByTen(t *testing.T) {
	host := goldenLinkScreens()["connect-link-host"](Options{})
	host.Update(sizeMsg(40, 10))
	if got := panelWords(host); !strings.Contains(got, "A link does not decide where your key goes: you do.") ||
		!strings.Contains(got, "nango.acme-apps.example is the app's own Nango") || !strings.Contains(got, "press x") {
		t.Errorf("the host's warning: %q", got)
	}
	expired := goldenLinkScreens()["connect-link-expired"](Options{})
	expired.Update(sizeMsg(40, 10))
	if got := panelWords(expired); !strings.Contains(got, "The Connect link has expired or was deleted.") ||
		!strings.Contains(got, "Paste the new link here, or press x.") || strings.Contains(got, "…") {
		t.Errorf("the expired link: %q", got)
	}
}

// Walk 2 F13: the rotation's screen offered to paste an app's Connect
// link, which would send the new key to the app instead of replacing the
// stored one.
func TestARotationOffersNoConnectLink(t *testing.T) {
	store := config.NewMemory()
	_ = store.Set("default", "demo-4f1e-admin-8c2d-7f3c")
	m := sized(Options{Link: testLink(nil, store), Start: steps.Connect}, 80, 24, true)
	m.Update(readStored(m.app.link)())
	if s := shown(m); !strings.Contains(s, "Rotate") || strings.Contains(s, "Connect link") {
		t.Errorf("the rotation offers a Connect link:\n%s", s)
	}
	if s := shown(sized(Options{Start: steps.Connect}, 80, 24, true)); !strings.Contains(s, "Came from an app's Connect link?") {
		t.Errorf("a first connect does not offer one:\n%s", s)
	}
}

// Walk 2 F13: with a Connect link, the step's text said the tool "stores
// only a key that Lattice accepts" right above "not stored here".
func TestConnectForAnAppSaysTheKeyIsNotStored(t *testing.T) {
	m := goldenLinkScreens()["connect-link"](Options{})
	m.Update(sizeMsg(100, 40))
	s := strings.Join(strings.Fields(shown(m)), " ")
	if strings.Contains(s, "stores only a key") || !strings.Contains(s, "only a key it accepts goes to the app") ||
		!strings.Contains(s, "It is not stored on this machine.") {
		t.Errorf("Connect for an app:\n%s", shown(m))
	}
}

// Walk 2 F28: a link whose Nango could not be reached offered only another
// link or no app, as if the link were at fault; r tries the same link
// again.
func TestALinkWhoseNangoDidNotAnswerIsTriedAgain(t *testing.T) {
	m := sized(Options{Start: steps.Connect, Nango: goldenHandoff("")}, 40, 10, true)
	c := connectOf(m)
	m.Update(sessionMsg{to: c, state: m.app.handoff, err: &nango.Error{Kind: nango.Unreachable, Call: nango.CallSession,
		Host: "api.nango.dev"}})
	if l := lastLine(m); !strings.Contains(l, "r try again") || !strings.Contains(l, "? help") {
		t.Errorf("the help line: %q", l)
	}
	if got := panelWords(m); !strings.Contains(got, "Press r to try again, or x (no app).") {
		t.Errorf("the panel: %q", got)
	}
	_, cmd := m.Update(press("r"))
	if cmd == nil || !m.app.handoff.reading() {
		t.Fatalf("r did not read the link again: %v", m.app.handoff.err)
	}
	m.Update(sessionMsg{to: c, state: m.app.handoff, target: nango.Target{
		Integration: nango.Integration{UniqueKey: "lattice-hr", Provider: "lattice"}}})
	if !m.app.handoff.usable() || !c.input.Focused() {
		t.Errorf("the link read again takes no key:\n%s", shown(m))
	}

	expired := goldenLinkScreens()["connect-link-expired"](Options{})
	expired.Update(sizeMsg(80, 24))
	if s := shown(expired); strings.Contains(s, "try again") || strings.Contains(s, "r try") {
		t.Errorf("an expired link is offered again:\n%s", s)
	}
}
