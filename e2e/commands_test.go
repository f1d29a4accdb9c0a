package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

func TestConnectFromStdinAcceptsPastedForms(t *testing.T) {
	for _, in := range []string{latticedemo.KeyAdmin + "\n", latticedemo.KeyAdmin + "\r\n",
		"Bearer " + latticedemo.KeyAdmin, "  " + latticedemo.KeyAdmin + "  \n\n"} {
		e := newSandbox(t)
		r := e.run(in, "connect", "--key-stdin")
		if r.Code != 0 || !strings.Contains(r.Stderr, "Connected as Grace Hopper <grace@example.com>, a Lattice admin") {
			t.Fatalf("%q: exit %d\n%s", in, r.Code, r.Stderr)
		}
		requireNoSecret(t, r.Stdout+r.Stderr, latticedemo.KeyAdmin)
		if got := e.run("", "token"); got.Stdout != latticedemo.KeyAdmin+"\n" {
			t.Errorf("%q: token printed %q", in, got.Stdout)
		}
		requireFileMode(t, filepath.Join(e.config, "credentials.json"), 0o600)
		requireFileMode(t, e.config, 0o700)
		state, _ := os.ReadFile(filepath.Join(e.config, "state.json"))
		requireNoSecret(t, string(state), latticedemo.KeyAdmin)
		if !strings.Contains(string(state), `"fingerprint": "••••7f3c"`) {
			t.Errorf("state.json:\n%s", state)
		}
	}
}

// TestConnectFromStdinRefusesRawBytes: input no text file holds well, a
// megabyte and more, or control bytes, is refused with exit 2, never echoed,
// and nothing is stored. The other refusals and their exit codes are
// testdata/script/connect_exit_codes.txtar.
func TestConnectFromStdinRefusesRawBytes(t *testing.T) {
	e := newSandbox(t)
	garbage := string([]byte{0, 1, 2, 0xff, 0xfe, 'k', 'e', 'y', 0x1b, '[', '2', 'J'})
	huge := strings.Repeat("k", 1<<20+1)
	cases := []struct{ name, stdin, says string }{
		{"huge", huge, "more than 1 MiB"},
		{"garbage", garbage, "control characters"},
	}
	for _, c := range cases {
		r := e.run(c.stdin, "connect", "--key-stdin")
		if r.Code != 2 || !strings.Contains(r.Stderr, c.says) {
			t.Errorf("%s: exit %d, stderr:\n%s", c.name, r.Code, r.Stderr)
		}
		if strings.Contains(r.Stdout+r.Stderr, strings.TrimSpace(c.stdin)[:8]) {
			t.Errorf("%s: the input was echoed", c.name)
		}
		if _, err := os.Stat(filepath.Join(e.config, "credentials.json")); err == nil {
			t.Errorf("%s: something was stored", c.name)
		}
	}
}

func TestStatusJSONFields(t *testing.T) {
	e := newSandbox(t)
	e.run(latticedemo.KeyAdmin, "connect", "--key-stdin")
	r := e.run("", "status", "--json", "--scim")
	var fields map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &fields); err != nil || r.Code != 0 {
		t.Fatalf("exit %d: %v\n%s", r.Code, err, r.Stdout)
	}
	for _, k := range []string{"profile", "region", "api_url", "store", "fingerprint", "valid", "status", "user", "scim", "checked_at", "created_at"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("no %q in %s", k, r.Stdout)
		}
	}
	var got statusJSON
	_ = json.Unmarshal([]byte(r.Stdout), &got)
	if got.Profile != "default" || got.Region != "us" || got.APIURL != e.srv.URL || got.Store != "file" ||
		!got.Valid || got.Status != "valid" || got.User == nil || got.User.Name != "Grace Hopper" ||
		got.User.Email != "grace@example.com" || !got.User.IsAdmin || got.SCIM == nil || !got.SCIM.Enabled ||
		got.CheckedAt.IsZero() || got.CreatedAt == nil {
		t.Errorf("status --json: %+v", got)
	}
}

func TestEmailCommand(t *testing.T) {
	e := newSandbox(t)
	r := e.run("", "email", "--company", "Acme Inc.", "--name", "Grace Hopper",
		"--use-case", "Sync review cycles into our data warehouse", "--tool", "none", "--timeline", "this month")
	if r.Code != 0 {
		t.Fatalf("exit %d %s", r.Code, r.Stderr)
	}
	golden.RequireEqual(t, r.Stdout)
	// The answers are remembered.
	again := e.run("", "email")
	if again.Stdout != r.Stdout {
		t.Errorf("remembered answers differ:\n%s", again.Stdout)
	}
	// --out writes a new file; writing is not sending, so nothing is noted
	// until --sent says so.
	out := filepath.Join(t.TempDir(), "mail.txt")
	if r := e.run("", "email", "--out", out); r.Code != 0 || !strings.Contains(r.Stderr, "email --sent") {
		t.Fatalf("--out: %d %s", r.Code, r.Stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != r.Stdout {
		t.Error("--out wrote something else")
	}
	state, _ := os.ReadFile(filepath.Join(e.config, "state.json"))
	if strings.Contains(string(state), "access_requested_at") {
		t.Errorf("writing the email noted it as sent:\n%s", state)
	}
	// An existing file, or a planted link, is never written through.
	target := filepath.Join(t.TempDir(), "precious")
	_ = os.WriteFile(target, []byte("keep me"), 0o600)
	link := filepath.Join(t.TempDir(), "mail.txt")
	_ = os.Symlink(target, link)
	for _, name := range []string{out, link} {
		if r := e.run("", "email", "--out", name); r.Code != 2 || !strings.Contains(r.Stderr, "exists already") {
			t.Errorf("--out %s: %d %s", name, r.Code, r.Stderr)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me" {
		t.Error("--out wrote through a symlink")
	}
	if r := e.run("", "email", "--sent"); r.Code != 0 {
		t.Fatalf("--sent: %d %s", r.Code, r.Stderr)
	}
	state, _ = os.ReadFile(filepath.Join(e.config, "state.json"))
	if !strings.Contains(string(state), "access_requested_at") {
		t.Errorf("--sent was not noted:\n%s", state)
	}
	if r := e.run("", "email", "--out", filepath.Join(e.config, "no", "such", "dir", "x")); r.Code != 2 || !strings.Contains(r.Stderr, "could not write") {
		t.Errorf("bad --out: %d %s", r.Code, r.Stderr)
	}
}
