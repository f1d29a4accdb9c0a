package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestStateFileCannotRedirectTheKey plants another host in state.json: the
// key must go only to Lattice's own hosts (here, to a proxy that records
// where it was asked to connect and refuses), never to the planted one.
func TestStateFileCannotRedirectTheKey(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	planted := latticedemo.New()
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
		t.Errorf("status asked %v (exit %d, %s)", asked, r.Code, r.Stderr)
	}
}

// TestDebugSwitchesDoNotLogTheKey: TEA_TRACE would make Bubble Tea write
// every input, the pasted key included, to a file.
func TestDebugSwitchesDoNotLogTheKey(t *testing.T) {
	e := newSandbox(t)
	trace := filepath.Join(t.TempDir(), "trace.log")
	term := e.with("TEA_TRACE="+trace, "TEA_DEBUG=1").terminal(80, 24, "connect")
	connectInTheWizard(term, latticedemo.KeyAdmin)
	term.typeText("q")
	term.exit()
	if b, err := os.ReadFile(trace); err == nil {
		requireNoSecret(t, string(b), latticedemo.KeyAdmin)
	}
	r := e.with("GODEBUG=http2debug=2").run(latticedemo.KeyAdmin, "connect", "--key-stdin")
	if r.Code != 2 || !strings.Contains(r.Stderr, "http2debug") {
		t.Errorf("GODEBUG=http2debug: exit %d %s", r.Code, r.Stderr)
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
	run := e.with("PATH="+bin+":"+os.Getenv("PATH"), "DISPLAY=:0", "LATTICE_API_KEY="+latticedemo.KeyAdmin)
	r := run.run("", "email", "--copy")
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatalf("the fake clipboard tool did not run (exit %d, %s)", r.Code, r.Stderr)
	}
	if !strings.Contains(string(b), "PATH=") {
		t.Fatalf("no environment recorded:\n%s", b)
	}
	requireNoSecret(t, string(b), latticedemo.KeyAdmin)
}

// TestHostileProfileNameIsRefused: a profile name reaches messages, so it
// must be a plain name.
func TestHostileProfileNameIsRefused(t *testing.T) {
	e := newSandbox(t)
	for _, args := range [][]string{{"status"}, {"logout"}, {"connect", "--key-stdin"}} {
		r := e.with("LATTICE_PROFILE=ci\x1b]0;PWNED\x07").run(latticedemo.KeyAdmin, args...)
		if r.Code != 2 || strings.ContainsRune(r.Stdout+r.Stderr, '\x1b') || strings.Contains(r.Stdout+r.Stderr, "\x07") {
			t.Errorf("%v: exit %d %q", args, r.Code, r.Stderr)
		}
	}
	if r := e.run(latticedemo.KeyAdmin, "connect", "--key-stdin", "--profile", "../x"); r.Code != 2 {
		t.Errorf("--profile ../x: exit %d", r.Code)
	}
}

// TestFlagsDoNotChangeWhatIsRemembered: a one-off --region is for the run.
func TestFlagsDoNotChangeWhatIsRemembered(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
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
	e.connectKey(latticedemo.KeyAdmin)
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
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("token: %q", r.Stdout)
	}
}

// TestKeyPromptsAppearOnlyOnceEchoIsOff types the key the moment its prompt
// shows, as a paste would: the terminal must not echo it.
func TestKeyPromptsAppearOnlyOnceEchoIsOff(t *testing.T) {
	for range 5 {
		e := newSandbox(t)
		plain := e.terminal(80, 24, "--plain", "connect")
		plain.waitFor("Paste the key (it will not be shown)")
		plain.typeText(latticedemo.KeyAdmin + "\r")
		plain.waitFor("Connected to Lattice.")
		plain.exit()
		requireNoSecret(t, plain.output(), latticedemo.KeyAdmin)

		e = newSandbox(t)
		stdin := e.terminal(80, 24, "connect", "--key-stdin")
		stdin.waitFor("Paste your Lattice API key (it will not be shown)")
		stdin.typeText(latticedemo.KeyAdmin + "\r")
		stdin.requireExit(0)
		requireNoSecret(t, stdin.output(), latticedemo.KeyAdmin)
	}
}

// With no key in the chosen profile, status names the profiles that have
// one; status --all lists every profile, and with --json gives a list.
// status --json has one shape: indented, every field present, checked_at
// null when nothing was checked, scim null unless --scim.
func TestStatusFindsTheProfilesWithAKey(t *testing.T) {
	e := newSandbox(t)
	if r := e.run(latticedemo.KeyMember, "--profile", "work", "connect", "--key-stdin"); r.Code != 0 {
		t.Fatal(r.Stderr)
	}
	r := e.run("", "status")
	if r.Code != 3 || !strings.Contains(r.Stderr, "profile work has one") || !strings.Contains(r.Stderr, "--profile work status") {
		t.Errorf("status in an empty profile: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	r = e.run("", "status", "--json")
	var j map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &j); err != nil || r.Code != 3 {
		t.Fatalf("status --json: %d %v\n%s", r.Code, err, r.Stdout)
	}
	for _, k := range []string{"profile", "region", "api_url", "store", "fingerprint", "valid", "status", "user", "scim",
		"checked_at", "created_at", "age_days", "rotation_due", "nango", "others_with_key"} {
		if _, ok := j[k]; !ok {
			t.Errorf("status --json without a key has no %q", k)
		}
	}
	if j["checked_at"] != nil || j["status"] != "no_key" || !strings.HasPrefix(r.Stdout, "{\n  \"") ||
		fmt.Sprint(j["others_with_key"]) != "[work]" {
		t.Errorf("status --json without a key:\n%s", r.Stdout)
	}
	if r := e.run("", "--profile", "work", "status", "--json"); !strings.Contains(r.Stdout, `"scim": null`) || !strings.Contains(r.Stdout, `"checked_at": "`) {
		t.Errorf("status --json with a key:\n%s", r.Stdout)
	}
	if r := e.run("", "--profile", "work", "status", "--json", "--scim"); strings.Contains(r.Stdout, `"scim": null`) {
		t.Errorf("status --json --scim:\n%s", r.Stdout)
	}

	if r := e.run(latticedemo.KeyAdmin, "--profile", "acme", "connect", "--key-stdin"); r.Code != 0 {
		t.Fatal(r.Stderr)
	}
	r = e.run("", "status", "--all")
	if r.Code != 0 || !strings.Contains(r.Stdout, "Lattice key ••••2b9e (profile work") ||
		!strings.Contains(r.Stdout, "Lattice key ••••7f3c (profile acme") {
		t.Errorf("status --all: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	r = e.run("", "status", "--all", "--json")
	var list []statusJSON
	if err := json.Unmarshal([]byte(r.Stdout), &list); err != nil || r.Code != 0 || len(list) != 2 ||
		list[0].Profile != "acme" || list[1].Profile != "work" || !list[0].Valid || !list[1].Valid {
		t.Errorf("status --all --json: exit %d %v %+v\n%s", r.Code, err, list, r.Stdout)
	}
}

// Re-running connect --key-stdin with the key already stored is a success,
// as gh auth login --with-token is: checked, said, nothing changed.
func TestConnectTheStoredKeyAgainSucceeds(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	r := e.run(latticedemo.KeyAdmin+"\n", "connect", "--key-stdin")
	if r.Code != 0 || !strings.Contains(r.Stderr, "Already stored and valid") || strings.Contains(r.Stderr, "replaced") {
		t.Errorf("exit %d\n%s", r.Code, r.Stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(e.config, "state.json")); strings.Contains(string(after), `"rotations"`) {
		t.Errorf("a rotation was recorded:\n%s", after)
	}
	e.srv.Revoke(latticedemo.KeyAdmin)
	if r := e.run(latticedemo.KeyAdmin, "connect", "--key-stdin"); r.Code != 1 {
		t.Errorf("the stored key, now rejected: exit %d\n%s", r.Code, r.Stderr)
	}
}

// A rotation says when the key's owner changes, and whether they are an
// admin; after Lattice rejected the old key, there is nothing to revoke.
func TestRotationSaysWhatChanged(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyMember)
	// Another person's key: refused without a terminal to ask on, unless allowed.
	if r := e.run(latticedemo.KeyAdmin, "connect", "--key-stdin"); r.Code != 2 || !strings.Contains(r.Stderr, "--allow-owner-change") {
		t.Errorf("another owner, not allowed: exit %d\n%s", r.Code, r.Stderr)
	}
	r := e.run(latticedemo.KeyAdmin, "connect", "--key-stdin", "--allow-owner-change")
	if r.Code != 0 || !strings.Contains(r.Stderr, "Owner changed: the old key was Ada Lovelace <ada@example.com>'s (not an admin); "+
		"the new one is Grace Hopper <grace@example.com>'s (an admin)") || !strings.Contains(r.Stderr, "revoke that key") {
		t.Errorf("owner change: exit %d\n%s", r.Code, r.Stderr)
	}
	e.srv.Revoke(latticedemo.KeyAdmin)
	e.run("", "status")
	r = e.run(latticedemo.KeyRotated, "connect", "--key-stdin")
	if r.Code != 0 || !strings.Contains(r.Stderr, "nothing is left to revoke") || strings.Contains(r.Stderr, "revoke that key") ||
		strings.Contains(r.Stderr, "Owner changed") {
		t.Errorf("old key already rejected: exit %d\n%s", r.Code, r.Stderr)
	}
}

// What files and the environment hold reaches the terminal cleaned: a key
// in credentials.json ending in escapes, a config folder named with them.
func TestFilesAndEnvironmentReachTheTerminalCleaned(t *testing.T) {
	e := newSandbox(t)
	creds := filepath.Join(e.config, "credentials.json")
	if err := os.WriteFile(creds, []byte(`{"version":1,"keys":{"default":"demo-4f1e-admin-8c2d\u001b[2J\u001b]0;owned"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"status", "token", "logout"} {
		r := e.run("", cmd)
		if strings.ContainsAny(r.Stdout+r.Stderr, "\x1b\a") || r.Code == 0 && cmd != "logout" {
			t.Errorf("%s: exit %d %q %q", cmd, r.Code, r.Stdout, r.Stderr)
		}
	}
	dir := filepath.Join(t.TempDir(), "cfg\x1b[2J\u202e")
	r := e.with("LATTICE_LINK_CONFIG_DIR="+dir).run("", "status")
	if r.Code != 2 || strings.ContainsAny(r.Stdout+r.Stderr, "\x1b\u202e") || !strings.Contains(r.Stderr, "LATTICE_LINK_CONFIG_DIR") {
		t.Errorf("a config folder named with escapes: exit %d %q", r.Code, r.Stderr)
	}
}

// A config folder whose parent others can write (no sticky bit) is
// refused before anything is read, set aside or locked in it.
func TestAHostileParentFolderIsRefused(t *testing.T) {
	e := newSandbox(t)
	parent := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(parent, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o777); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "app")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte("another app's file"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.with("LATTICE_LINK_CONFIG_DIR="+dir).run("", "status")
	if r.Code != 2 || !strings.Contains(r.Stderr, "other users can change") {
		t.Errorf("exit %d\n%s", r.Code, r.Stderr)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder was changed: %v", entries)
	}
}

// ctrl+c after a connect is not a cancellation: the key is stored, and
// the run ends 0 with the summary.
func TestCtrlCAfterAConnectIsNotACancellation(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(80, 24, "connect")
	connectInTheWizard(term, latticedemo.KeyAdmin)
	term.typeText("\x03")
	term.requireExit(0)
	term.waitFor("✓ Linked Lattice as Grace Hopper")
	requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
}

// When the stored key cannot be read (here credentials.json is readable by
// others, so it is refused), the home screen must not act as if a key were
// ready: no "linked" header, no rotate, and the reason stays in sight.
func TestHomeIsNotReadyWhenTheKeyCannotBeRead(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	if err := os.Chmod(filepath.Join(e.config, "credentials.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	term := e.terminal(80, 24)
	term.waitFor("can be read by")
	term.typeText("r")
	term.typeText("c")
	term.waitFor("can be read by")
	// Home does not act as if the key were ready.
	term.requireNot("Lattice is linked on this machine", "r rotate", "Rotate · replace")
	term.typeText("q")
	term.exit()
}

// logout with LATTICE_API_KEY set forgets the stored key and says that the
// environment's key is still what status and token use: logout cannot
// unset it.
func TestLogoutWithAnEnvironmentKeySaysItStaysInUse(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	env := e.with("LATTICE_API_KEY=" + latticedemo.KeyMember)
	r := env.run("", "logout")
	if r.Code != 0 || !strings.Contains(r.Stderr, "Forgot the key ••••7f3c") ||
		!strings.Contains(r.Stderr, "LATTICE_API_KEY is still set here: status and token use it") {
		t.Errorf("logout: exit %d\n%s", r.Code, r.Stderr)
	}
	requireNoSecret(t, r.Stdout+r.Stderr, latticedemo.KeyMember)
	if r := e.run("", "logout"); strings.Contains(r.Stderr, "LATTICE_API_KEY") {
		t.Errorf("logout without LATTICE_API_KEY names it:\n%s", r.Stderr)
	}
	if r := env.run("", "token"); r.Stdout != latticedemo.KeyMember+"\n" {
		t.Errorf("token after logout: %q", r.Stdout)
	}
}
