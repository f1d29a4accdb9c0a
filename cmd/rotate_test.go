package cmd

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// Without a terminal to ask on, a rotation from Grace's admin key to Ada's,
// who is no admin, stores nothing and exits 2 naming the flag that allows
// it; with that flag it is stored, and the owner change is said.
func TestKeyStdinRefusesARotationToAnotherOwnerUnlessAllowed(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_API_URL", srv.URL)
	if code, _, stderr := runWith(t, latticedemo.KeyAdmin+"\n", "connect", "--key-stdin"); code != exitOK {
		t.Fatalf("connect: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := runWith(t, latticedemo.KeyMember+"\n", "connect", "--key-stdin")
	for _, want := range []string{"another person's key, and not an admin's. Nothing was stored.", "--allow-owner-change",
		"Stored  ••••7f3c  Grace Hopper <grace@example.com>, an admin",
		"New     ••••2b9e  Ada Lovelace <ada@example.com>, not an admin", "••••7f3c stays stored"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, stderr)
		}
	}
	if code != exitUsage || strings.Contains(stdout+stderr, latticedemo.KeyMember) {
		t.Errorf("exit %d, want %d\n%s", code, exitUsage, stderr)
	}
	if code, stdout, _ := run(t, "token"); code != exitOK || stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("after the refusal the token is %q (exit %d)", stdout, code)
	}

	code, _, stderr = runWith(t, latticedemo.KeyMember+"\n", "connect", "--key-stdin", "--allow-owner-change")
	if code != exitOK || !strings.Contains(stderr, "Owner changed: the old key was Grace Hopper") ||
		!strings.Contains(stderr, "It replaced ••••7f3c") {
		t.Errorf("allowed: exit %d\n%s", code, stderr)
	}
	if _, stdout, _ := run(t, "token"); stdout != latticedemo.KeyMember+"\n" {
		t.Errorf("after the allowed rotation the token is %q", stdout)
	}
}

// The flag is refused where it means nothing: the wizard and --plain ask,
// and a hand-off is not this rotation.
func TestAllowOwnerChangeGoesWithKeyStdin(t *testing.T) {
	for _, args := range [][]string{
		{"connect", "--allow-owner-change"},
		{"connect", "--key-stdin", "--allow-owner-change", "--nango", typedLink},
	} {
		code, stdout, stderr := runWith(t, "", args...)
		if code != exitUsage || !strings.Contains(stderr, "--allow-owner-change goes with --key-stdin") ||
			strings.Contains(stdout+stderr, tokenPart) {
			t.Errorf("%q: exit %d\n%s", args, code, stderr)
		}
	}
}
