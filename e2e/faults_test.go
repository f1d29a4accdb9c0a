package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestKilledMidRotationLeavesOneWholeKey kills `connect --key-stdin` at a
// hundred moments of a rotation, 0 to 25 ms after it starts, a quarter of a
// millisecond apart: the same moments every run, so that a failure can be
// rerun. After each, exactly one complete key, old or new, is stored, and
// status works.
func TestKilledMidRotationLeavesOneWholeKey(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	keys := []string{latticedemo.KeyAdmin, latticedemo.KeyRotated}
	killed := 0
	for i := range 100 {
		current := strings.TrimSpace(e.run("", "token").Stdout)
		next := keys[0]
		if current == keys[0] {
			next = keys[1]
		}
		cmd := e.prepare(exec.Command(binary, "connect", "--key-stdin"))
		cmd.Stdin = strings.NewReader(next)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(i) * 250 * time.Microsecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			killed++
		}

		got := e.run("", "token")
		if got.Code != 0 || (got.Stdout != keys[0]+"\n" && got.Stdout != keys[1]+"\n") {
			t.Fatalf("run %d: token gave exit %d, %q", i, got.Code, got.Stdout)
		}
		if st := e.run("", "status"); st.Code != 0 {
			t.Fatalf("run %d: status exit %d: %s", i, st.Code, st.Stderr)
		}
		// After a run that was not cut short, the record describes the
		// stored key (a kill between the two writes is repaired), and no
		// temp file of the killed run, which may hold a key, is left.
		if fp := e.state(t)["fingerprint"]; fp != "••••"+got.Stdout[len(got.Stdout)-5:len(got.Stdout)-1] {
			t.Fatalf("run %d: state.json describes %v, the store holds %s", i, fp, got.Stdout)
		}
		if leftovers, _ := filepath.Glob(filepath.Join(e.config, ".*")); len(leftovers) > 0 {
			t.Fatalf("run %d: left in the folder: %v", i, leftovers)
		}
	}
	t.Logf("%d of 100 runs were killed before they ended", killed)
	if killed < 20 {
		t.Errorf("only %d runs were killed mid-way: the test did not test much", killed)
	}
}

// TestTwoRotationsAtOnce races two rotations from the same starting key,
// each with a key Lattice takes 300 ms to check, so both have read the old
// key before either stores: one wins, the other says so, nothing is corrupt.
func TestTwoRotationsAtOnce(t *testing.T) {
	for round := range 5 {
		e := newSandbox(t)
		e.srv.SetSlowDelay(300 * time.Millisecond)
		e.srv.AddSlow("first-new-key-0000-cafe", latticedemo.Grace)
		e.srv.AddSlow("second-new-key-0000-beef", latticedemo.Grace)
		e.connectKey(latticedemo.KeyAdmin)
		var wg sync.WaitGroup
		results := make([]result, 2)
		for i, key := range []string{"first-new-key-0000-cafe", "second-new-key-0000-beef"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = e.run(key, "connect", "--key-stdin")
			}()
		}
		wg.Wait()
		wins, refusals := 0, 0
		for _, r := range results {
			switch {
			case r.Code == 0:
				wins++
			case strings.Contains(r.Stderr, "another lattice-link changed the stored key"):
				refusals++
			default:
				t.Fatalf("round %d: exit %d: %s", round, r.Code, r.Stderr)
			}
		}
		if wins != 1 || refusals != 1 {
			t.Fatalf("round %d: %d won, %d refused", round, wins, refusals)
		}
		token := e.run("", "token").Stdout
		if token != "first-new-key-0000-cafe\n" && token != "second-new-key-0000-beef\n" {
			t.Errorf("round %d: stored %q", round, token)
		}
		if r := e.run("", "status", "--json"); r.Code != 0 || !json.Valid([]byte(r.Stdout)) {
			t.Errorf("round %d: status %d %s", round, r.Code, r.Stdout)
		}
	}
}

// TestFullDiskKeepsTheOldKey rotates with writes failing (a file size limit
// of 40 bytes stands in for a full disk): a clear error, the old key kept.
func TestFullDiskKeepsTheOldKey(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	cmd := e.prepare(exec.Command(prlimit, "--fsize=40", binary, "connect", "--key-stdin"))
	cmd.Stdin = strings.NewReader(latticedemo.KeyRotated)
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), "could not be stored") ||
		!strings.Contains(string(out), "file too large") || strings.Contains(string(out), "--store file") {
		t.Errorf("exit %d:\n%s", cmd.ProcessState.ExitCode(), out)
	}
	requireNoSecret(t, string(out), latticedemo.KeyRotated)
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("the old key was lost: %q", r.Stdout)
	}
}

// TestReadOnlyConfigFolderKeepsTheOldKey makes the config folder read-only
// with a bind mount (root can write through a mere chmod).
func TestReadOnlyConfigFolderKeepsTheOldKey(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	if out, err := exec.Command("mount", "--bind", e.config, e.config).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount here (%v: %s); the full-disk test covers failed writes", err, out)
	}
	defer func() { _ = exec.Command("umount", e.config).Run() }()
	if out, err := exec.Command("mount", "-o", "remount,ro,bind", e.config).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only (%v: %s)", err, out)
	}
	r := e.run(latticedemo.KeyRotated, "connect", "--key-stdin")
	// --store file would not help: the file store uses the same folder.
	if r.Code != 2 || !strings.Contains(r.Stderr, "read-only file system") || strings.Contains(r.Stderr, "--store file") {
		t.Errorf("exit %d: %s", r.Code, r.Stderr)
	}
	if got := e.run("", "token"); got.Stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("the old key was lost: %q", got.Stdout)
	}
	if st := e.run("", "status"); st.Code != 0 {
		t.Errorf("status on a read-only folder: %d %s", st.Code, st.Stderr)
	}
}

// traced runs the binary under strace with a fault injected, and returns
// what it printed and how it ended (-1: killed by a signal).
func (e *sandbox) traced(t *testing.T, stdin string, strace []string, args ...string) result {
	t.Helper()
	path, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed (Debian: apt-get install strace)")
	}
	r := e.runCmd(exec.Command(path, append(append([]string{"-f", "-qq", "-o", "/dev/null"}, strace...), append([]string{"--", binary}, args...)...)...), stdin)
	if strings.Contains(r.Stderr, "strace:") && strings.Contains(r.Stderr, "ptrace") {
		t.Skipf("strace cannot trace here: %s", r.Stderr)
	}
	return r
}

func (e *sandbox) state(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(e.config, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Profiles map[string]map[string]any `json:"profiles"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("state.json: %v\n%s", err, b)
	}
	return st.Profiles["default"]
}

// A rotation whose folder cannot be flushed after the rename (fsync of the
// config folder fails with EIO, or EINVAL, or the folder cannot even be
// opened for it: EACCES) did store the new key: it says so, exits 0, and
// state.json describes the key that is stored.
func TestAFailedFolderSyncIsAStoredKey(t *testing.T) {
	for _, fault := range []string{"fsync:error=EIO", "fsync:error=EINVAL", "openat:error=EACCES"} {
		t.Run(fault, func(t *testing.T) {
			e := newSandbox(t)
			e.connectKey(latticedemo.KeyAdmin)
			r := e.traced(t, latticedemo.KeyRotated, []string{"-P", e.config, "-e", "inject=" + fault},
				"connect", "--key-stdin")
			requireNoSecret(t, r.Stdout+r.Stderr, latticedemo.KeyRotated)
			if r.Code != 0 || strings.Contains(r.Stderr, "Nothing was stored") ||
				!strings.Contains(r.Stderr, "Stored ••••a1b2") || !strings.Contains(r.Stderr, "It replaced ••••7f3c") ||
				!strings.Contains(r.Stderr, "the store reported") {
				t.Errorf("exit %d:\n%s", r.Code, r.Stderr)
			}
			if got := e.run("", "token"); got.Stdout != latticedemo.KeyRotated+"\n" {
				t.Errorf("token: %q", got.Stdout)
			}
			if fp := e.state(t)["fingerprint"]; fp != "••••a1b2" {
				t.Errorf("state.json describes %v", fp)
			}
		})
	}
}

// Killed between the key write and the state.json write, a rotation leaves
// the new key with the old record. The next run repairs it and says so
// once: the age is not known (not the old key's), the owner comes from the
// live check, and the user is still told to revoke the old key. So it does
// with auto on a machine with no keyring at all (no D-Bus bus): a keyring
// that is not there cannot hold the key.
func TestAKillBetweenTheTwoWritesIsRepaired(t *testing.T) {
	for name, vars := range map[string][]string{
		"file":                   nil,
		"auto without a keyring": {"LATTICE_LINK_STORE=auto", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus"},
	} {
		t.Run(name, func(t *testing.T) {
			e := newSandbox(t).with(vars...)
			killBetweenTheTwoWrites(t, e, func() string {
				b, _ := os.ReadFile(filepath.Join(e.config, "credentials.json"))
				var c struct{ Keys map[string]string }
				_ = json.Unmarshal(b, &c)
				return c.Keys["default"]
			})
		})
	}
}

// killBetweenTheTwoWrites rotates with the run killed at state.json's
// rename, after the key write, and checks the next runs' repair; stored
// reads the key from the store the sandbox uses.
func killBetweenTheTwoWrites(t *testing.T, e *sandbox, stored func() string) {
	t.Helper()
	e.connectKey(latticedemo.KeyAdmin)
	// Make the stored key look old, as in the report: 183 days.
	b, _ := os.ReadFile(filepath.Join(e.config, "state.json"))
	old := time.Now().UTC().Add(-183 * 24 * time.Hour).Format(time.RFC3339)
	b = []byte(regexp.MustCompile(`"created_at": "[^"]*"`).ReplaceAllString(string(b), `"created_at": "`+old+`"`))
	if err := os.WriteFile(filepath.Join(e.config, "state.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.traced(t, latticedemo.KeyRotated, []string{"-P", filepath.Join(e.config, "state.json"),
		"-e", "inject=rename,renameat,renameat2:error=EIO:signal=KILL"}, "connect", "--key-stdin")
	if r.Code == 0 {
		t.Fatalf("the run was not killed:\n%s", r.Stderr)
	}
	if got := stored(); got != latticedemo.KeyRotated {
		t.Fatalf("the kill came before the key was written (stored: %q):\n%s", got, r.Stderr)
	}
	if fp := e.state(t)["fingerprint"]; fp != "••••7f3c" {
		t.Fatalf("state.json after the kill describes %v (the kill came too late)", fp)
	}

	st := e.run("", "status", "--json")
	var j statusJSON
	if err := json.Unmarshal([]byte(st.Stdout), &j); err != nil || st.Code != 0 {
		t.Fatalf("status --json: %d %v\n%s%s", st.Code, err, st.Stdout, st.Stderr)
	}
	if j.Fingerprint != "••••a1b2" || j.CreatedAt != nil || j.AgeDays != nil || j.RotationDue ||
		j.User == nil || j.User.Name != "Grace Hopper" {
		t.Errorf("status --json after the repair: %+v", j)
	}
	if !strings.Contains(st.Stderr, "cut short") || !strings.Contains(st.Stderr, "revoke it in Lattice") ||
		!strings.Contains(st.Stderr, "••••7f3c") {
		t.Errorf("the repair was not said:\n%s", st.Stderr)
	}
	p := e.state(t)
	if p["fingerprint"] != "••••a1b2" || p["created_at"] != nil {
		t.Errorf("state.json after the repair: %v", p)
	}
	again := e.run("", "status")
	if strings.Contains(again.Stderr, "cut short") {
		t.Errorf("the repair was said twice:\n%s", again.Stderr)
	}
	if !strings.Contains(again.Stdout, "revoke ••••7f3c in Lattice") || strings.Contains(again.Stdout, "183 days") {
		t.Errorf("status after the repair:\n%s", again.Stdout)
	}
}
