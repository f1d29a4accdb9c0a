package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticetest"
)

// TestStateFileCannotRedirectTheKey plants another host in state.json: the
// key must go only to Lattice's own hosts (here, to a proxy that records
// where it was asked to connect and refuses), never to the planted one.
func TestStateFileCannotRedirectTheKey(t *testing.T) {
	e := newSandbox(t)
	if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	planted := latticetest.New()
	defer planted.Close()
	statePath := filepath.Join(e.config, "state.json")
	state, _ := os.ReadFile(statePath)
	edited := strings.Replace(string(state), `"region": "us",`, `"region": "us", "api_url": "`+planted.URL+`",`, 1)
	if edited == string(state) {
		t.Fatalf("no region in state.json:\n%s", state)
	}
	if err := os.WriteFile(statePath, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var asked []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Method+" "+r.Host)
		mu.Unlock()
		http.Error(w, "no network in tests", http.StatusBadGateway)
	}))
	defer proxy.Close()
	run := e.without("LATTICE_API_URL").with("HTTPS_PROXY="+proxy.URL, "NO_PROXY=")
	r := run.run("", "status")
	if len(planted.Requests()) != 0 {
		t.Fatalf("state.json sent the key to %s", planted.URL)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) == 0 || !strings.Contains(asked[0], "api.latticehq.com:443") {
		t.Errorf("status asked %v (exit %d, %s)", asked, r.code, r.stderr)
	}
}

// TestDebugSwitchesDoNotLogTheKey: TEA_TRACE would make Bubble Tea write
// every input, the pasted key included, to a file.
func TestDebugSwitchesDoNotLogTheKey(t *testing.T) {
	e := newSandbox(t)
	trace := filepath.Join(t.TempDir(), "trace.log")
	term := e.with("TEA_TRACE="+trace, "TEA_DEBUG=1").terminal(80, 24, "connect")
	term.waitFor("Step 5 of 5")
	term.typeText(latticetest.KeyAdmin + "\r")
	term.waitFor("Connected to Lattice")
	term.typeText("q")
	term.exit()
	if b, err := os.ReadFile(trace); err == nil {
		requireNoSecret(t, string(b), latticetest.KeyAdmin)
	}
	r := e.with("GODEBUG=http2debug=2").run(latticetest.KeyAdmin, "connect", "--key-stdin")
	if r.code != 2 || !strings.Contains(r.stderr, "http2debug") {
		t.Errorf("GODEBUG=http2debug: exit %d %s", r.code, r.stderr)
	}
}

// TestHelpersDoNotInheritTheKey puts a fake clipboard tool on PATH that
// records its environment.
func TestHelpersDoNotInheritTheKey(t *testing.T) {
	bin := t.TempDir()
	dump := filepath.Join(t.TempDir(), "env")
	script := "#!/bin/sh\nenv > " + dump + "\ncat > /dev/null\n"
	for _, name := range []string{"xclip", "xsel", "wl-copy"} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	e := newSandbox(t)
	run := e.with("PATH="+bin+":"+os.Getenv("PATH"), "DISPLAY=:0", "LATTICE_API_KEY="+latticetest.KeyAdmin)
	r := run.run("", "email", "--copy")
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatalf("the fake clipboard tool did not run (exit %d, %s)", r.code, r.stderr)
	}
	if !strings.Contains(string(b), "PATH=") {
		t.Fatalf("no environment recorded:\n%s", b)
	}
	requireNoSecret(t, string(b), latticetest.KeyAdmin)
}

// TestHostileProfileNameIsRefused: a profile name reaches messages, so it
// must be a plain name.
func TestHostileProfileNameIsRefused(t *testing.T) {
	e := newSandbox(t)
	for _, args := range [][]string{{"status"}, {"logout"}, {"connect", "--key-stdin"}} {
		r := e.with("LATTICE_PROFILE=ci\x1b]0;PWNED\x07").run(latticetest.KeyAdmin, args...)
		if r.code != 2 || strings.ContainsRune(r.stdout+r.stderr, '\x1b') || strings.Contains(r.stdout+r.stderr, "\x07") {
			t.Errorf("%v: exit %d %q", args, r.code, r.stderr)
		}
	}
	if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin", "--profile", "../x"); r.code != 2 {
		t.Errorf("--profile ../x: exit %d", r.code)
	}
}

// TestFlagsDoNotChangeWhatIsRemembered: a one-off --region is for the run.
func TestFlagsDoNotChangeWhatIsRemembered(t *testing.T) {
	e := newSandbox(t)
	if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	before, _ := os.ReadFile(filepath.Join(e.config, "state.json"))
	e.run("", "status", "--region", "emea")
	after, _ := os.ReadFile(filepath.Join(e.config, "state.json"))
	if !strings.Contains(string(after), `"region": "us"`) {
		t.Errorf("status --region emea changed the remembered region:\n%s\nwas:\n%s", after, before)
	}
}

// TestAWizardOpenBeforeAConnectLosesNothing: a wizard opened before a
// connect in another terminal, and quit after it, must not write back what
// it read at start.
func TestAWizardOpenBeforeAConnectLosesNothing(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(80, 24, "--step", "scim")
	term.waitFor("Step 4 of 5")
	if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	term.typeText(" ") // the wizard remembers a choice of its own
	term.waitFor("[✓] Also check SCIM")
	term.typeText("q")
	term.exit()
	state, _ := os.ReadFile(filepath.Join(e.config, "state.json"))
	for _, want := range []string{`"fingerprint": "••••7f3c"`, `"store": "file"`, `"check_scim": true`} {
		if !strings.Contains(string(state), want) {
			t.Errorf("state.json lost %s:\n%s", want, state)
		}
	}
	if r := e.run("", "token"); r.stdout != latticetest.KeyAdmin+"\n" {
		t.Errorf("token: %q", r.stdout)
	}
}

// TestKeyPromptsAppearOnlyOnceEchoIsOff types the key the moment its prompt
// shows, as a paste would: the terminal must not echo it.
func TestKeyPromptsAppearOnlyOnceEchoIsOff(t *testing.T) {
	for range 5 {
		e := newSandbox(t)
		plain := e.terminal(80, 24, "--plain", "connect")
		plain.waitFor("Paste the key (it will not be shown)")
		plain.typeText(latticetest.KeyAdmin + "\r")
		plain.waitFor("Connected to Lattice.")
		plain.exit()
		requireNoSecret(t, plain.output(), latticetest.KeyAdmin)

		e = newSandbox(t)
		stdin := e.terminal(80, 24, "connect", "--key-stdin")
		stdin.waitFor("Paste your Lattice API key (it will not be shown)")
		stdin.typeText(latticetest.KeyAdmin + "\r")
		if code := stdin.exit(); code != 0 {
			t.Errorf("connect --key-stdin in a terminal: exit %d", code)
		}
		requireNoSecret(t, stdin.output(), latticetest.KeyAdmin)
	}
}
