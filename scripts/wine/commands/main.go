// Command commands runs the Windows binary under Wine through what a script
// does with lattice-link (connect --key-stdin, status, token, a second
// connect, logout) with the file store and with Credential Manager, against
// the stand-in for Lattice on loopback, started and run as the e2e tests do
// (internal/standin); then a connect to a closed port.
// It prints PASS or FAIL per check and exits 1 if any failed. scripts/wine/run
// calls it with the binary and a private WINEPREFIX in the environment.
//
//	go run ./scripts/wine/commands lattice-link.exe
package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lattice-link/lattice-link/internal/standin"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

var failed int

func check(ok bool, what string, args ...any) {
	verdict := "PASS"
	if !ok {
		verdict, failed = "FAIL", failed+1
	}
	fmt.Printf("  %s  %s\n", verdict, fmt.Sprintf(what, args...))
}

// run runs the binary under Wine, the key (if any) on stdin, never in argv.
func run(exe string, env []string, stdin string, args ...string) standin.Result {
	cmd := exec.Command("wine", append([]string{exe}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	r, err := standin.Run(cmd, stdin)
	if err != nil {
		r.Code, r.Stderr = -1, err.Error()
	}
	return r
}

func main() {
	if len(os.Args) != 2 || os.Getenv("WINEPREFIX") == "" {
		fmt.Fprintln(os.Stderr, "usage: WINEPREFIX=… commands lattice-link.exe")
		os.Exit(2)
	}
	exe := os.Args[1]
	srv := standin.Start()
	defer srv.Close()
	key, rotated := latticedemo.KeyAdmin, latticedemo.KeyRotated
	// The default config folder, %AppData%\lattice-link, in the private prefix.
	folders, _ := filepath.Glob(filepath.Join(os.Getenv("WINEPREFIX"), "drive_c/users/*/AppData/Roaming"))
	if len(folders) != 1 {
		fmt.Fprintln(os.Stderr, "no single %AppData% in WINEPREFIX:", folders)
		os.Exit(2)
	}
	creds := filepath.Join(folders[0], "lattice-link", "credentials.json")

	for _, store := range []string{"file", "keyring"} {
		fmt.Printf("--store %s\n", store)
		env := append(srv.Env(), "LATTICE_LINK_STORE="+store)
		shown := func(r standin.Result) bool {
			return !strings.Contains(r.Stdout+r.Stderr, key) && !strings.Contains(r.Stdout+r.Stderr, rotated)
		}

		r := run(exe, env, key+"\n", "connect", "--key-stdin")
		check(r.Code == 0 && shown(r), "connect --key-stdin: %s", r)
		info, err := os.Stat(creds)
		if store == "file" {
			// Wine keeps an access list as Unix mode bits, Everyone's as the
			// "other" bits (and the owner's as the group's too).
			check(err == nil && info.Mode().Perm()&0o007 == 0, "credentials.json in %%AppData%%, Everyone may not read it: %v %v", info.Mode(), err)
		} else {
			check(os.IsNotExist(err), "no credentials.json with Credential Manager: %v", err)
		}
		r = run(exe, env, "", "status")
		check(r.Code == 0 && shown(r), "status: %s", r)
		r = run(exe, env, "", "token")
		check(r.Code == 0 && strings.TrimSpace(r.Stdout) == key, "token prints the key (exit %d)", r.Code)
		// The stored key is read and replaced: the file store of old refused
		// to read its own file here.
		r = run(exe, env, rotated+"\n", "connect", "--key-stdin")
		check(r.Code == 0 && shown(r), "a second connect --key-stdin, with a new key: %s", r)
		r = run(exe, env, "", "token")
		check(r.Code == 0 && strings.TrimSpace(r.Stdout) == rotated, "token prints the new key (exit %d)", r.Code)
		r = run(exe, env, "", "logout")
		check(r.Code == 0 && shown(r), "logout: %s", r)
		_, err = os.Stat(creds)
		check(os.IsNotExist(err), "no credentials.json after logout: %v", err)
		r = run(exe, env, "", "token")
		check(r.Code != 0 && r.Stdout == "", "token after logout prints nothing and fails: %s", r)
	}

	fmt.Println("a closed port")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	r := run(exe, []string{"LATTICE_API_URL=" + closed, "LATTICE_LINK_STORE=file"}, key+"\n", "connect", "--key-stdin")
	check(r.Code != 0 && strings.Contains(r.Stderr, "the connection was refused") && !strings.Contains(r.Stderr, ".."),
		"connect to a closed port says the connection was refused, in lattice-link's words: %s", r)

	if failed > 0 {
		fmt.Printf("%d checks failed\n", failed)
		os.Exit(1)
	}
}
