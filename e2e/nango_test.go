package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/internal/standin"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
)

// nangoSandbox is a sandbox with a stand-in for an app's Nango too. The
// stand-in is named in NANGO_SERVER_URL, as a self-hosted Nango is: that is
// what trusts its host with a key (untrusted is unset NANGO_SERVER_URL).
type nangoSandbox struct {
	*sandbox
	ns *nangodemo.Server
}

func newNangoSandbox(t *testing.T) *nangoSandbox {
	t.Helper()
	stand := standin.Start()
	stand.StartNango()
	t.Cleanup(stand.Close)
	return &nangoSandbox{sandbox: sandboxFor(t, stand), ns: stand.Nango}
}

// handedOver is the one connection the stand-in for Nango holds, which must
// hold key: what a hand-off made.
func (e *nangoSandbox) handedOver(key string) nangodemo.Connection {
	e.t.Helper()
	conns := e.ns.Connections()
	if len(conns) != 1 || conns[0].APIKey != key {
		e.t.Fatalf("connections: %+v", conns)
	}
	return conns[0]
}

// linkVar is NANGO_CONNECT_LINK set to a new session's Connect link, for with.
func (e *nangoSandbox) linkVar() string {
	return "NANGO_CONNECT_LINK=" + e.ns.Link(e.ns.NewSession())
}

// untrusted is the sandbox without NANGO_SERVER_URL: a link's apiURL to the
// stand-in is then a host nobody named.
func (e *nangoSandbox) untrusted() *sandbox { return e.with("NANGO_SERVER_URL=") }

// handoffStatusJSON is the part of status --json about hand-offs.
type handoffStatusJSON struct {
	Status string `json:"status"`
	Nango  []struct {
		Host         string    `json:"host"`
		Integration  string    `json:"integration"`
		ConnectionID string    `json:"connection_id"`
		Action       string    `json:"action"`
		At           time.Time `json:"at"`
		Fingerprint  string    `json:"fingerprint"`
	} `json:"nango"`
}

func TestNangoHandOffExitCodes(t *testing.T) {
	e := newNangoSandbox(t)
	link := e.ns.Link

	// Lattice rejects the key: exit 1, nothing posted.
	r := e.run(latticedemo.KeyRevoked, "connect", "--nango", link(e.ns.NewSession()), "--key-stdin")
	if r.Code != 1 || !strings.Contains(r.Stderr, "Nothing was sent to Nango") {
		t.Fatalf("rejected: %d\n%s", r.Code, r.Stderr)
	}
	if posts := e.ns.Posts(); len(posts) != 0 {
		t.Fatalf("a rejected key was posted: %+v", posts)
	}

	// An expired link, or one without Lattice: exit 5 before Lattice is asked.
	before := len(e.srv.Requests())
	for name, token := range map[string]string{"expired": e.ns.ExpiredSession(), "no Lattice": e.ns.NewSessionWithoutLattice()} {
		r := e.run(latticedemo.KeyAdmin, "connect", "--nango", link(token), "--key-stdin")
		if r.Code != 5 || !strings.Contains(r.Stderr, "Ask the app for") || !strings.Contains(r.Stderr, "The key was not sent anywhere") {
			t.Errorf("%s: %d\n%s", name, r.Code, r.Stderr)
		}
	}
	if n := len(e.srv.Requests()); n != before {
		t.Errorf("Lattice was asked %d times about a key for a link that could not work", n-before)
	}

	// Nango refuses the POST: exit 5, nothing stored, nothing remembered.
	e.ns.FailNext(nangodemo.Fault{Method: http.MethodPost, Status: 400, Code: "connection_validation_failed", Message: "the app's check failed"})
	r = e.run(latticedemo.KeyAdmin, "connect", "--nango", link(e.ns.NewSession()), "--key-stdin", "--keep")
	if r.Code != 5 || !strings.Contains(r.Stderr, "refused the key: the app's check failed.") ||
		!strings.HasSuffix(strings.TrimSpace(r.Stderr), "Nango's code: connection_validation_failed.") ||
		!strings.Contains(r.Stderr, "Nango deleted the connection it had made") || !strings.Contains(r.Stderr, "Lattice accepted the key") {
		t.Errorf("refused: %d\n%s", r.Code, r.Stderr)
	}
	if r := e.run("", "token"); r.Code != 3 {
		t.Errorf("a key Nango refused was stored: %d", r.Code)
	}

	// Lattice unreachable: exit 4; Nango unreachable: exit 5.
	if r := e.with("LATTICE_API_URL=http://127.0.0.1:1").run(latticedemo.KeyAdmin, "connect", "--nango", link(e.ns.NewSession()), "--key-stdin"); r.Code != 4 {
		t.Errorf("Lattice down: %d\n%s", r.Code, r.Stderr)
	}
	down := "https://connect.nango.dev/?session_token=" + nangodemo.NewToken() + "&apiURL=" + url.QueryEscape("http://127.0.0.1:1")
	if r := e.with("NANGO_SERVER_URL=http://127.0.0.1:1").run(latticedemo.KeyAdmin, "connect", "--nango", down, "--key-stdin"); r.Code != 5 ||
		!strings.Contains(r.Stderr, "reach Nango") || !strings.Contains(r.Stderr, "the connection was refused") {
		t.Errorf("Nango down: %d\n%s", r.Code, r.Stderr)
	}
	if posts := e.ns.Posts(); len(posts) != 1 {
		t.Errorf("posts: %+v", posts)
	}

	// Usage errors: exit 2, before anything is asked.
	before, nangoBefore := len(e.srv.Requests()), len(e.ns.Requests())
	token := e.ns.NewSession()
	for name, args := range map[string][]string{
		"not a link":           {"--nango", "https://example.com/connect", "--key-stdin"},
		"short token":          {"--nango", "nango_connect_session_abc", "--key-stdin"},
		"http to a name":       {"--nango", "https://connect.nango.dev/?session_token=" + token + "&apiURL=http://nango.example.com", "--key-stdin"},
		"http --nango-url":     {"--nango", token, "--nango-url", "http://nango.example.com", "--key-stdin"},
		"http to a look-alike": {"--nango", token, "--nango-url", "http://localhost.example.com:3003", "--key-stdin"},
		"stored and stdin":     {"--nango", link(token), "--stored", "--key-stdin"},
		"keep without nango":   {"--keep", "--key-stdin"},
		"stored without link":  {"--stored"},
		"demo link, no demo":   {"--nango", "demo", "--key-stdin"},
		"real link in demo":    {"--demo", "--nango", link(token), "--key-stdin"},
		"no terminal, no key":  {"--nango", link(token)},
	} {
		r := e.run(latticedemo.KeyAdmin, append([]string{"connect"}, args...)...)
		if r.Code != 2 {
			t.Errorf("%s: %d\n%s", name, r.Code, r.Stderr)
		}
		requireNoSecret(t, r.Stdout+r.Stderr, token)
	}
	if len(e.srv.Requests()) != before || len(e.ns.Requests()) != nangoBefore {
		t.Error("a usage error reached Lattice or Nango")
	}

	// --stored with no key stored: exit 3, nothing posted.
	if r := e.run("", "connect", "--nango", link(e.ns.NewSession()), "--stored"); r.Code != 3 {
		t.Errorf("--stored, no key: %d\n%s", r.Code, r.Stderr)
	}
	if len(e.ns.Posts()) != 1 {
		t.Error("--stored without a key posted something")
	}
}

func TestNangoHandOffCreatesThenUpdates(t *testing.T) {
	e := newNangoSandbox(t)
	r := e.run(latticedemo.KeyAdmin+"\n", "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--key-stdin")
	if r.Code != 0 {
		t.Fatalf("hand-off: %d\n%s", r.Code, r.Stderr)
	}
	id := e.handedOver(latticedemo.KeyAdmin).ID
	for _, says := range []string{"Grace Hopper <grace@example.com>", "Acme Corp", "makes a new Lattice connection",
		"Connection " + id + " (created)", "no copy was kept on this machine", "Integration " + nangodemo.LatticeKey + " (Lattice) at "} {
		if !strings.Contains(r.Stderr, says) {
			t.Errorf("stderr does not say %q:\n%s", says, r.Stderr)
		}
	}
	if r.Stdout != "" {
		t.Errorf("stdout: %q", r.Stdout)
	}
	// Not stored unless --keep.
	if r := e.run("", "token"); r.Code != 3 {
		t.Errorf("stored without --keep: %d %q", r.Code, r.Stdout)
	}

	// A reconnect link updates the same connection, and --keep stores the key.
	r = e.run(latticedemo.KeyRotated, "connect", "--nango", e.ns.Link(e.ns.NewReconnectSession(id)), "--key-stdin", "--keep")
	if r.Code != 0 || !strings.Contains(r.Stderr, "Connection "+id+" (updated)") ||
		!strings.Contains(r.Stderr, "a reconnect") || !strings.Contains(r.Stderr, "a copy is stored in") {
		t.Fatalf("reconnect: %d\n%s", r.Code, r.Stderr)
	}
	if conns := e.ns.Connections(); len(conns) != 1 || conns[0].APIKey != latticedemo.KeyRotated || conns[0].Updates != 1 {
		t.Errorf("connections: %+v", conns)
	}
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyRotated+"\n" {
		t.Errorf("--keep: token %q", r.Stdout)
	}

	// status and status --json list both hand-offs.
	r = e.run("", "status")
	if r.Code != 0 || !strings.Contains(r.Stdout, "connection "+id+" updated, integration "+nangodemo.LatticeKey) ||
		!strings.Contains(r.Stdout, "connection "+id+" created") {
		t.Errorf("status: %d\n%s", r.Code, r.Stdout)
	}
	r = e.run("", "status", "--json")
	var j handoffStatusJSON
	if err := json.Unmarshal([]byte(r.Stdout), &j); err != nil {
		t.Fatalf("status --json: %v\n%s", err, r.Stdout)
	}
	host := strings.TrimPrefix(e.ns.URL, "http://")
	if len(j.Nango) != 2 || j.Nango[0].Action != "created" || j.Nango[1].Action != "updated" ||
		j.Nango[1].ConnectionID != id || j.Nango[1].Host != host || j.Nango[1].Integration != nangodemo.LatticeKey ||
		j.Nango[1].At.IsZero() || j.Nango[1].Fingerprint != "••••a1b2" {
		t.Errorf("status --json nango: %+v", j.Nango)
	}

	// The stored key handed over again, after a live check.
	r = e.run("", "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--stored")
	if r.Code != 0 || !strings.Contains(r.Stderr, "Handing over the stored key ••••a1b2") || !strings.Contains(r.Stderr, "stays stored") {
		t.Errorf("--stored: %d\n%s", r.Code, r.Stderr)
	}
	if conns := e.ns.Connections(); len(conns) != 2 || conns[1].APIKey != latticedemo.KeyRotated {
		t.Errorf("--stored connections: %+v", conns)
	}

	// After logout, status still lists what was handed to apps.
	e.run("", "logout")
	r = e.run("", "status", "--json")
	j = handoffStatusJSON{}
	if err := json.Unmarshal([]byte(r.Stdout), &j); err != nil || r.Code != 3 || j.Status != "no_key" {
		t.Fatalf("status --json without a key: %d %v\n%s", r.Code, err, r.Stdout)
	}
}

func TestNangoLinkWithAndWithoutAPIURL(t *testing.T) {
	e := newNangoSandbox(t)
	// The link names its API.
	if r := e.run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--key-stdin"); r.Code != 0 {
		t.Errorf("apiURL in the link: %d\n%s", r.Code, r.Stderr)
	}
	// A link without apiURL, with --nango-url.
	bare := "https://connect.nango.dev/?session_token=" + e.ns.NewSession()
	if r := e.run(latticedemo.KeyAdmin, "connect", "--nango", bare, "--nango-url", e.ns.URL, "--key-stdin"); r.Code != 0 {
		t.Errorf("--nango-url: %d\n%s", r.Code, r.Stderr)
	}
	// A bare token in NANGO_CONNECT_LINK, the API in NANGO_SERVER_URL.
	r := e.with("NANGO_CONNECT_LINK="+e.ns.NewSession(), "NANGO_SERVER_URL="+e.ns.URL).run(latticedemo.KeyAdmin, "connect", "--key-stdin")
	if r.Code != 0 {
		t.Errorf("environment: %d\n%s", r.Code, r.Stderr)
	}
	// Self-hosted Nango's usual address: localhost by name, dialled as
	// loopback.
	port := e.ns.URL[strings.LastIndex(e.ns.URL, ":")+1:]
	r = e.with("NANGO_SERVER_URL=http://localhost:"+port).run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.NewSession(), "--key-stdin")
	if r.Code != 0 || !strings.Contains(r.Stderr, "at localhost:"+port) {
		t.Errorf("localhost: %d\n%s", r.Code, r.Stderr)
	}
	if n := len(e.ns.Connections()); n != 4 {
		t.Errorf("%d connections, want 4", n)
	}
}

func TestNangoHandOffOfAnEMEAKey(t *testing.T) {
	e := newNangoSandbox(t)
	r := e.with("LATTICE_API_URL="+e.srv.EMEA.URL).run(latticedemo.KeyEMEA, "--region", "emea",
		"connect", "--nango", e.ns.Link(e.ns.NewSession()), "--key-stdin")
	if r.Code != 0 || !strings.Contains(r.Stderr, "Base-Url-Override: https://api.emea.latticehq.com") {
		t.Fatalf("EMEA: %d\n%s", r.Code, r.Stderr)
	}
	if r := e.run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--key-stdin"); strings.Contains(r.Stderr, "Base-Url-Override") {
		t.Errorf("a US key got the EMEA note:\n%s", r.Stderr)
	}
}

func TestNangoDemoHandOff(t *testing.T) {
	e := newNangoSandbox(t)
	r := e.run(latticedemo.KeyAdmin, "--demo", "connect", "--nango", "demo", "--key-stdin")
	if r.Code != 0 || !strings.Contains(r.Stderr, "Demo Connect link: Nango Connect session …") ||
		!strings.Contains(r.Stderr, "Handed over") {
		t.Fatalf("demo: %d\n%s", r.Code, r.Stderr)
	}
	if entries, _ := os.ReadDir(e.config); len(entries) != 0 {
		t.Errorf("the demo wrote to the config folder: %v", entries)
	}
}

func TestNangoPlainModeHandsOver(t *testing.T) {
	e := newNangoSandbox(t)
	token := e.ns.NewSession()
	term := e.with("NANGO_CONNECT_LINK="+e.ns.Link(token)).terminal(100, 30, "--plain", "--step", "connect")
	term.waitFor("Grace Hopper <grace@example.com>")
	term.pasteKey(latticedemo.KeyRevoked)
	term.waitFor("Nothing was sent to Nango.")
	term.waitFor("Paste a key (it will not be shown), or press enter to stop:")
	term.typeHidden(latticedemo.KeyAdmin + "\r")
	term.waitFor("Handed over to the app through Nango.")
	term.requireExit(0)
	conn := e.handedOver(latticedemo.KeyAdmin)
	term.waitFor(conn.ID + " (created)")
	out := term.output()
	requireNoSecret(t, out, latticedemo.KeyAdmin)
	requireNoSecret(t, out, token)

	// An expired link offers to go on without the app; stopping there ends
	// plain mode with exit 5 before a key is asked for.
	term = e.terminal(100, 30, "--plain", "--nango", e.ns.Link(e.ns.ExpiredSession()))
	term.waitFor("expired or was deleted")
	term.waitFor("The key was not sent anywhere")
	term.waitFor("2) Neither: go on without the app")
	term.typeText("1\r")
	term.requireExit(5)
	term.requireNot("Paste the key")
}

// TestNangoCanaryLeaksNowhere hands the canary key over through every path
// and looks for it, and for the session tokens, in everything printed and
// every file under the config folder and TMPDIR (the key only outside the
// credential store, which --keep fills).
func TestNangoCanaryLeaksNowhere(t *testing.T) {
	e := newNangoSandbox(t)
	e.srv.Add(canary, latticedemo.Grace)
	var seen strings.Builder
	var tokens []string
	session := func() string { tok := e.ns.NewSession(); tokens = append(tokens, tok); return tok }
	record := func(r result) result { seen.WriteString(r.Stdout + r.Stderr); return r }

	if r := record(e.run(canary, "connect", "--nango", e.ns.Link(session()), "--key-stdin")); r.Code != 0 {
		t.Fatalf("hand-off: %d\n%s", r.Code, r.Stderr)
	}
	if r := record(e.with("NANGO_CONNECT_LINK="+e.ns.Link(session())).run(canary, "connect", "--key-stdin", "--keep")); r.Code != 0 {
		t.Fatalf("--keep: %d\n%s", r.Code, r.Stderr)
	}
	record(e.run("", "connect", "--nango", e.ns.Link(session()), "--stored"))
	record(e.run("", "connect", "--nango", session(), "--nango-url", e.ns.URL, "--stored"))
	id := e.ns.Connections()[0].ID
	record(e.run(canary, "connect", "--nango", e.ns.Link(e.ns.NewReconnectSession(id)), "--key-stdin"))
	tok := session()
	e.ns.Expire(tok)
	record(e.run(canary, "connect", "--nango", e.ns.Link(tok), "--key-stdin"))
	tok = session()
	e.ns.FailNext(nangodemo.Fault{Method: http.MethodPost, Status: 500, Body: "oops " + tok + " " + canary})
	record(e.run(canary, "connect", "--nango", e.ns.Link(tok), "--key-stdin"))
	record(e.run("", "status"))
	record(e.run("", "status", "--json"))

	term := e.terminal(100, 30, "--plain", "--nango", e.ns.Link(session()))
	term.waitFor("What now?")
	term.typeText("1\r")
	term.waitFor("Handed over to the app through Nango.")
	term.exit()
	seen.WriteString(term.output())

	out := seen.String()
	requireNoSecret(t, out, canary)
	for _, tok := range tokens {
		requireNoSecret(t, out, tok)
		requireNoSecret(t, out, strings.TrimPrefix(tok, "nango_connect_session_"))
	}
	for _, dir := range []string{e.config, e.tmp} {
		requireNoKeyIn(t, dir, canary)
		for _, tok := range tokens {
			requireNoTokenIn(t, dir, tok, strings.TrimPrefix(tok, "nango_connect_session_"))
		}
	}
	// Nango saw the token only in the POST's query and as a bearer token.
	for _, r := range e.ns.Requests() {
		if strings.Contains(r.Path, "nango_connect_session_") || (r.Method == http.MethodPost && (r.Authorization || !r.TokenInQuery)) ||
			(r.Method == http.MethodGet && (r.TokenInQuery || !r.BearerToken)) {
			t.Errorf("the token went somewhere else: %+v", r)
		}
		if r.Method == http.MethodGet && strings.Contains(r.Body, canary) {
			t.Errorf("the key went with a GET: %+v", r)
		}
	}
}

func TestNangoWizardFromLinkToConnectionID(t *testing.T) {
	e := newNangoSandbox(t)
	// A key is stored already: with a link, the home screen offers to hand
	// it over (h) or another key (r); r leads to Connect, the session shown,
	// and the stored key stays.
	e.connectKey(latticedemo.KeyRotated)
	token := e.ns.NewSession()
	term := e.with("NANGO_CONNECT_LINK="+e.ns.Link(token)).terminal(100, 30)
	term.waitFor("Press h to hand this key to that app")
	term.typeText("r")
	term.waitFor("Connect · for an app")
	term.waitFor("Nango: for Grace Hopper <grace@example.com> at Acme Corp")
	term.typeText(latticedemo.KeyAdmin)
	term.waitFor("received 25 characters, ending …7f3c")
	term.typeText("\r")
	term.waitFor("Handed to the app through Nango")
	conn := e.handedOver(latticedemo.KeyAdmin)
	term.waitFor(conn.ID + " (created)")
	term.typeText("q")
	term.requireExit(0)
	out := term.output()
	requireNoSecret(t, out, latticedemo.KeyAdmin)
	requireNoSecret(t, out, token)
	term.waitFor("✓ Handed Lattice key ••••7f3c") // the summary, on the normal screen
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyRotated+"\n" {
		t.Errorf("the stored key changed: %q", r.Stdout)
	}
}

// TestConnectWithALinkInATerminalOpensTheWizard: connect --nango in a
// terminal is the wizard at Connect with the session shown, as --help says.
func TestConnectWithALinkInATerminalOpensTheWizard(t *testing.T) {
	e := newNangoSandbox(t)
	term := e.terminal(100, 30, "connect", "--nango", e.ns.Link(e.ns.NewSession()))
	term.waitFor("Connect · for an app")
	term.waitFor("Nango: for Grace Hopper <grace@example.com>")
	term.typeText("\x03")
	term.requireExit(130)
}

// TestNangoWizardHandsOverTheStoredKey: the home screen's h hands the key
// stored here to the app, after Lattice's check; it stays stored.
func TestNangoWizardHandsOverTheStoredKey(t *testing.T) {
	e := newNangoSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	term := e.with(e.linkVar()).terminal(100, 30)
	term.waitFor("Press h to hand this key to that app")
	term.waitFor("valid: Lattice accepted it at")
	handOverFromHome(term)
	e.handedOver(latticedemo.KeyAdmin)
	term.typeText("q")
	term.exit()
	requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("the stored key did not stay: %q", r.Stdout)
	}
}

// TestALinkDoesNotChooseWhereTheKeyGoes: a link whose apiURL names a host
// nobody named is refused without a terminal to ask in (exit 2, naming the
// host and how to approve it), before anything is sent to it; the host is
// shown cleaned and in punycode; naming it with --nango-url approves it.
func TestALinkDoesNotChooseWhereTheKeyGoes(t *testing.T) {
	e := newNangoSandbox(t)
	host := strings.TrimPrefix(e.ns.URL, "http://")
	latticeBefore := len(e.srv.Requests())
	for _, how := range [][]string{{"--key-stdin"}, {"--stored"}} {
		args := append([]string{"connect", "--nango", e.ns.Link(e.ns.NewSession())}, how...)
		r := e.untrusted().run(latticedemo.KeyAdmin, args...)
		if r.Code != 2 || !strings.Contains(r.Stderr, "Nango API at "+host) || !strings.Contains(r.Stderr, "--nango-url https://"+host) ||
			!strings.Contains(r.Stderr, "The key was not sent anywhere") {
			t.Errorf("%v: %d\n%s", how, r.Code, r.Stderr)
		}
	}
	if n := len(e.ns.Requests()); n != 0 {
		t.Errorf("%d requests reached a host nobody approved", n)
	}
	if n := len(e.srv.Requests()); n != latticeBefore {
		t.Errorf("Lattice was asked about a key that could go nowhere")
	}
	// A look-alike of Nango Cloud shows as it is dialled; controls never reach the screen.
	token := e.ns.NewSession()
	r := e.untrusted().run(latticedemo.KeyAdmin, "connect", "--key-stdin", "--nango",
		"https://connect.nango.dev/?session_token="+token+"&apiURL=https://api.n%D0%B0ngo.dev")
	if r.Code != 2 || !strings.Contains(r.Stderr, "api.xn--nngo-53d.dev") || strings.Contains(r.Stderr, "n\u0430ngo") {
		t.Errorf("look-alike: %d\n%s", r.Code, r.Stderr)
	}
	for _, api := range []string{"https://api.nango.dev%C2%9B%31m", "https://api.%E2%80%AEved.ognan", "https://a%C2%9D0x%C2%9C.example"} {
		r := e.untrusted().run(latticedemo.KeyAdmin, "connect", "--key-stdin", "--nango", "https://connect.nango.dev/?session_token="+token+"&apiURL="+api)
		if r.Code != 2 || strings.ContainsAny(r.Stderr, "\u009b\u009d\u009c\u202e\x1b") {
			t.Errorf("%s: %d %q", api, r.Code, r.Stderr)
		}
	}
	// Named for the run: trusted, in every face.
	if r := e.untrusted().run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--nango-url", e.ns.URL, "--key-stdin"); r.Code != 0 {
		t.Errorf("--nango-url: %d\n%s", r.Code, r.Stderr)
	}
}

// TestPlainModeAsksBeforeTheKeyWhereItMayGo: plain mode shows the host and
// asks before the key is asked for; a key typed as the answer is not taken.
func TestPlainModeAsksBeforeTheKeyWhereItMayGo(t *testing.T) {
	e := newNangoSandbox(t)
	host := strings.TrimPrefix(e.ns.URL, "http://")
	term := e.untrusted().with(e.linkVar()).terminal(120, 40, "--plain")
	term.waitFor("sends your Lattice key to a Nango API at " + host)
	term.waitFor("Send the key to " + host + "?")
	if n := len(e.ns.Requests()); n != 0 {
		t.Errorf("%d requests before the host was approved", n)
	}
	term.typeText(latticedemo.KeyAdmin + "\r")
	term.waitFor("That looks like a Lattice API key")
	term.typeText("2\r")
	term.waitFor("Grace Hopper <grace@example.com>")
	term.pasteKey(latticedemo.KeyAdmin)
	term.waitFor("Handed over to the app through Nango.")
	term.requireExit(0)

	// No: stop, nothing sent.
	e2 := newNangoSandbox(t)
	term = e2.untrusted().with(e2.linkVar()).terminal(120, 40, "--plain")
	term.waitFor("Send the key to ")
	term.typeText("\r")
	term.requireExit(130)
	if n := len(e2.ns.Requests()); n != 0 {
		t.Errorf("declined: %d requests", n)
	}
}

// TestALinkOnTheCommandLineIsSaidToBeInPs: --nango LINK leaves the token in
// the process list; that is said once, with the way to avoid it.
func TestALinkOnTheCommandLineIsSaidToBeInPs(t *testing.T) {
	e := newNangoSandbox(t)
	r := e.run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--key-stdin")
	if r.Code != 0 || strings.Count(r.Stderr, "process list (ps)") != 1 || !strings.Contains(r.Stderr, "NANGO_CONNECT_LINK") {
		t.Errorf("--nango: %d\n%s", r.Code, r.Stderr)
	}
	r = e.with(e.linkVar()).run(latticedemo.KeyAdmin, "connect", "--key-stdin")
	if r.Code != 0 || strings.Contains(r.Stderr, "process list") {
		t.Errorf("NANGO_CONNECT_LINK: %d\n%s", r.Code, r.Stderr)
	}
}

// TestSeveralLatticeIntegrations: when the link offers more than one, the
// command line needs --integration, and lists the choices when it is missing.
func TestSeveralLatticeIntegrations(t *testing.T) {
	e := newNangoSandbox(t)
	e.ns.SetIntegrations(
		nangodemo.Integration{UniqueKey: "lattice-us", Provider: "lattice", DisplayName: "Lattice US", AuthMode: nangodemo.AuthAPIKey},
		nangodemo.Integration{UniqueKey: "lattice-emea", Provider: "lattice", DisplayName: "Lattice EMEA", AuthMode: nangodemo.AuthAPIKey})
	r := e.run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--key-stdin")
	if r.Code != 2 || !strings.Contains(r.Stderr, "--integration KEY: lattice-us (Lattice US), lattice-emea (Lattice EMEA)") {
		t.Errorf("none chosen: %d\n%s", r.Code, r.Stderr)
	}
	r = e.run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--integration", "lattice-nope", "--key-stdin")
	if r.Code != 2 || !strings.Contains(r.Stderr, "lattice-nope") {
		t.Errorf("unknown: %d\n%s", r.Code, r.Stderr)
	}
	if len(e.ns.Posts()) != 0 {
		t.Fatal("a key was posted without a choice")
	}
	r = e.run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--integration", "lattice-emea", "--key-stdin")
	if conns := e.ns.Connections(); r.Code != 0 || len(conns) != 1 || conns[0].ProviderConfigKey != "lattice-emea" {
		t.Errorf("chosen: %d %+v\n%s", r.Code, conns, r.Stderr)
	}
}

// TestARefusedReconnectSaysWhatNangoKept: on a reconnect link, a key the
// app's check refuses stays on the existing connection, marked failed.
func TestARefusedReconnectSaysWhatNangoKept(t *testing.T) {
	e := newNangoSandbox(t)
	e.ns.AddConnection(nangodemo.Connection{ID: "conn-1", ProviderConfigKey: nangodemo.LatticeKey, APIKey: "old"})
	e.ns.FailNext(nangodemo.Fault{Method: http.MethodPost, Status: 400, Code: "connection_validation_failed"})
	r := e.run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewReconnectSession("conn-1")), "--key-stdin")
	if r.Code != 5 || !strings.Contains(r.Stderr, "existing Lattice connection now holds this key and is marked as failed") ||
		strings.Contains(r.Stderr, "deleted") || !strings.Contains(r.Stderr, "Lattice accepted the key") {
		t.Errorf("%d\n%s", r.Code, r.Stderr)
	}
}

// TestAHostileNangoLeaksNothing: a Nango that echoes the token and the key
// in every answer (names, integrations, the connection id, the content
// type) gets neither onto the screen nor into any file.
func TestAHostileNangoLeaksNothing(t *testing.T) {
	e := newNangoSandbox(t)
	e.srv.Add(canary, latticedemo.Grace)
	e.ns.Hostile = true
	token := e.ns.NewSession()
	var seen strings.Builder
	r := e.run(canary, "connect", "--nango", e.ns.Link(token), "--key-stdin", "--keep")
	seen.WriteString(r.Stdout + r.Stderr)
	if r.Code != 5 || !strings.Contains(r.Stderr, "it may already have reached the app") {
		t.Errorf("hostile POST: %d\n%s", r.Code, r.Stderr)
	}
	for _, args := range [][]string{{"status"}, {"status", "--json"}} {
		r := e.run("", args...)
		seen.WriteString(r.Stdout + r.Stderr)
	}
	out := seen.String()
	requireNoSecret(t, out, canary)
	requireNoSecret(t, strings.ToLower(out), strings.ToLower(canary)) // a lowered echo is the key too
	requireNoSecret(t, out, strings.TrimPrefix(token, "nango_connect_session_"))
	requireNoKeyIn(t, e.config, canary, strings.TrimPrefix(token, "nango_connect_session_"))
}

// TestPlainModeAsksWhichLatticeIntegration: with several, plain mode asks,
// as Nango's own Connect UI does, and the key goes to the one chosen.
func TestPlainModeAsksWhichLatticeIntegration(t *testing.T) {
	e := newNangoSandbox(t)
	e.ns.SetIntegrations(
		nangodemo.Integration{UniqueKey: "lattice-us", Provider: "lattice", DisplayName: "Lattice US", AuthMode: nangodemo.AuthAPIKey},
		nangodemo.Integration{UniqueKey: "lattice-emea", Provider: "lattice", DisplayName: "Lattice EMEA", AuthMode: nangodemo.AuthAPIKey})
	term := e.with(e.linkVar()).terminal(120, 40, "--plain")
	term.waitFor("Which one should get the key?")
	term.waitFor("2) lattice-emea (Lattice EMEA)")
	term.typeText("2\r")
	term.pasteKey(latticedemo.KeyAdmin)
	term.waitFor("Handed over to the app through Nango.")
	term.requireExit(0)
	if conns := e.ns.Connections(); len(conns) != 1 || conns[0].ProviderConfigKey != "lattice-emea" {
		t.Errorf("connections %+v", conns)
	}
}
