package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// canary is a key that is easy to find if it leaks.
const canary = "CANARYk3y-7d1f0c9e-a4b2-4e8f-9c1d-LEAK"

// TestCanaryKeyLeaksNowhere runs every flow with the canary key and looks
// for it, and for its base64, hex and URL-encoded forms, in everything the
// program printed or drew and every file it wrote, except the credential
// store itself. token is the one command that prints it.
func TestCanaryKeyLeaksNowhere(t *testing.T) {
	e := newSandbox(t)
	e.srv.Add(canary, latticedemo.Grace)
	var seen strings.Builder
	record := func(r result) result { seen.WriteString(r.Stdout + r.Stderr); return r }

	// The wizard in a terminal: connect the canary.
	term := e.terminal(80, 24, "connect")
	connectInTheWizard(term, canary)
	term.typeText("q")
	term.exit()
	seen.WriteString(term.output())

	// Scripts.
	record(e.run("", "status"))
	record(e.run("", "status", "--json", "--scim"))
	record(e.with("LATTICE_API_KEY="+canary).run("", "status", "--json"))
	record(e.run(canary+"\n", "connect", "--key-stdin")) // the same key again
	record(e.run("", "email", "--company", "Acme", "--out", filepath.Join(e.config, "mail.txt")))
	record(e.run("", "email"))

	// Rotation away from the canary in the wizard, with the revocation check.
	term = e.terminal(80, 24)
	rotateInTheWizard(term, lattice.Fingerprint(canary), latticedemo.KeyRotated)
	e.srv.Revoke(canary)
	term.typeText("v")
	term.waitFor("Lattice now rejects the old key")
	term.typeText("q")
	term.exit()
	seen.WriteString(term.output())

	// Back to the canary in plain mode, then forget it.
	e.srv.Add(canary, latticedemo.Grace)
	plain := e.terminal(80, 24, "--plain", "connect")
	rotateInPlainMode(plain, canary)
	plain.typeText("2\r")
	plain.exit()
	seen.WriteString(plain.output())
	record(e.run("", "logout"))
	record(e.run(canary, "connect", "--key-stdin"))

	if r := e.run("", "token"); r.Stdout != canary+"\n" {
		t.Fatalf("token: %q", r.Stdout)
	}
	requireNoSecret(t, seen.String(), canary)

	// Every file but the credential store, in the config folder (also the
	// binary's working folder) and in its TMPDIR.
	for _, dir := range []string{e.config, e.tmp} {
		requireNoKeyIn(t, dir, canary)
	}
	// The stand-in saw the key only as a bearer token, on its own host.
	for _, r := range e.srv.Requests() {
		if strings.Contains(r.Path+r.UserAgent+r.Accept, canary) {
			t.Errorf("the key was sent outside the Authorization header: %+v", r)
		}
	}
}

// requireNoKeyIn fails when a file under dir other than the credential
// store, which is there to hold a key, holds one of keys in any of the forms
// requireNoSecret looks for.
func requireNoKeyIn(t *testing.T, dir string, keys ...string) {
	t.Helper()
	requireNotInFiles(t, dir, "credentials.json", keys)
}

// requireNoTokenIn fails when any file under dir, the credential store too,
// holds one of tokens in any of those forms.
func requireNoTokenIn(t *testing.T, dir string, tokens ...string) {
	t.Helper()
	requireNotInFiles(t, dir, "", tokens)
}

func requireNotInFiles(t *testing.T, dir, except string, secrets []string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == except {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if form := secretForm(string(b), s); form != "" {
				t.Errorf("%s holds a secret (as %q):\n%s", path, form, b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
