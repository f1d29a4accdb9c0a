//go:build linux

package e2e

// The real-keyring tests' harness (keyring_test.go): a private D-Bus session
// bus and gnome-keyring-daemon with a throwaway login keyring, one pair per
// test, the tools that read and lock it, and the checks those tests share.

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/internal/standin"
)

// keyringService is the service name lattice-link files keys under
// (config/keyring.go).
const keyringService = "lattice-link"

// keyringTimeout is how long lattice-link waits for the keyring
// (config.KeyringTimeout).
const keyringTimeout = 3 * time.Second

// keyringNote is how lattice-link announces that auto fell back to the file.
const keyringNote = "The OS keyring is not available"

// keyringRequired says whether missing tools fail the tests instead of
// skipping them.
func keyringRequired() bool {
	return os.Getenv("CI") == "true" || os.Getenv("LATTICE_LINK_REQUIRE_KEYRING") == "1"
}

func requireKeyringTools(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range []string{"dbus-daemon", "dbus-send", "gnome-keyring-daemon", "secret-tool", "sleep"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("the real-keyring tests need %s on PATH (Debian: apt-get install -y gnome-keyring dbus libsecret-tools)",
		strings.Join(missing, ", "))
	if keyringRequired() {
		t.Fatal(msg + "; CI=true or LATTICE_LINK_REQUIRE_KEYRING=1 makes this a failure")
	}
	t.Skip(msg)
}

// prompter is what happens when the keyring asks the user to unlock it.
type prompter int

const (
	// noPrompter: there is no prompter (a machine without a display), so an
	// unlock prompt is dismissed at once.
	noPrompter prompter = iota
	// silentPrompter: the prompt waits for a password nobody types.
	silentPrompter
)

// secretService is a private session bus with gnome-keyring-daemon on it.
type secretService struct {
	t    *testing.T
	dir  string // the bus socket, the daemon's HOME and runtime dir
	addr string // for DBUS_SESSION_BUS_ADDRESS
	log  *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <servicedir>%s</servicedir>
  <limit name="service_start_timeout">30000</limit>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// startSecretService starts a session bus and gnome-keyring-daemon with an
// unlocked login keyring (created with a throwaway password). Only the
// services in its own folder can be activated on the bus: with
// silentPrompter, the unlock prompter is a process that never answers.
func startSecretService(t *testing.T, p prompter) *secretService {
	t.Helper()
	requireKeyringTools(t)
	// A short path: a unix socket's path is limited to 108 bytes.
	dir, err := os.MkdirTemp("", "llss")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &secretService{t: t, dir: dir, log: &lockedBuffer{}}
	for _, d := range []string{"home", "run", "services"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if p == silentPrompter {
		sleep, _ := exec.LookPath("sleep")
		service := "[D-BUS Service]\nName=org.gnome.keyring.SystemPrompter\nExec=" + sleep + " 60\n"
		if err := os.WriteFile(filepath.Join(dir, "services", "org.gnome.keyring.SystemPrompter.service"), []byte(service), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, busConfig, filepath.Join(dir, "bus"), filepath.Join(dir, "services")), 0o600); err != nil {
		t.Fatal(err)
	}

	addrFile, err := os.Create(filepath.Join(dir, "address"))
	if err != nil {
		t.Fatal(err)
	}
	defer addrFile.Close()
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	bus.Stdout, bus.Stderr = addrFile, s.log
	s.start(bus)
	if !poll(10*time.Second, func() bool {
		b, _ := os.ReadFile(addrFile.Name())
		s.addr, _, _ = strings.Cut(string(b), "\n")
		return strings.HasSuffix(string(b), "\n")
	}) {
		t.Fatalf("dbus-daemon gave no address within 10 s:\n%s", s.log)
	}

	daemon := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	// Its own HOME (the login keyring is created in it) and runtime dir.
	daemon.Env = append(s.env(), "PATH="+os.Getenv("PATH"), "HOME="+filepath.Join(dir, "home"),
		"XDG_RUNTIME_DIR="+filepath.Join(dir, "run"))
	daemon.Stdin = strings.NewReader("throwaway-keyring-password\n")
	daemon.Stdout, daemon.Stderr = s.log, s.log
	s.start(daemon)
	if !poll(10*time.Second, func() bool {
		return strings.Contains(s.dbusSend("org.freedesktop.DBus", "/", "org.freedesktop.DBus.NameHasOwner",
			"string:org.freedesktop.secrets"), "boolean true") && !s.locked()
	}) {
		t.Fatalf("gnome-keyring-daemon did not offer an unlocked login keyring within 10 s:\n%s", s.log)
	}
	return s
}

// start starts cmd in its own process group, which is killed when the test
// ends (with whatever the bus activated).
func (s *secretService) start(cmd *exec.Cmd) {
	s.t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.t.Cleanup(func() {
		pgid := cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(3 * time.Second):
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL) // the process may be gone, what it started may not
		<-done
	})
}

func poll(limit time.Duration, ok func() bool) bool {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return false
}

// sandbox is a sandbox for t whose binary uses store ("keyring", "auto" or
// "file") with this bus.
func (s *secretService) sandbox(t *testing.T, store string) *sandbox {
	return newSandbox(t).with("LATTICE_LINK_STORE=" + store).with(s.env()...)
}

// env is the environment that puts a program on this bus.
func (s *secretService) env() []string {
	return []string{"DBUS_SESSION_BUS_ADDRESS=" + s.addr}
}

// tool runs one of the keyring tools on this bus, for at most 10 s, and
// returns its output and exit code.
func (s *secretService) tool(stdin, name string, args ...string) (string, int) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = s.env()
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		s.t.Fatalf("%s %s did not end within 10 s", name, strings.Join(args, " "))
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	} else if err != nil {
		s.t.Fatal(err)
	}
	return out.String(), 0
}

func (s *secretService) dbusSend(dest, path, method string, args ...string) string {
	out, _ := s.tool("", "dbus-send", append([]string{"--session", "--print-reply", "--dest=" + dest, path, method}, args...)...)
	return out
}

const loginCollection = "/org/freedesktop/secrets/collection/login"

func (s *secretService) locked() bool {
	out := s.dbusSend("org.freedesktop.secrets", loginCollection, "org.freedesktop.DBus.Properties.Get",
		"string:org.freedesktop.Secret.Collection", "string:Locked")
	return !strings.Contains(out, "boolean false")
}

// lock locks the login keyring, as the desktop does on a screen lock.
// (secret-tool lock does it too, but crashes afterwards in libsecret 0.20.)
// Asked again when it did not lock: under load, gnome-keyring-daemon
// sometimes drops the first request of a new client ("assertion 'client'
// failed") and answers the next.
func (s *secretService) lock() {
	s.t.Helper()
	for range 3 {
		s.dbusSend("org.freedesktop.secrets", "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
			"array:objpath:"+loginCollection)
		if s.locked() {
			return
		}
	}
	s.t.Fatalf("the login keyring did not lock:\n%s", s.log)
}

// lookup reads lattice-link's key for profile, as any other client would.
func (s *secretService) lookup(profile string) (string, bool) {
	s.t.Helper()
	out, code := s.tool("", "secret-tool", "lookup", "service", keyringService, "username", profile)
	switch code {
	case 0:
		return out, true
	case 1:
		return "", false
	}
	s.t.Fatalf("secret-tool lookup: exit %d\n%s", code, out)
	return "", false
}

// items lists every item lattice-link has in the keyring, secrets included.
func (s *secretService) items() string {
	s.t.Helper()
	out, code := s.tool("", "secret-tool", "search", "--all", "service", keyringService)
	if code > 1 {
		s.t.Fatalf("secret-tool search: exit %d\n%s", code, out)
	}
	return out
}

func (s *secretService) storeItem(service, user, secret string) {
	s.t.Helper()
	if out, code := s.tool(secret, "secret-tool", "store", "--label="+service, "service", service, "username", user); code != 0 {
		s.t.Fatalf("secret-tool store: exit %d\n%s", code, out)
	}
}

// runWithin is run with a time limit: a run that hangs fails the test
// instead of the whole suite. It also returns how long the run took.
func (e *sandbox) runWithin(limit time.Duration, stdin string, args ...string) (result, time.Duration) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := e.prepare(exec.CommandContext(ctx, binary, args...))
	cmd.WaitDelay = time.Second
	start := time.Now()
	r, err := standin.Run(cmd, stdin)
	took := time.Since(start)
	if ctx.Err() != nil {
		e.t.Fatalf("lattice-link %s did not end within %s; it wrote:\n%s%s", strings.Join(args, " "), limit, r.Stdout, r.Stderr)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return r, took
}

// do runs the binary with a 15 s limit.
func (e *sandbox) do(stdin string, args ...string) result {
	e.t.Helper()
	r, _ := e.runWithin(15*time.Second, stdin, args...)
	return r
}

// getenv is the value of name in the binary's environment.
func (e *sandbox) getenv(name string) string {
	value := ""
	for _, v := range e.vars {
		if s, ok := strings.CutPrefix(v, name+"="); ok {
			value = s
		}
	}
	return value
}

// requireNotOnDisk fails if credentials.json exists, or if any of the keys
// is in a file under the config folder, the binary's HOME and TMPDIR or
// extra folders.
func requireNotOnDisk(t *testing.T, e *sandbox, extra []string, keys ...string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(e.config, "credentials.json")); err == nil {
		b, _ := os.ReadFile(filepath.Join(e.config, "credentials.json"))
		t.Errorf("credentials.json exists with the keyring in use:\n%s", b)
	}
	for _, root := range append([]string{e.config, e.getenv("HOME"), e.getenv("TMPDIR")}, extra...) {
		if root == "" {
			continue
		}
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			for _, key := range keys {
				if bytes.Contains(b, []byte(key)) {
					t.Errorf("the key %s is on disk, in %s", key[len(key)-4:], path)
				}
			}
			return nil
		})
	}
}

func requireSays(t *testing.T, what string, r result, code int, says ...string) {
	t.Helper()
	if r.Code != code {
		t.Errorf("%s: exit %d, want %d\n%s%s", what, r.Code, code, r.Stdout, r.Stderr)
		return
	}
	for _, s := range says {
		if !strings.Contains(r.Stdout+r.Stderr, s) {
			t.Errorf("%s: does not say %q:\n%s%s", what, s, r.Stdout, r.Stderr)
		}
	}
}
