package wizard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
	"github.com/lattice-link/lattice-link/steps"
)

// untrusted is a client for a link whose apiURL names the stand-in, which
// nobody named for this run: its host needs the user's approval.
func untrusted(t *testing.T, ns *nangodemo.Server, token string) *nango.Client {
	t.Helper()
	nl, err := nango.ParseLink(ns.Link(token), "")
	if err != nil {
		t.Fatal(err)
	}
	c := nango.New(nl, nango.Options{Version: "test"})
	if !c.NeedsApproval() {
		t.Fatal("the stand-in's host needs no approval")
	}
	return c
}

// A link naming another Nango API asks before anything goes there, not
// even the session's token; a pasted key is no answer; a pressed by hand is.
func TestALinkToAnotherHostAsksBeforeTheKey(t *testing.T) {
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil),
		Nango: &Handoff{Client: untrusted(t, ns, ns.NewSession())}}, 100, 30, true)
	run(m, m.Init())
	c := connectOf(m)
	host := m.app.handoff.Client.Link().Host()
	s := shown(m)
	if len(ns.Requests()) != 0 || c.Focused() || !strings.Contains(s, "Nango API at "+host) ||
		!strings.Contains(s, "Press a to send the key to "+host) {
		t.Fatalf("the host is not asked about first (%d requests):\n%s", len(ns.Requests()), s)
	}
	pasted(m, latticedemo.KeyAdmin, "a")
	if c.input.Value() != "" || len(ns.Requests()) != 0 || !m.app.handoff.approving() {
		t.Fatalf("a paste answered the question or was kept as a key (%d requests)", len(ns.Requests()))
	}
	m.app.now = byHand()
	_, cmd := m.Update(press("a"))
	run(m, cmd)
	if m.app.handoff.target == nil || !c.Focused() || !strings.Contains(shown(m), "Nango: for Grace Hopper") {
		t.Fatalf("after a the session is not read, or no key is asked for: %v\n%s", m.app.handoff.err, shown(m))
	}
}

// A link that allows several Lattice integrations lets the user pick one,
// and the key goes to that one.
func TestSeveralLatticeIntegrationsAreAChoice(t *testing.T) {
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	ns.SetIntegrations(
		nangodemo.Integration{UniqueKey: "lattice-hr", Provider: "lattice", DisplayName: "Lattice HR", AuthMode: nangodemo.AuthAPIKey},
		nangodemo.Integration{UniqueKey: "lattice-eu", Provider: "lattice", DisplayName: "Lattice EU", AuthMode: nangodemo.AuthAPIKey})
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil),
		Nango: &Handoff{Client: nangoClient(t, ns, ns.NewSession())}}, 100, 30, true)
	run(m, m.Init())
	s := shown(m)
	if !m.app.handoff.choosing() || connectOf(m).Focused() || !strings.Contains(s, "1  lattice-hr") || !strings.Contains(s, "2  lattice-eu") {
		t.Fatalf("the integrations are not offered:\n%s", s)
	}
	_, cmd := m.Update(press("2"))
	run(m, cmd)
	if m.app.handoff.target == nil || m.app.handoff.target.Integration.UniqueKey != "lattice-eu" || !connectOf(m).Focused() {
		t.Fatalf("2 did not pick lattice-eu: %+v %v", m.app.handoff.target, m.app.handoff.err)
	}
	run(m, typed(m, latticedemo.KeyAdmin))
	if conns := ns.Connections(); len(conns) != 1 || conns[0].ProviderConfigKey != "lattice-eu" {
		t.Errorf("connections %+v", conns)
	}
}

// On the home screen too the host is asked about before h is offered.
func TestHomeAsksAboutTheHostBeforeHandingOver(t *testing.T) {
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	store := config.NewMemory()
	if err := store.Set("default", latticedemo.KeyAdmin); err != nil {
		t.Fatal(err)
	}
	m := sized(Options{Link: testLink(client, store), Nango: &Handoff{Client: untrusted(t, ns, ns.NewSession())}}, 100, 30, true)
	run(m, m.Init())
	if _, home := m.current.(*homeScreen); !home {
		t.Fatalf("not on home: %T", m.current)
	}
	s := shown(m)
	if strings.Contains(s, "h hand it to the app") || !strings.Contains(s, "a approve") || len(ns.Requests()) != 0 {
		t.Fatalf("home offers h before the host is approved:\n%s", s)
	}
	_, cmd := m.Update(press("a"))
	run(m, cmd)
	if !strings.Contains(shown(m), "h hand it to the app") {
		t.Errorf("h is not offered once the host is approved:\n%s", shown(m))
	}
}

// A hand-off that keeps a copy here remembers what link wrote for it.
func TestAKeptHandOffRemembersWhatLinkWrote(t *testing.T) {
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil),
		Nango: &Handoff{Client: nangoClient(t, ns, ns.NewSession()), Keep: true}}, 100, 30, true)
	run(m, m.Init())
	run(m, typed(m, latticedemo.KeyAdmin))
	if p := m.app.remembered; p.Owner.Name != latticedemo.Grace.Name || p.CreatedAt.IsZero() {
		t.Errorf("remembered %+v", p)
	}
}

// In a small window the question still says what each answer picks: the
// integrations by name ("press 1–2 to choose" named none), and, when it
// fits, the whole question about the host.
func TestASmallWindowsQuestionSaysWhatEachKeyPicks(t *testing.T) {
	for _, size := range [][2]int{{40, 10}, {50, 16}} {
		m := goldenLinkScreens()["connect-link-choice"](Options{})
		m.Update(sizeMsg(size[0], size[1]))
		if s := shown(m); !strings.Contains(s, "lattice-hr") || !strings.Contains(s, "lattice-eu") {
			t.Errorf("%v: the integrations are not named:\n%s", size, s)
		}
	}
	m := goldenLinkScreens()["connect-link-host"](Options{})
	m.Update(sizeMsg(50, 16))
	if s := shown(m); !strings.Contains(strings.Join(strings.Fields(s), " "), "A link does not decide where your key goes") {
		t.Errorf("50×16: the host question is cut although it fits:\n%s", s)
	}
}

// Walk 2 F10: an integration's display name in parentheses nested its own
// ("lattice-hr-staging (Lattice (staging))").
func TestTheIntegrationsNamesDoNotNestParentheses(t *testing.T) {
	h := newHandoffState(*goldenHandoff(""))
	h.choices = []nango.Integration{{UniqueKey: "lattice-hr", DisplayName: "Lattice"},
		{UniqueKey: "lattice-hr-staging", DisplayName: "Lattice (staging)"}}
	got := ansi.Strip(strings.Join(h.questionLines(NewStyles(true), 80), "\n"))
	if strings.Contains(got, "))") || !strings.Contains(got, "2  lattice-hr-staging  Lattice (staging)") {
		t.Errorf("the choices:\n%s", got)
	}
}
