package e2e

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/internal/standin"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// The harness of the tests that run the binary as a script would: a sandbox
// per test (its own config folder, the file store, the stand-ins of
// internal/standin), the binary run in it, and the checks that several test
// files share.

// sandbox is a sandbox for one test: its own config folder, the file store, and
// the stand-in for Lattice. Nothing touches the real user's folder or keyring.
type sandbox struct {
	t      testing.TB
	srv    *latticedemo.Server
	config string
	tmp    string // the binary's TMPDIR: nothing of the key may land there
	vars   []string
}

func newSandbox(t testing.TB) *sandbox {
	t.Helper()
	stand := standin.Start()
	t.Cleanup(stand.Close)
	return sandboxFor(t, stand)
}

// sandboxFor is a sandbox whose binary runs against stand.
func sandboxFor(t testing.TB, stand *standin.Servers) *sandbox {
	t.Helper()
	e := &sandbox{t: t, srv: stand.Lattice, config: filepath.Join(t.TempDir(), "lattice-link"), tmp: t.TempDir()}
	if err := os.Mkdir(e.config, 0o700); err != nil {
		t.Fatal(err)
	}
	e.vars = append(binaryEnv(t.TempDir(), e.config, stand), "PATH="+os.Getenv("PATH"), "TMPDIR="+e.tmp)
	return e
}

// binaryEnv is the environment the binary runs in, in a sandbox and in a
// script (script_test.go): its own HOME and config folder, the file store,
// no terminal to speak of, the stand-ins, and where its coverage goes.
func binaryEnv(home, config string, stand *standin.Servers) []string {
	env := append([]string{"HOME=" + home, "TERM=dumb", "LATTICE_LINK_CONFIG_DIR=" + config, "LATTICE_LINK_STORE=file"},
		stand.Env()...)
	if coverDir != "" {
		env = append(env, "GOCOVERDIR="+coverDir)
	}
	return env
}

// result is how a run of the binary ended and what it printed.
type result = standin.Result

// run runs the binary with stdin and returns how it ended.
func (e *sandbox) run(stdin string, args ...string) result {
	e.t.Helper()
	return e.runCmd(exec.Command(binary, args...), stdin)
}

// runCmd runs cmd (the binary, or a program that runs it) in the sandbox.
func (e *sandbox) runCmd(cmd *exec.Cmd, stdin string) result {
	e.t.Helper()
	r, err := standin.Run(e.prepare(cmd), stdin)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// prepare gives cmd the sandbox's environment, and the config folder as the
// folder it runs in.
func (e *sandbox) prepare(cmd *exec.Cmd) *exec.Cmd {
	cmd.Env, cmd.Dir = e.vars, e.config
	return cmd
}

// connectKey stores key with connect --key-stdin, as a test's starting
// point, and stops the test if that fails.
func (e *sandbox) connectKey(key string) {
	e.t.Helper()
	if r := e.run(key, "connect", "--key-stdin"); r.Code != 0 {
		e.t.Fatalf("connect: exit %d\n%s", r.Code, r.Stderr)
	}
}

func (e *sandbox) with(vars ...string) *sandbox {
	c := *e
	c.vars = append(append([]string(nil), e.vars...), vars...)
	return &c
}

// in is the sandbox as seen by t, a subtest of the one that made it: what
// fails there fails t, and what it starts ends with t.
func (e *sandbox) in(t testing.TB) *sandbox {
	c := *e
	c.t = t
	return &c
}

// requireNoSecret fails if key, or its base64, hex or URL-encoded forms,
// appear in text.
func requireNoSecret(t *testing.T, text, key string) {
	t.Helper()
	if form := secretForm(text, key); form != "" {
		t.Fatalf("the key (as %q) leaked into:\n%s", form, text)
	}
}

// secretForm returns the first form of key (itself, its base64, hex or
// URL-encoded forms, all but its last four characters) found in text, or "".
func secretForm(text, key string) string {
	for _, form := range []string{key, base64.StdEncoding.EncodeToString([]byte(key)),
		hex.EncodeToString([]byte(key)), url.QueryEscape(key), key[:len(key)-4]} {
		if strings.Contains(text, form) {
			return form
		}
	}
	return ""
}

// without returns the sandbox's environment less the named variables.
func (e *sandbox) without(names ...string) *sandbox {
	c := *e
	c.vars = nil
	for _, kv := range e.vars {
		keep := true
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				keep = false
			}
		}
		if keep {
			c.vars = append(c.vars, kv)
		}
	}
	return &c
}

func requireFileMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != want {
		t.Errorf("%s: mode %04o, want %04o", path, info.Mode().Perm(), want)
	}
}

// statusJSON is the contract of status --json, as a script reads it.
type statusJSON struct {
	Profile     string `json:"profile"`
	Region      string `json:"region"`
	APIURL      string `json:"api_url"`
	Store       string `json:"store"`
	Fingerprint string `json:"fingerprint"`
	Valid       bool   `json:"valid"`
	Status      string `json:"status"`
	User        *struct {
		Name    string `json:"name"`
		Email   string `json:"email"`
		IsAdmin bool   `json:"is_admin"`
	} `json:"user"`
	SCIM *struct {
		Checked bool   `json:"checked"`
		Enabled bool   `json:"enabled"`
		Status  int    `json:"status"`
		Error   string `json:"error"`
	} `json:"scim"`
	CheckedAt   time.Time  `json:"checked_at"`
	CreatedAt   *time.Time `json:"created_at"`
	AgeDays     *int       `json:"age_days"`
	RotationDue bool       `json:"rotation_due"`
}
