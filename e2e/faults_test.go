package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice/latticetest"
)

// TestKilledMidRotationLeavesOneWholeKey kills `connect --key-stdin` at a
// hundred moments of a rotation, 0 to 25 ms after it starts, a quarter of a
// millisecond apart: the same moments every run, so that a failure can be
// rerun. After each, exactly one complete key, old or new, is stored, and
// status works.
func TestKilledMidRotationLeavesOneWholeKey(t *testing.T) {
	e := newSandbox(t)
	if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	keys := []string{latticetest.KeyAdmin, latticetest.KeyRotated}
	killed := 0
	for i := range 100 {
		current := strings.TrimSpace(e.run("", "token").stdout)
		next := keys[0]
		if current == keys[0] {
			next = keys[1]
		}
		cmd := exec.Command(binary, "connect", "--key-stdin")
		cmd.Env, cmd.Dir = e.vars, e.config
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
		if got.code != 0 || (got.stdout != keys[0]+"\n" && got.stdout != keys[1]+"\n") {
			t.Fatalf("run %d: token gave exit %d, %q", i, got.code, got.stdout)
		}
		if st := e.run("", "status"); st.code != 0 {
			t.Fatalf("run %d: status exit %d: %s", i, st.code, st.stderr)
		}
		var state map[string]any
		b, _ := os.ReadFile(filepath.Join(e.config, "state.json"))
		if err := json.Unmarshal(b, &state); err != nil {
			t.Fatalf("run %d: state.json is corrupt: %v", i, err)
		}
	}
	t.Logf("%d of 100 runs were killed before they ended", killed)
	if killed < 20 {
		t.Errorf("only %d runs were killed mid-way: the test did not test much", killed)
	}
	leftovers, _ := filepath.Glob(filepath.Join(e.config, ".*"))
	if len(leftovers) > 100 {
		t.Errorf("%d temp files left", len(leftovers))
	}
}

// TestTwoRotationsAtOnce races two rotations from the same starting key,
// each with a key Lattice takes 300 ms to check, so both have read the old
// key before either stores: one wins, the other says so, nothing is corrupt.
func TestTwoRotationsAtOnce(t *testing.T) {
	for round := range 5 {
		e := newSandbox(t)
		e.srv.SetSlowDelay(300 * time.Millisecond)
		e.srv.AddSlow("first-new-key-0000-cafe", latticetest.Grace)
		e.srv.AddSlow("second-new-key-0000-beef", latticetest.Grace)
		if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
			t.Fatal(r.stderr)
		}
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
			case r.code == 0:
				wins++
			case strings.Contains(r.stderr, "another lattice-link changed the stored key"):
				refusals++
			default:
				t.Fatalf("round %d: exit %d: %s", round, r.code, r.stderr)
			}
		}
		if wins != 1 || refusals != 1 {
			t.Fatalf("round %d: %d won, %d refused", round, wins, refusals)
		}
		token := e.run("", "token").stdout
		if token != "first-new-key-0000-cafe\n" && token != "second-new-key-0000-beef\n" {
			t.Errorf("round %d: stored %q", round, token)
		}
		if r := e.run("", "status", "--json"); r.code != 0 || !json.Valid([]byte(r.stdout)) {
			t.Errorf("round %d: status %d %s", round, r.code, r.stdout)
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
	if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	cmd := exec.Command(prlimit, "--fsize=40", binary, "connect", "--key-stdin")
	cmd.Env, cmd.Dir = e.vars, e.config
	cmd.Stdin = strings.NewReader(latticetest.KeyRotated)
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), "could not be stored") ||
		!strings.Contains(string(out), "file too large") {
		t.Errorf("exit %d:\n%s", cmd.ProcessState.ExitCode(), out)
	}
	requireNoSecret(t, string(out), latticetest.KeyRotated)
	if r := e.run("", "token"); r.stdout != latticetest.KeyAdmin+"\n" {
		t.Errorf("the old key was lost: %q", r.stdout)
	}
}

// TestReadOnlyConfigFolderKeepsTheOldKey makes the config folder read-only
// with a bind mount (root can write through a mere chmod).
func TestReadOnlyConfigFolderKeepsTheOldKey(t *testing.T) {
	e := newSandbox(t)
	if r := e.run(latticetest.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if out, err := exec.Command("mount", "--bind", e.config, e.config).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount here (%v: %s); the full-disk test covers failed writes", err, out)
	}
	defer func() { _ = exec.Command("umount", e.config).Run() }()
	if out, err := exec.Command("mount", "-o", "remount,ro,bind", e.config).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only (%v: %s)", err, out)
	}
	r := e.run(latticetest.KeyRotated, "connect", "--key-stdin")
	if r.code != 2 || !strings.Contains(r.stderr, "read-only file system") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	if got := e.run("", "token"); got.stdout != latticetest.KeyAdmin+"\n" {
		t.Errorf("the old key was lost: %q", got.stdout)
	}
	if st := e.run("", "status"); st.code != 0 {
		t.Errorf("status on a read-only folder: %d %s", st.code, st.stderr)
	}
}
