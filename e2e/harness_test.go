package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// The harness of the tests that run the binary as a script would: a sandbox
// per test (its own config folder, the file store, the stand-in for Lattice),
// the binary run in it, and the checks that several test files share.

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
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	e := &sandbox{t: t, srv: srv, config: filepath.Join(t.TempDir(), "lattice-link")}
	if err := os.Mkdir(e.config, 0o700); err != nil {
		t.Fatal(err)
	}
	e.tmp = t.TempDir()
	e.vars = []string{
		"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), "TERM=dumb", "TMPDIR=" + e.tmp,
		"LATTICE_API_URL=" + srv.URL, "LATTICE_LINK_CONFIG_DIR=" + e.config, "LATTICE_LINK_STORE=file",
	}
	if coverDir != "" {
		e.vars = append(e.vars, "GOCOVERDIR="+coverDir)
	}
	return e
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs the binary with stdin and returns what it printed.
func (e *sandbox) run(stdin string, args ...string) result {
	e.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = e.vars
	cmd.Dir = e.config
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *sandbox) with(vars ...string) *sandbox {
	c := *e
	c.vars = append(append([]string(nil), e.vars...), vars...)
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
