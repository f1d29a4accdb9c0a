package wizard

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/steps"
)

// quits runs what a key returned far enough to see whether it ends the
// program: quitting waits for the remembered answers, then quits.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if quits(c) {
				return true
			}
		}
	}
	return false
}

// TestQOnEachScreenEndsAsItShould is the exit code's contract: q on the
// home screen and on Done ends the run as done (exit 0, the key stays
// linked), q on a guide step as stopped (exit 130).
func TestQOnEachScreenEndsAsItShould(t *testing.T) {
	home := sized(Options{}, 80, 24, true)
	home.Update(storedMsg{key: "demo-4f1e-admin-8c2d-7f3c"})
	if _, ok := home.current.(*homeScreen); !ok {
		t.Fatalf("not on home: %T", home.current)
	}
	done := sized(Options{}, 80, 24, true)
	res := link.Connected{Fingerprint: "••••7f3c"}
	res.Identity = lattice.Identity{Endpoint: done.app.link.Client.Primary}
	done.show(newDone(done.app, res))
	handed := sized(Options{}, 80, 24, true)
	handed.show(&handedOffScreen{base: base{handed.app}, res: link.HandedOff{}, finish: bind("q", "finish", "q")})

	for name, c := range map[string]struct {
		m         *Model
		cancelled bool
	}{
		"home":          {home, false},
		"done":          {done, false},
		"handed off":    {handed, false},
		"prerequisites": {sized(Options{Start: steps.Prerequisites}, 80, 24, true), true},
		"scim":          {sized(Options{Start: steps.SCIM}, 80, 24, true), true},
		"connect (blurred)": {func() *Model {
			m := sized(Options{Start: steps.Connect}, 80, 24, true)
			keys(m, "esc")
			return m
		}(), true},
	} {
		c.m.sync()
		_, cmd := c.m.Update(press("q"))
		if !quits(cmd) {
			t.Errorf("%s: q did not quit", name)
		}
		if c.m.Result.Cancelled != c.cancelled {
			t.Errorf("%s: q ended with cancelled=%v, want %v", name, c.m.Result.Cancelled, c.cancelled)
		}
	}
}

// TestTheKeyringFallbackNoteIsShown: why a key went to the file rather
// than the keyring is known once it is written, in Connected.StoreNote;
// Done and then the home screen say it, cleaned.
func TestTheKeyringFallbackNoteIsShown(t *testing.T) {
	m := sized(Options{Start: steps.Connect}, 100, 30, true)
	s := m.current.(*connectScreen)
	_, id := s.start()
	m.Update(connectedMsg{to: s, id: id, key: "demo-4f1e-admin-8c2d-7f3c", res: link.Connected{
		Fingerprint: "••••7f3c", Where: "/home/u/.config/lattice-link/credentials.json", StoreKind: config.FileStore,
		StoreNote: "The OS keyring is not available (it is locked\x1b[2J), so the key is kept in a file."}})
	want := "The OS keyring is not available (it is locked), so the key is kept in a file."
	if _, done := m.current.(*doneScreen); !done || !strings.Contains(strings.Join(strings.Fields(shown(m)), " "), want) {
		t.Errorf("Done does not say why the key is in the file:\n%s", shown(m))
	}
	m.show(newHome(m.app))
	m.sync()
	if v := m.View().Content; strings.Contains(v, "\x1b[2J") || !strings.Contains(strings.Join(strings.Fields(ansi.Strip(v)), " "), want) {
		t.Errorf("the home screen does not say it, cleaned:\n%q", ansi.Strip(v))
	}
}

// TestHomeIsNotReadyWithAnUnreadableKey: when the store cannot give the
// key, home does not call it linked, offers nothing that needs the key, and
// keeps the reason in sight after the flash is gone.
func TestHomeIsNotReadyWithAnUnreadableKey(t *testing.T) {
	m := sized(Options{}, 100, 30, true)
	m.app.remembered.Fingerprint = "••••7f3c"
	m.show(newHome(m.app))
	m.Update(storedMsg{err: errors.New("credentials.json can be read by others (mode 0644)")})
	keys(m, "r", "c", "f")
	s := shown(m)
	if _, home := m.current.(*homeScreen); !home || strings.Contains(s, "Lattice is linked") || strings.Contains(s, "r rotate") ||
		strings.Contains(s, "f forget") || !strings.Contains(s, "can be read by others") || !strings.Contains(s, "Key unreadable") {
		t.Errorf("home acts as if the key were ready:\n%s", s)
	}
}

// TestWhatCouldNotBeRememberedIsCleaned: an error from writing state.json
// can quote a path or a file's content; it is shown cleaned.
func TestWhatCouldNotBeRememberedIsCleaned(t *testing.T) {
	m := sized(Options{Start: steps.SCIM}, 100, 30, true)
	m.Update(rememberedMsg{err: errors.New("state.json: bad \x1b[2J\x1b]0;title\x07 name")})
	if v := m.View().Content; strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\x1b]0;") || !strings.Contains(ansi.Strip(v), "Could not remember that") {
		t.Errorf("the error reached the screen raw or not at all: %q", ansi.Strip(v))
	}
}

// TestALinkOnTheCommandLineIsSaidOnce: a Connect link given as an argument
// is readable in ps while the wizard runs; the start says so.
func TestALinkOnTheCommandLineIsSaidOnce(t *testing.T) {
	nl, err := nango.ParseLink("https://connect.nango.dev/?session_token=nango_connect_session_"+strings.Repeat("0f", 32), "")
	if err != nil {
		t.Fatal(err)
	}
	c := nango.New(nl, nango.Options{InProcessList: true})
	m := sized(Options{Start: steps.Connect, Nango: &Handoff{Client: c}}, 100, 30, true)
	if s := shown(m); !strings.Contains(s, "process list") || !strings.Contains(s, "NANGO_CONNECT_LINK") {
		t.Errorf("the start does not say the link is in the process list:\n%s", s)
	}
}

// TestASaveTakesInTheStateLinkWrote: what a save returns is the wizard's
// copy afterwards, with what another run wrote meanwhile (issue 20 item 4).
func TestASaveTakesInTheStateLinkWrote(t *testing.T) {
	l := testLink(nil, config.NewMemory())
	m := sized(Options{Start: steps.SCIM, Link: l}, 100, 30, true)
	if _, err := l.SaveSubdomain("acme"); err != nil { // another run, after this one started
		t.Fatal(err)
	}
	_, cmd := m.Update(press("space"))
	msg, ok := cmd().(rememberedMsg)
	if !ok {
		t.Fatalf("space did not save: %T", msg)
	}
	m.Update(msg)
	if p := m.app.remembered; !p.CheckSCIM || p.Subdomain != "acme" {
		t.Errorf("the wizard's copy is not what link wrote: scim %v, subdomain %q", p.CheckSCIM, p.Subdomain)
	}
}

// TestAKeyStoredAfterEscIsSaid: esc pressed while the key was already being
// written (link stores nothing once a stop came before the write; during
// it, the write finishes): the late answer says the key is stored, and the
// screen does not go on saying the check was cancelled.
func TestAKeyStoredAfterEscIsSaid(t *testing.T) {
	m := sized(Options{Start: steps.Connect}, 100, 30, true)
	s := m.current.(*connectScreen)
	_, id := s.start()
	m.Update(press("esc"))
	if !strings.Contains(shown(m), "Check cancelled") {
		t.Fatalf("esc did not cancel:\n%s", shown(m))
	}
	m.Update(connectedMsg{to: s, id: id, key: "demo-4f1e-admin-8c2d-7f3c", res: link.Connected{
		Fingerprint: "••••7f3c", Where: "the OS keyring", StoreKind: config.KeyringStore}})
	if _, done := m.current.(*doneScreen); !done || m.app.stored != "demo-4f1e-admin-8c2d-7f3c" {
		t.Fatalf("a key stored after esc is not shown as stored:\n%s", shown(m))
	}
	if v := strings.Join(strings.Fields(shown(m)), " "); !strings.Contains(v, "it is stored") || strings.Contains(v, "Check cancelled") {
		t.Errorf("the screen does not say the key was stored after all:\n%s", shown(m))
	}

	// A late failure of a cancelled check is dropped, as before.
	m = sized(Options{Start: steps.Connect}, 100, 30, true)
	s = m.current.(*connectScreen)
	_, id = s.start()
	m.Update(press("esc"))
	m.Update(connectedMsg{to: s, id: id, err: context.Canceled})
	if _, still := m.current.(*connectScreen); !still || !strings.Contains(shown(m), "Check cancelled") {
		t.Errorf("a cancelled check's late failure changed the screen:\n%s", shown(m))
	}
}

// TestAHandOffDoneAfterEscIsSaid: esc pressed after Nango had taken the
// key: the late answer says the app has it (Done for the hand-off), not
// that the check was cancelled.
func TestAHandOffDoneAfterEscIsSaid(t *testing.T) {
	m := sized(Options{Start: steps.Connect}, 100, 30, true)
	s := m.current.(*connectScreen)
	_, id := s.start()
	m.Update(press("esc"))
	m.Update(handedOffMsg{to: s, id: id, key: "demo-4f1e-admin-8c2d-7f3c", res: link.HandedOff{Connection: nango.Connection{ID: "conn-1", Host: "api.nango.dev"}}})
	if v := strings.Join(strings.Fields(shown(m)), " "); !strings.Contains(v, "the app has the key") || strings.Contains(v, "Check cancelled") {
		t.Errorf("a hand-off finished after esc is not said:\n%s", shown(m))
	}
}

// TestEscWhileTheKeyGoesToNangoSaysTheAppMayHaveIt: once the key is on its
// way to Nango, esc cannot know whether it arrived, and the screen does not
// say a mere "check cancelled".
func TestEscWhileTheKeyGoesToNangoSaysTheAppMayHaveIt(t *testing.T) {
	nl, err := nango.ParseLink("https://connect.nango.dev/?session_token=nango_connect_session_"+strings.Repeat("0f", 32), "")
	if err != nil {
		t.Fatal(err)
	}
	m := sized(Options{Start: steps.Connect, Nango: &Handoff{Client: nango.New(nl, nango.Options{})}}, 100, 30, true)
	s := m.current.(*connectScreen)
	s.start()
	s.stage = link.StageNango
	m.Update(press("esc"))
	if !strings.Contains(s.outcome, "the app may have it") || s.running {
		t.Errorf("esc while sending to Nango: running %v, outcome %q", s.running, s.outcome)
	}
}
