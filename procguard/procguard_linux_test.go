package procguard

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

func init() {
	helpers["harden"] = hardenHelper
	helpers["child-report"] = func() error { return report(childReport()) }
	helpers["scrub"] = scrubHelper
}

type hardenReport struct {
	Dumpable int
	Core     unix.Rlimit
	Notes    []string
	Child    peerReport
	ChildErr string
	Ops      map[string]string // what the program or its libraries may do -> error, "" when it worked
}

// peerReport is what a child of the hardened process sees: its own flags,
// and whether it can read its parent, as a same-user attacker would.
type peerReport struct {
	Dumpable          int
	Core              unix.Rlimit
	ParentEnvironErr  string
	ParentMemErr      string
	ParentEnvironRead bool
}

func hardenHelper() error {
	var r hardenReport
	if os.Getenv("PROCGUARD_SKIP_PREPARE") == "" {
		notes, err := Prepare()
		if err != nil {
			return err
		}
		r.Notes = notes
	}
	r.Dumpable, _ = unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	_ = unix.Getrlimit(unix.RLIMIT_CORE, &r.Core)

	// Things lattice-link, the Go runtime or our libraries do after start-up.
	r.Ops = map[string]string{}
	op := func(name string, f func() error) { r.Ops[name] = errString(f()) }
	op("os.Executable", func() error { _, err := os.Executable(); return err })
	for _, f := range []string{"stat", "status", "cgroup", "mountinfo", "maps", "environ", "auxv"} {
		op("read /proc/self/"+f, func() error { _, err := os.ReadFile("/proc/self/" + f); return err })
	}
	op("readdir /proc/self/fd", func() error { _, err := os.ReadDir("/proc/self/fd"); return err })
	op("readlink /proc/self/exe", func() error { _, err := os.Readlink("/proc/self/exe"); return err })
	op("user.Current", func() error { _, err := user.Current(); return err })
	op("flock a temp file", func() error {
		f, err := os.CreateTemp("", "procguard-lock")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		defer f.Close()
		return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	})
	op("http to loopback", func() error {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
		defer srv.Close()
		resp, err := http.Get(srv.URL)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		return err
	})
	op("os/exec a child", func() error {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"=child-report")
		out, err := cmd.Output()
		if err != nil {
			return err
		}
		return jsonUnmarshal(out, &r.Child)
	})
	return report(r)
}

func childReport() peerReport {
	var r peerReport
	r.Dumpable, _ = unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	_ = unix.Getrlimit(unix.RLIMIT_CORE, &r.Core)
	parent := fmt.Sprintf("/proc/%d/", os.Getppid())
	_, err := os.ReadFile(parent + "environ")
	r.ParentEnvironErr, r.ParentEnvironRead = errString(err), err == nil
	f, err := os.Open(parent + "mem")
	if err == nil {
		f.Close()
	}
	r.ParentMemErr = errString(err)
	return r
}

// scrubHelper takes the secrets and waits, so that the parent can read
// /proc/<pid>/environ from outside, as ps would.
func scrubHelper() error {
	if os.Getenv("PROCGUARD_SKIP_PREPARE") == "" {
		if _, err := Prepare(); err != nil {
			return err
		}
	}
	TakeSecrets()
	// Once more, for its error: TakeSecrets has nowhere to report one.
	if err := scrubInitialEnv([]string{APIKeyEnv, NangoLinkEnv}); err != nil {
		return err
	}
	fmt.Println("ready")
	_, err := io.Copy(io.Discard, os.Stdin)
	return err
}

func TestPrepareHardens(t *testing.T) {
	var r hardenReport
	runHelper(t, "harden", nil, &r)
	checkHardened(t, r)
}

// TestPrepareHardensAsOrdinaryUser repeats the checks as uid 65534, because
// root reads root-owned /proc files regardless and would hide what
// PR_SET_DUMPABLE 0 takes away from an ordinary user.
func TestPrepareHardensAsOrdinaryUser(t *testing.T) {
	bin := nobodyBinary(t)

	var r hardenReport
	runAs(t, bin, "harden", nil, &r)
	checkHardened(t, r)
	if r.Child.ParentEnvironRead || r.Child.ParentMemErr == "" {
		t.Errorf("a same-user process can still read the hardened one: environ err %q, mem err %q",
			r.Child.ParentEnvironErr, r.Child.ParentMemErr)
	}
	for name, err := range r.Ops {
		if err != "" {
			t.Logf("non-dumpable, as an ordinary user: %s: %s", name, err)
		}
	}

	// The control: without Prepare the same child reads its parent's
	// environment, so the check above is not passing by accident.
	var c hardenReport
	runAs(t, bin, "harden", []string{"PROCGUARD_SKIP_PREPARE=1"}, &c)
	if !c.Child.ParentEnvironRead {
		t.Errorf("control: a same-user child cannot read an unhardened parent's environ either (%s)", c.Child.ParentEnvironErr)
	}
}

func checkHardened(t *testing.T, r hardenReport) {
	t.Helper()
	if len(r.Notes) != 0 {
		t.Errorf("Prepare notes: %q", r.Notes)
	}
	if r.Dumpable != 0 {
		t.Errorf("PR_GET_DUMPABLE = %d after Prepare, want 0", r.Dumpable)
	}
	if r.Core.Cur != 0 || r.Core.Max != 0 {
		t.Errorf("RLIMIT_CORE = %+v after Prepare, want 0/0", r.Core)
	}
	// What must keep working: the program finds and starts helpers, talks
	// HTTP, locks its config file; the runtime reads its cgroup limits.
	for _, name := range []string{"os.Executable", "readlink /proc/self/exe", "read /proc/self/stat",
		"read /proc/self/status", "read /proc/self/cgroup", "read /proc/self/mountinfo", "read /proc/self/maps",
		"user.Current", "flock a temp file", "http to loopback", "os/exec a child"} {
		if err := r.Ops[name]; err != "" {
			t.Errorf("%s fails after Prepare: %s", name, err)
		}
	}
	// Execve makes a child dumpable again: tools we start are ordinary.
	if r.Child.Dumpable != 1 {
		t.Errorf("child's PR_GET_DUMPABLE = %d, want 1", r.Child.Dumpable)
	}
	if r.Child.Core.Cur != 0 {
		t.Errorf("child's RLIMIT_CORE = %+v, want it inherited as 0", r.Child.Core)
	}
}

func TestTakeSecretsBlanksProcEnviron(t *testing.T) {
	env := []string{APIKeyEnv + "=" + fakeKey, NangoLinkEnv + "=" + fakeLink, "PROCGUARD_KEEP=kept",
		"PROCGUARD_SKIP_PREPARE=1"}
	checkScrubbed(t, readEnvironWhileRunning(t, helperCmd("scrub", env)))

	// Prepare first, as main() does, and as an ordinary user: /proc/self/mem
	// is root's then, and the scrub must still get through.
	if os.Geteuid() != 0 {
		t.Skip("reading a non-dumpable process's environ from outside needs root")
	}
	cmd := exec.Command(nobodyBinary(t), "-test.run=^$")
	cmd.Env = helperCmd("scrub", env[:3]).Env
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	checkScrubbed(t, readEnvironWhileRunning(t, cmd))
}

func checkScrubbed(t *testing.T, environ string) {
	t.Helper()
	for _, secret := range []string{fakeKey, fakeLink} {
		if strings.Contains(environ, secret) {
			t.Errorf("/proc/<pid>/environ still holds %.20s…", secret)
		}
	}
	entries := strings.Split(environ, "\x00")
	for _, want := range []string{APIKeyEnv + "=", "PROCGUARD_KEEP=kept"} {
		found := false
		for _, e := range entries {
			found = found || e == want
		}
		if !found {
			t.Errorf("/proc/<pid>/environ lacks %q; the block around the secrets was damaged", want)
		}
	}
}

func readEnvironWhileRunning(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("scrub helper: %v\n%s", err, stderr.String())
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("scrub helper: %q, %v\n%s", line, err, stderr.String())
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/environ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// nobodyBinary copies the test binary where uid 65534 can run it (go test
// keeps it in a private directory), or skips when we cannot switch users.
func nobodyBinary(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a helper as another user")
	}
	dir, err := os.MkdirTemp("", "procguard-nobody")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "procguard.test")
	copyFile(t, os.Args[0], bin)
	return bin
}

func runAs(t *testing.T, bin, name string, env []string, v any) {
	t.Helper()
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = helperCmd(name, env).Env
	cmd.Dir = filepath.Dir(bin)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper %s as uid 65534: %v\n%s", name, err, stderr.String())
	}
	if err := jsonUnmarshal(out, v); err != nil {
		t.Fatal(err)
	}
}

func jsonUnmarshal(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return errors.Join(err, fmt.Errorf("in %q", b))
	}
	return nil
}
