package wizard

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
	"github.com/lattice-link/lattice-link/steps"
)

// homeWithLink is the home screen of a run given a Connect link, with
// key stored, the session not read yet.
func homeWithLink(t *testing.T, key string) (*Model, *nangodemo.Server, *config.Memory) {
	t.Helper()
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	store := config.NewMemory()
	if err := store.Set("default", key); err != nil {
		t.Fatal(err)
	}
	m := sized(Options{Link: testLink(client, store), Nango: &Handoff{Client: nangoClient(t, ns, ns.NewSession())}},
		100, 30, true)
	m.Update(readStored(m.app.link)())
	if _, ok := m.current.(*homeScreen); !ok {
		t.Fatalf("not on home: %T", m.current)
	}
	return m, ns, store
}

// The session is shown whichever answer comes first: the key's check or
// the link's session (it stayed on "Reading the Connect link…" when the
// check came first).
func TestHomeShowsTheSessionWhicheverAnswerComesFirst(t *testing.T) {
	for _, checkFirst := range []bool{true, false} {
		m, _, _ := homeWithLink(t, latticedemo.KeyAdmin)
		h := m.current.(*homeScreen)
		check := h.check()
		session := lookupSession(m.app.handoff, connectOf(m))
		if checkFirst {
			run(m, check)
			run(m, session)
		} else {
			run(m, session)
			run(m, check)
		}
		s := shown(m)
		if !strings.Contains(s, "Nango: for Grace Hopper") || strings.Contains(s, "Reading the Connect link") {
			t.Errorf("check first %v: the session is not shown:\n%s", checkFirst, s)
		}
		if !strings.Contains(s, "the key stays stored here") || strings.Contains(s, "not stored here") {
			t.Errorf("check first %v: home says the stored key is not stored here:\n%s", checkFirst, s)
		}
	}
}

// h waits for the session: the user sees for whom the link was made before
// the key goes anywhere.
func TestHomeHandsOverOnlyOnceTheSessionIsShown(t *testing.T) {
	m, ns, _ := homeWithLink(t, latticedemo.KeyAdmin)
	_, cmd := m.Update(press("h"))
	if cmd != nil || m.current != m.current.(*homeScreen) {
		t.Fatal("h handed the key over before the session was read")
	}
	if s := shown(m); !strings.Contains(s, "still being read") || strings.Contains(s, "h hand this key") {
		t.Errorf("h is offered or unexplained while the link is read:\n%s", s)
	}
	run(m, lookupSession(m.app.handoff, connectOf(m)))
	m.Update(press("h")) // asks first (TestHomeAsksBeforeHandingOver)
	_, cmd = m.Update(press("h"))
	run(m, cmd)
	if len(ns.Connections()) != 1 || !strings.Contains(shown(m), "Handed to the app through Nango") {
		t.Errorf("h did not hand the key over once the session was shown:\n%s", shown(m))
	}
}

// A key Lattice rejected is not offered to the app.
func TestHomeOffersNoHandOverOfARejectedKey(t *testing.T) {
	m, ns, _ := homeWithLink(t, latticedemo.KeyRevoked)
	run(m, lookupSession(m.app.handoff, connectOf(m)))
	h := m.current.(*homeScreen)
	run(m, h.check())
	if !h.rejected() {
		t.Fatalf("the revoked key was not rejected: %+v", h.status)
	}
	s := shown(m)
	if strings.Contains(s, "h hand this key") || !strings.Contains(s, "press r to hand it a new key") {
		t.Errorf("a rejected key is offered to the app:\n%s", s)
	}
	before := len(ns.Requests())
	_, cmd := m.Update(press("h"))
	run(m, cmd)
	if len(ns.Requests()) != before || m.current != h {
		t.Errorf("h went on with a rejected key: %d requests to Nango", len(ns.Requests())-before)
	}
}

// A wizard left open while another run rotated the key hands over nothing:
// the store is read again, and home shows the key stored now.
func TestHomeHandsOverWhatTheStoreHoldsNow(t *testing.T) {
	m, ns, store := homeWithLink(t, latticedemo.KeyAdmin)
	run(m, lookupSession(m.app.handoff, connectOf(m)))
	if err := store.Set("default", latticedemo.KeyMember); err != nil { // another terminal rotated
		t.Fatal(err)
	}
	m.Update(press("h"))
	_, cmd := m.Update(press("h"))
	run(m, cmd)
	if len(ns.Posts()) != 0 {
		t.Fatalf("a key was posted to Nango: %+v", ns.Connections())
	}
	s := shown(m)
	if _, home := m.current.(*homeScreen); !home || !strings.Contains(s, "changed since this screen was shown") ||
		!strings.Contains(s, lattice.Fingerprint(latticedemo.KeyMember)) {
		t.Errorf("after a rotation elsewhere h did not say so and show the new key:\n%s", s)
	}
}

// After a link that cannot take a key, the screen asks for no key: another
// link pasted is taken at once, x goes on without the app.
func TestADeadLinkIsNoDeadEnd(t *testing.T) {
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil), NangoURL: ns.URL,
		Nango: &Handoff{Client: nangoClient(t, ns, ns.ExpiredSession())}}, 100, 30, true)
	run(m, lookupSession(m.app.handoff, connectOf(m)))
	c := connectOf(m)
	s := shown(m)
	if c.Focused() || !strings.Contains(s, "Paste another Connect link, or press x") || strings.Contains(s, "Now paste your Lattice key") {
		t.Fatalf("a dead link still asks for a key:\n%s", s)
	}
	keys(m, "e", "a", "b")
	if c.Focused() || c.input.Value() != "" {
		t.Error("a key can be typed for a dead link")
	}
	_, cmd := m.Update(pasteMsg(ns.Link(ns.NewSession())))
	if !strings.Contains(shown(m), "Took the app's Connect link") {
		t.Fatalf("a fresh link was not taken:\n%s", shown(m))
	}
	run(m, cmd)
	if m.app.handoff.target == nil || !c.Focused() {
		t.Fatalf("the fresh link's session was not read, or no key is asked for: %v", m.app.handoff.err)
	}

	// x: on without the app.
	m = sized(Options{Start: steps.Connect, Link: testLink(client, nil),
		Nango: &Handoff{Client: nangoClient(t, ns, ns.NewSessionWithoutLattice())}}, 100, 30, true)
	run(m, lookupSession(m.app.handoff, connectOf(m)))
	keys(m, "x")
	if m.app.handoff != nil || !connectOf(m).Focused() || strings.Contains(shown(m), "for an app") {
		t.Errorf("x did not go on without the app:\n%s", shown(m))
	}
}

// A link typed (or pasted without bracketed paste) and enter is taken as a
// pasted one is; the habitual enter after it is no error.
func TestATypedLinkIsTakenAsAPastedOne(t *testing.T) {
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	m := sized(Options{Start: steps.Connect, NangoURL: ns.URL}, 100, 30, true)
	for _, r := range ns.Link(ns.NewSession()) {
		m.Update(press(string(r)))
	}
	_, cmd := m.Update(press("enter"))
	s := shown(m)
	if m.app.handoff == nil || !strings.Contains(s, "Took the app's Connect link") || strings.Contains(s, "not a Lattice API key") {
		t.Fatalf("a typed link was not taken:\n%s", s)
	}
	run(m, cmd)
	m.Update(press("enter"))
	c := connectOf(m)
	if c.outKind == flashErr || c.running || !strings.Contains(shown(m), "Now paste your Lattice key") {
		t.Errorf("enter after the link is an error or a check:\n%s", shown(m))
	}
}

// A link's session is read before the key is asked for: an expired link
// fails first, a good one shows for whom it was made first.
func TestTheKeyIsAskedForOnceTheLinkIsRead(t *testing.T) {
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	for _, c := range []struct {
		token string
		asks  bool
	}{{ns.NewSession(), true}, {ns.ExpiredSession(), false}} {
		m := sized(Options{Start: steps.Connect, Link: testLink(client, nil),
			Nango: &Handoff{Client: nangoClient(t, ns, c.token)}}, 100, 30, true)
		if connectOf(m).Focused() || strings.Contains(shown(m), "Key  ") {
			t.Fatalf("the key is asked for before the link is read:\n%s", shown(m))
		}
		run(m, lookupSession(m.app.handoff, connectOf(m)))
		if connectOf(m).Focused() != c.asks {
			t.Errorf("expired %v: asks for the key %v after the link is read:\n%s", !c.asks, connectOf(m).Focused(), shown(m))
		}
	}
}

// The first h hands nothing over: it asks, in the panel that is always in
// sight, naming for whom the link was made, the integration and the host
// (at 50×16 the session's lines are below the fold); any other key keeps
// the key here, and h again hands it over.
func TestHomeAsksBeforeHandingOver(t *testing.T) {
	m, ns, _ := homeWithLink(t, latticedemo.KeyAdmin)
	m.Update(tea.WindowSizeMsg{Width: 50, Height: 16})
	run(m, lookupSession(m.app.handoff, connectOf(m)))
	host := m.app.handoff.Client.Link().Host()
	for _, other := range []string{"x", "h"} {
		_, cmd := m.Update(press("h"))
		run(m, cmd)
		if len(ns.Posts()) != 0 || m.current != m.current.(*homeScreen) {
			t.Fatal("the first h handed the key over")
		}
		panel := m.panelView
		for _, want := range []string{"Press h again", "Grace Hopper", "lattice-hr", host} {
			if !strings.Contains(strings.Join(strings.Fields(ansi.Strip(panel)), " "), want) {
				t.Errorf("the question in sight does not say %q:\n%s", want, shown(m))
			}
		}
		_, cmd = m.Update(press(other))
		run(m, cmd)
		if other == "x" && (len(ns.Posts()) != 0 || !strings.Contains(shown(m), "Nothing was sent to the app")) {
			t.Errorf("another key did not keep the key here:\n%s", shown(m))
		}
	}
	if len(ns.Connections()) != 1 {
		t.Errorf("h h did not hand the key over:\n%s", shown(m))
	}
}

// A key due for rotation is said first, above the rows: at 40×10 and 50×16
// the Age row was below the fold and the screen said only "linked".
func TestHomeSaysFirstThatTheKeyIsDueForRotation(t *testing.T) {
	m, _ := homeWithKey(t, latticedemo.KeyAdmin)
	m.app.remembered.CreatedAt = time.Now().Add(-153 * 24 * time.Hour)
	m.redraw()
	m.Update(sizeMsg(40, 10))
	if s := strings.Join(strings.Fields(shown(m)), " "); !strings.Contains(s, "The key is 153 days old: press r to rotate it.") {
		t.Errorf("the due rotation is not in sight:\n%s", shown(m))
	}
}

// When Lattice could not be reached, the status says so in one sentence
// ("could not check: Could not reach…" had a capital mid-line), and at 40
// columns the help line keeps c, the one thing to do.
func TestHomeAfterAFailedCheckOffersCheckingAgain(t *testing.T) {
	m, h := homeWithKey(t, latticedemo.KeyAdmin)
	h.running = true
	m.Update(statusMsg{to: h, id: h.id, status: link.Status{Fingerprint: "••••7f3c",
		Err: &lattice.Error{Kind: lattice.Unreachable}}})
	m.Update(sizeMsg(40, 10))
	if l := lastLine(m); !strings.Contains(l, "c check again") || !strings.Contains(l, "? help") {
		t.Errorf("the help line: %q", l)
	}
	if s := shown(m); strings.Contains(s, ": Could") || !strings.Contains(s, "not checked.") {
		t.Errorf("the status:\n%s", s)
	}
}

// With a link and a rejected key, r is said once for what it does (a new
// key for the app), and the dead key's staying stored is not offered as a
// feature; "r hands it a new key instead" repeated the sentence before it
// (walk 2 F41).
func TestHomeWithALinkAndARejectedKeySaysROnce(t *testing.T) {
	m, _, _ := homeWithLink(t, latticedemo.KeyRevoked)
	run(m, lookupSession(m.app.handoff, connectOf(m)))
	run(m, m.current.(*homeScreen).check())
	s := strings.Join(strings.Fields(shown(m)), " ")
	if !strings.Contains(s, "press r to hand the app a new key.") || strings.Contains(s, "press r to replace it") ||
		strings.Contains(s, "instead") || strings.Contains(s, "stays stored here as it is") {
		t.Errorf("home:\n%s", shown(m))
	}
}

// ? on the hand-over question opens the help, and the question is still
// asked after it (? was taken as "keep it": walk 2 F37).
func TestTheHandOverQuestionOpensTheHelp(t *testing.T) {
	m := goldenLinkScreens()["home-link-ask"](Options{})
	m.Update(sizeMsg(80, 24))
	if l := lastLine(m); !strings.Contains(l, "? help") {
		t.Errorf("the question's help line: %q", l)
	}
	keys(m, "?")
	if !m.showHelp {
		t.Fatalf("? did not open the help:\n%s", shown(m))
	}
	keys(m, "esc")
	if h := m.current.(*homeScreen); m.showHelp || !h.confirmHand || strings.Contains(shown(m), "Nothing was sent") {
		t.Errorf("after the help the question is gone:\n%s", shown(m))
	}
}

// Once the headline says "press r", the Age row does not say it again
// (walk 3 G24: it did, at 80×24).
func TestHomeSaysPressROnceWhenRotationIsDue(t *testing.T) {
	m, _ := homeWithKey(t, latticedemo.KeyAdmin)
	m.app.remembered.CreatedAt = time.Now().Add(-122 * 24 * time.Hour)
	m.redraw()
	m.Update(sizeMsg(80, 24))
	s := strings.ToLower(flatShown(m))
	if n := strings.Count(s, "press r"); n != 1 || !strings.Contains(s, "rotate them on a schedule") {
		t.Errorf("press r said %d times:\n%s", n, shown(m))
	}
}
