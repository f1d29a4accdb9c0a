package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lattice-link/lattice-link/internal/standin"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestScripts runs testdata/script/*.txtar: the flows that are plain
// commands, their output and their exit codes. Each script gets a sandbox as
// newSandbox makes one (its own config folder at $CONFIG, the file store, the
// stand-in for Lattice), lattice-link on its PATH, the demo keys in
// keys/NAME (a line each, as a user pastes them) and in $KEY_NAME, and the
// commands below.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		Setup:               scriptSandbox,
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":    cmdExits,
			"revoke":   cmdRevoke,
			"nosecret": cmdNoSecret,
		},
	})
}

// scriptKeys are the demo keys a script can use, by name.
var scriptKeys = map[string]string{
	"admin": latticedemo.KeyAdmin, "member": latticedemo.KeyMember, "rotated": latticedemo.KeyRotated,
	"revoked": latticedemo.KeyRevoked, "forbidden": latticedemo.KeyForbidden,
}

type serverValue struct{}

func scriptSandbox(env *testscript.Env) error {
	stand := standin.Start()
	env.Defer(stand.Close)
	env.Values[serverValue{}] = stand.Lattice
	config := filepath.Join(env.WorkDir, "config")
	home := filepath.Join(env.WorkDir, "home")
	keys := filepath.Join(env.WorkDir, "keys")
	for _, dir := range []string{config, home, keys} {
		if err := os.Mkdir(dir, 0o700); err != nil {
			return err
		}
	}
	for name, key := range scriptKeys {
		if err := os.WriteFile(filepath.Join(keys, name), []byte(key+"\n"), 0o600); err != nil {
			return err
		}
		env.Setenv("KEY_"+strings.ToUpper(name), key)
	}
	for _, kv := range binaryEnv(home, config, stand) {
		name, value, _ := strings.Cut(kv, "=")
		env.Setenv(name, value)
	}
	env.Setenv("PATH", filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"))
	env.Setenv("CONFIG", config)
	return nil
}

// cmdExits runs a program, as exec does, and fails unless it exits with the
// given code: `exits 3 lattice-link token`. (exec only knows zero or not.)
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not an exit code", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("exits: %v", err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// cmdRevoke makes the stand-in reject a demo key from now on: `revoke rotated`.
func cmdRevoke(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || scriptKeys[args[0]] == "" {
		ts.Fatalf("usage: revoke KEYNAME")
	}
	ts.Value(serverValue{}).(*latticedemo.Server).Revoke(scriptKeys[args[0]])
}

// cmdNoSecret fails if the last command's stdout or stderr holds the named
// demo key in any form requireNoSecret looks for: `nosecret rotated`.
func cmdNoSecret(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || scriptKeys[args[0]] == "" {
		ts.Fatalf("usage: nosecret KEYNAME")
	}
	text := ts.ReadFile("stdout") + ts.ReadFile("stderr")
	if form := secretForm(text, scriptKeys[args[0]]); form != "" {
		ts.Fatalf("the %s key (as %q) leaked into the output", args[0], form)
	}
}
