package cmd

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// status --all writes a failing profile's "Error:" as every other error is
// written: without colour where stderr is no terminal (a file, a log, a
// cron mail) (walk 2 F43).
func TestStatusAllWritesErrorsWithoutColourToAFile(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_API_URL", srv.URL)
	for _, p := range []struct{ profile, key string }{{"a", latticedemo.KeyAdmin}, {"b", latticedemo.KeyRotated}} {
		if code, _, stderr := runWith(t, p.key+"\n", "connect", "--key-stdin", "--profile", p.profile); code != exitOK {
			t.Fatalf("connect %s: exit %d\n%s", p.profile, code, stderr)
		}
	}
	srv.Revoke(latticedemo.KeyAdmin)
	code, _, stderr := run(t, "status", "--all")
	if code != exitRejected || !strings.Contains(stderr, "Error: This key no longer works") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if strings.ContainsRune(stderr, '\x1b') {
		t.Errorf("an escape sequence went to a file: %q", stderr)
	}
}
