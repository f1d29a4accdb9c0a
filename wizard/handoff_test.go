package wizard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
	"github.com/lattice-link/lattice-link/steps"
)

func nangoClient(t *testing.T, ns *nangodemo.Server, token string) *nango.Client {
	t.Helper()
	nl, err := nango.ParseLink(ns.Link(token), ns.URL)
	if err != nil {
		t.Fatal(err)
	}
	return nango.New(nl, nango.Options{Version: "test"})
}

func TestConnectHandsTheKeyToTheApp(t *testing.T) {
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	token := ns.NewSession()
	store := config.NewMemory()
	tm := program(t, New(Options{Start: steps.Connect, Link: testLink(client, store),
		Nango: &Handoff{Client: nangoClient(t, ns, token)}}), 100, 30)
	var seen strings.Builder
	waitForScreen(t, tm, "Nango: for Grace Hopper <grace@example.com> at Acme Corp", &seen)
	tm.Type(latticedemo.KeyRevoked)
	tm.Send(press("enter"))
	waitForScreen(t, tm, "Nothing was sent to Nango", &seen)
	if len(ns.Posts()) != 0 {
		t.Fatal("a rejected key was posted")
	}
	tm.Send(pasteMsg(latticedemo.KeyAdmin))
	tm.Send(press("enter"))
	waitForScreen(t, tm, "Handed to the app through Nango", &seen)
	conns := ns.Connections()
	if len(conns) != 1 || conns[0].APIKey != latticedemo.KeyAdmin {
		t.Fatalf("connections %+v", conns)
	}
	waitForScreen(t, tm, conns[0].ID+" (created)", &seen)
	tm.Send(press("q"))
	m := finalModel(t, tm)
	if m.Result.Cancelled || !strings.Contains(m.Result.Summary, conns[0].ID) {
		t.Errorf("result %+v", m.Result)
	}
	if _, err := store.Get("default"); err != config.ErrNoKey {
		t.Error("the key was stored without Keep")
	}
	requireNoKey(t, seen.String()+m.View().Content, latticedemo.KeyAdmin)
	requireNoKey(t, seen.String()+m.View().Content, token)
}

func TestConnectShowsAnExpiredLinkBeforeAKeyIsTyped(t *testing.T) {
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil),
		Nango: &Handoff{Client: nangoClient(t, ns, ns.ExpiredSession()), Keep: true}}, 100, 30, true)
	run(m, lookupSession(m.app.handoff, connectOf(m)))
	if s := shown(m); !strings.Contains(s, "expired or was deleted") || !strings.Contains(s, "for an app") {
		t.Errorf("screen:\n%s", s)
	}
}

func TestAConnectLinkPastedOnConnectIsTakenAsSuch(t *testing.T) {
	srv := nangodemo.New()
	defer srv.Close()
	m := sized(Options{Start: steps.Connect, NangoURL: srv.URL}, 80, 24, true)
	_, cmd := m.Update(pasteMsg(srv.DemoLink()))
	s := shown(m)
	if connectOf(m).input.Value() != "" || !strings.Contains(s, "Took the app's Connect link") || m.app.handoff == nil {
		t.Fatalf("the link was not taken:\n%s", s)
	}
	if strings.Contains(s, "nango_connect_session_") {
		t.Fatalf("the token is on screen:\n%s", s)
	}
	run(m, cmd)
	if m.app.handoff.target == nil {
		t.Errorf("the session was not read: %v", m.app.handoff.err)
	}
}

// After a reconnect, Done says the key the app used before still works in
// Lattice until it is revoked, as the command line and plain mode do; it
// said only "Connection conn-1 (updated)" (walk F20).
func TestAReconnectSaysTheAppsPreviousKeyStillWorks(t *testing.T) {
	_, client := standIn(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil),
		Nango: &Handoff{Client: nangoClient(t, ns, ns.NewReconnectSession("conn-1"))}}, 100, 30, true)
	run(m, m.Init())
	run(m, typed(m, latticedemo.KeyAdmin))
	s := strings.Join(strings.Fields(shown(m)), " ")
	if !strings.Contains(s, "conn-1 (updated)") || !strings.Contains(s, "The key the app used before still works in Lattice") {
		t.Errorf("the reconnect's Done:\n%s", shown(m))
	}
}

// Walk 2 F29: at 40 columns the EMEA advice's header wrapped with its
// value left of its name: a warning's style hid the header's indent.
func TestTheEMEAHeaderKeepsItsIndentAtFortyColumns(t *testing.T) {
	m := sized(Options{}, 40, 10, true)
	res := link.HandedOff{Fingerprint: "••••emea", EMEAOnly: true,
		Target:     nango.Target{Integration: nango.Integration{UniqueKey: "lattice-hr", Provider: "lattice"}},
		Connection: nango.Connection{ID: "conn-1", Host: "api.nango.dev"}}
	d := &handedOffScreen{base: base{m.app}, res: res, finish: bind("q", "finish", "q")}
	lines := strings.Split(ansi.Strip(d.Body(40)), "\n")
	for i, l := range lines {
		if !strings.Contains(l, "Base-Url-Override:") || strings.Contains(l, link.EMEABaseURL) {
			continue
		}
		header := len(l) - len(strings.TrimLeft(l, " "))
		next := lines[i+1]
		if value := len(next) - len(strings.TrimLeft(next, " ")); !strings.Contains(next, link.EMEABaseURL) || value < header {
			t.Errorf("the header's value is left of its name:\n%s\n%s", l, next)
		}
		return
	}
	t.Errorf("no header:\n%s", strings.Join(lines, "\n"))
}

// The demo's hand-off Done named the stand-in's loopback port as the
// region's host, as the demo's Done did (walk 2 F3).
func TestTheDemosHandOffNamesItsStandIn(t *testing.T) {
	_, client := standIn(t)
	demo := link.New(link.Config{Profile: "default", Client: client, Folder: config.NewMemoryFolder(), Demo: true,
		OpenStore: func() (config.Store, error) { return config.NewMemory(), nil }})
	m := sized(Options{Link: demo}, 100, 30, true)
	res := link.HandedOff{Fingerprint: "••••7f3c", Connection: nango.Connection{ID: "conn-1", Host: "127.0.0.1:4000"},
		Target: nango.Target{Integration: nango.Integration{UniqueKey: "lattice-hr", Provider: "lattice"}}}
	res.Checked.Identity.Endpoint = client.Primary
	d := &handedOffScreen{base: base{m.app}, res: res, finish: bind("q", "finish", "q")}
	body := strings.Join(strings.Fields(ansi.Strip(d.Body(100))), " ")
	if strings.Contains(body, client.Primary.Host()) || !strings.Contains(body, "Region US · the demo's stand-in for Lattice") {
		t.Errorf("the demo's hand-off Done:\n%s", body)
	}
}
