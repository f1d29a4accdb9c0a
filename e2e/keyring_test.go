//go:build linux

package e2e

// These tests run the built binary against a real Secret Service: a private
// D-Bus session bus (dbus-daemon) and gnome-keyring-daemon with a throwaway
// login keyring, one pair per test, both killed when the test ends. Nothing
// touches the user's own keyring or bus. They need dbus-daemon, dbus-send,
// gnome-keyring-daemon and secret-tool (Debian: apt-get install gnome-keyring
// dbus libsecret-tools); without them the tests skip, unless CI=true or
// LATTICE_LINK_REQUIRE_KEYRING=1, which make that a failure.

import (
	"bytes"
	"context"
	"encoding/json"
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

	"github.com/lattice-link/lattice-link/lattice/latticetest"
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
func (s *secretService) lock() {
	s.t.Helper()
	s.dbusSend("org.freedesktop.secrets", "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
		"array:objpath:"+loginCollection)
	if !s.locked() {
		s.t.Fatalf("the login keyring did not lock:\n%s", s.log)
	}
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
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = e.vars
	cmd.Dir = e.config
	cmd.Stdin = strings.NewReader(stdin)
	cmd.WaitDelay = time.Second
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if ctx.Err() != nil {
		e.t.Fatalf("lattice-link %s did not end within %s; it wrote:\n%s%s", strings.Join(args, " "), limit, out.String(), errOut.String())
	}
	r := result{stdout: out.String(), stderr: errOut.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
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
	if r.code != code {
		t.Errorf("%s: exit %d, want %d\n%s%s", what, r.code, code, r.stdout, r.stderr)
		return
	}
	for _, s := range says {
		if !strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("%s: does not say %q:\n%s%s", what, s, r.stdout, r.stderr)
		}
	}
}

// With the keyring answering, the key lives in the keyring only, through a
// connect, a rotation and a logout, with --store keyring and with auto.
func TestRealKeyringConnectStatusRotateLogout(t *testing.T) {
	for _, store := range []string{"keyring", "auto"} {
		t.Run(store, func(t *testing.T) {
			s := startSecretService(t, noPrompter)
			s.storeItem("other-app", "default", "another-apps-secret") // logout must leave it alone
			e := newSandbox(t).with("LATTICE_LINK_STORE=" + store).with(s.env()...)
			keyringFiles := []string{s.dir} // gnome-keyring's own files are encrypted

			r := e.do(latticetest.KeyAdmin, "connect", "--key-stdin")
			requireSays(t, "connect", r, 0, "Connected as Grace Hopper",
				"Stored ••••7f3c for profile default in the OS keyring (service lattice-link)")
			if strings.Contains(r.stderr, keyringNote) {
				t.Errorf("connect fell back to the file with a working keyring:\n%s", r.stderr)
			}
			requireNoSecret(t, r.stdout+r.stderr, latticetest.KeyAdmin)
			if got, ok := s.lookup("default"); !ok || got != latticetest.KeyAdmin {
				t.Fatalf("secret-tool lookup after connect: %q, found %v", got, ok)
			}
			requireNotOnDisk(t, e, keyringFiles, latticetest.KeyAdmin)
			state, _ := os.ReadFile(filepath.Join(e.config, "state.json"))
			if !strings.Contains(string(state), `"store": "keyring"`) {
				t.Errorf("state.json does not say the key is in the keyring:\n%s", state)
			}

			requireSays(t, "status", e.do("", "status"), 0, "Lattice key ••••7f3c (profile default, in the OS keyring)", "valid")
			r = e.do("", "status", "--json")
			var got statusJSON
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.Store != "keyring" || !got.Valid {
				t.Errorf("status --json: exit %d %v %+v\n%s", r.code, err, got, r.stdout)
			}
			if r := e.do("", "token"); r.code != 0 || r.stdout != latticetest.KeyAdmin+"\n" {
				t.Errorf("token: exit %d %q %s", r.code, r.stdout, r.stderr)
			}

			// Rotation: the keyring holds the new key, and only it.
			r = e.do(latticetest.KeyRotated, "connect", "--key-stdin")
			requireSays(t, "rotate", r, 0, "in the OS keyring", "It replaced ••••7f3c: revoke that key in Lattice")
			if got, ok := s.lookup("default"); !ok || got != latticetest.KeyRotated {
				t.Errorf("secret-tool lookup after rotation: %q, found %v", got, ok)
			}
			if items := s.items(); strings.Count(items, "attribute.username = ") != 1 || strings.Contains(items, latticetest.KeyAdmin) {
				t.Errorf("after rotation the keyring has:\n%s", items)
			}
			if r := e.do("", "token"); r.stdout != latticetest.KeyRotated+"\n" {
				t.Errorf("token after rotation: exit %d %q %s", r.code, r.stdout, r.stderr)
			}

			// A second profile is a second item.
			requireSays(t, "connect --profile acme", e.do(latticetest.KeyMember, "--profile", "acme", "connect", "--key-stdin"), 0, "in the OS keyring")
			if got, _ := s.lookup("acme"); got != latticetest.KeyMember {
				t.Errorf("secret-tool lookup acme: %q", got)
			}
			requireNotOnDisk(t, e, keyringFiles, latticetest.KeyAdmin, latticetest.KeyRotated, latticetest.KeyMember)

			// Logout removes this profile's item, nothing else.
			requireSays(t, "logout", e.do("", "logout"), 0, "Forgot the key ••••a1b2", "still works until you revoke it in Lattice")
			if got, ok := s.lookup("default"); ok {
				t.Errorf("the key is still in the keyring after logout: %q", got)
			}
			if got, _ := s.lookup("acme"); got != latticetest.KeyMember {
				t.Errorf("logout of default took profile acme's key: %q", got)
			}
			if out, _ := s.tool("", "secret-tool", "lookup", "service", "other-app", "username", "default"); out != "another-apps-secret" {
				t.Errorf("logout touched another app's secret: %q", out)
			}
			requireSays(t, "token after logout", e.do("", "token"), 3)
			requireSays(t, "logout again", e.do("", "logout"), 3)
			requireNotOnDisk(t, e, keyringFiles, latticetest.KeyAdmin, latticetest.KeyRotated, latticetest.KeyMember)
		})
	}
}

// A locked keyring whose unlock prompt cannot be shown (no display, as over
// SSH) answers at once with an error; one whose prompt waits for a password
// nobody types does not answer, and lattice-link gives up after 3 s. Either
// way auto keeps the key in the file and says so once; keyring refuses.
func TestRealKeyringLocked(t *testing.T) {
	for _, c := range []struct {
		name     string
		prompter prompter
		says     string // in the reason
		slow     bool   // the keyring call times out
	}{
		{"prompt dismissed", noPrompter, "", false},
		{"prompt unanswered", silentPrompter, "did not answer within 3s", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := startSecretService(t, c.prompter)
			s.lock()
			requireTook := func(what string, took time.Duration) {
				t.Helper()
				if c.slow && (took < keyringTimeout || took > keyringTimeout+5*time.Second) {
					t.Errorf("%s took %s; want the keyring's timeout, %s", what, took.Round(time.Millisecond), keyringTimeout)
				}
				if !c.slow && took >= keyringTimeout {
					t.Errorf("%s took %s, though the keyring answered at once", what, took.Round(time.Millisecond))
				}
			}

			// --store keyring: a clear error, nothing stored anywhere.
			e := newSandbox(t).with("LATTICE_LINK_STORE=keyring").with(s.env()...)
			r, took := e.runWithin(15*time.Second, latticetest.KeyAdmin, "connect", "--key-stdin")
			requireSays(t, "connect --store keyring", r, 2, "Error:", "OS keyring", c.says)
			requireTook("connect --store keyring", took)
			requireNoSecret(t, r.stdout+r.stderr, latticetest.KeyAdmin)
			requireNotOnDisk(t, e, nil, latticetest.KeyAdmin)
			r, took = e.runWithin(15*time.Second, "", "token")
			requireSays(t, "token --store keyring", r, 2, "Error:", "OS keyring", c.says)
			requireTook("token --store keyring", took)

			// auto: the file, announced once.
			e = newSandbox(t).with("LATTICE_LINK_STORE=auto").with(s.env()...)
			r, took = e.runWithin(15*time.Second, latticetest.KeyAdmin, "connect", "--key-stdin")
			creds := filepath.Join(e.config, "credentials.json")
			requireSays(t, "connect --store auto", r, 0, keyringNote, c.says, "Use --store keyring to insist on the keyring",
				"Stored ••••7f3c for profile default in "+creds)
			if n := strings.Count(r.stderr, keyringNote); n != 1 {
				t.Errorf("the fallback is announced %d times:\n%s", n, r.stderr)
			}
			requireTook("connect --store auto", took)
			requireFileMode(t, creds, 0o600)
			requireNoSecret(t, r.stdout+r.stderr, latticetest.KeyAdmin)
			// The key is remembered to be in the file: no more waiting for the keyring.
			r, took = e.runWithin(15*time.Second, "", "token")
			if r.code != 0 || r.stdout != latticetest.KeyAdmin+"\n" || took >= keyringTimeout {
				t.Errorf("token: exit %d %q in %s\n%s", r.code, r.stdout, took, r.stderr)
			}
			requireSays(t, "status", e.do("", "status"), 0, "in "+creds, "valid")
			requireSays(t, "logout", e.do("", "logout"), 0, "Forgot the key ••••7f3c")
			if b, err := os.ReadFile(creds); err == nil && strings.Contains(string(b), latticetest.KeyAdmin) {
				t.Errorf("the key is still in credentials.json after logout")
			}
		})
	}
}

// A key stored in the keyring, which is then locked: auto must not pretend
// there is no key, nor put the next key in the file beside the old one.
func TestRealKeyringLockedAfterConnect(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := newSandbox(t).with("LATTICE_LINK_STORE=auto").with(s.env()...)
	requireSays(t, "connect", e.do(latticetest.KeyAdmin, "connect", "--key-stdin"), 0, "in the OS keyring")
	s.lock()
	for _, cmd := range []string{"token", "status"} {
		r := e.do("", cmd)
		if r.code == 0 || r.code == 3 || !strings.Contains(r.stderr, "keyring") {
			t.Errorf("%s with the key in a locked keyring: exit %d (3 = no key stored), want an error about the keyring\n%s%s",
				cmd, r.code, r.stdout, r.stderr)
		}
	}
	r := e.do(latticetest.KeyRotated, "connect", "--key-stdin")
	if _, err := os.Stat(filepath.Join(e.config, "credentials.json")); err == nil {
		t.Errorf("a rotation with the old key in a locked keyring put the new key in the file (exit %d):\n%s", r.code, r.stderr)
	}
}

// No session bus at all: auto falls back to the file at once and says so
// once; keyring refuses.
func TestRealKeyringNoSessionBus(t *testing.T) {
	requireKeyringTools(t)
	for _, c := range []struct {
		name string
		env  func(t *testing.T) []string
	}{
		{"address pointing nowhere", func(t *testing.T) []string {
			return []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-bus")}
		}},
		// No address, no $XDG_RUNTIME_DIR/bus, and no dbus-launch on PATH to autolaunch one.
		{"no address", func(t *testing.T) []string {
			return []string{"XDG_RUNTIME_DIR=" + t.TempDir(), "PATH=" + t.TempDir()}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := c.env(t)
			e := newSandbox(t).with("LATTICE_LINK_STORE=keyring").with(env...)
			r, took := e.runWithin(15*time.Second, latticetest.KeyAdmin, "connect", "--key-stdin")
			requireSays(t, "connect --store keyring", r, 2, "Error:", "OS keyring")
			if took >= keyringTimeout {
				t.Errorf("connect --store keyring took %s without a bus", took)
			}
			requireNotOnDisk(t, e, nil, latticetest.KeyAdmin)

			e = newSandbox(t).with("LATTICE_LINK_STORE=auto").with(env...)
			r, took = e.runWithin(15*time.Second, latticetest.KeyAdmin, "connect", "--key-stdin")
			creds := filepath.Join(e.config, "credentials.json")
			requireSays(t, "connect --store auto", r, 0, keyringNote, "Stored ••••7f3c for profile default in "+creds)
			if n := strings.Count(r.stderr, keyringNote); n != 1 {
				t.Errorf("the fallback is announced %d times:\n%s", n, r.stderr)
			}
			if took >= keyringTimeout {
				t.Errorf("connect --store auto took %s without a bus", took)
			}
			requireFileMode(t, creds, 0o600)
			if r := e.do("", "token"); r.code != 0 || r.stdout != latticetest.KeyAdmin+"\n" {
				t.Errorf("token: exit %d %q %s", r.code, r.stdout, r.stderr)
			}
			requireSays(t, "status", e.do("", "status"), 0, "in "+creds, "valid")
			requireSays(t, "logout", e.do("", "logout"), 0, "Forgot the key ••••7f3c")
		})
	}
}

// The wizard's home screen reads the key from the keyring, and a rotation in
// the wizard replaces the keyring's item.
func TestRealKeyringWizardRotates(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := newSandbox(t).with("LATTICE_LINK_STORE=keyring").with(s.env()...)
	requireSays(t, "connect", e.do(latticetest.KeyAdmin, "connect", "--key-stdin"), 0, "in the OS keyring")
	term := e.terminal(80, 24)
	term.waitFor("Lattice is linked on this machine")
	term.waitFor("valid: Lattice accepted it just now")
	term.typeText("r")
	term.waitFor("Rotate · replace ••••7f3c")
	term.typeText(latticetest.KeyRotated + "\r")
	term.waitFor("Rotated: the new key is stored")
	term.typeText("q")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	if got, _ := s.lookup("default"); got != latticetest.KeyRotated {
		t.Errorf("secret-tool lookup after the wizard's rotation: %q", got)
	}
	requireNotOnDisk(t, e, []string{s.dir}, latticetest.KeyAdmin, latticetest.KeyRotated)
}

// With auto, a keyring that does not answer must not hold up the wizard's
// first frame: the screen comes at once and the wait happens behind it.
func TestRealKeyringDoesNotDelayTheFirstFrame(t *testing.T) {
	s := startSecretService(t, silentPrompter)
	s.lock()
	e := newSandbox(t).with("LATTICE_LINK_STORE=auto").with(s.env()...)
	start := time.Now()
	term := e.terminal(80, 24)
	term.waitFor("Step 1 of 5")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the first frame took %s with a keyring that does not answer", took.Round(time.Millisecond))
	}
	term.typeText("q")
	term.exit()
}

// LATTICE_API_KEY makes status and token use it: a keyring that does not
// answer must not hold them up, nor be mentioned.
func TestRealKeyringNotWaitedForWithEnvironmentKey(t *testing.T) {
	s := startSecretService(t, silentPrompter)
	s.lock()
	for _, store := range []string{"keyring", "auto"} {
		t.Run(store, func(t *testing.T) {
			e := newSandbox(t).with("LATTICE_LINK_STORE="+store, "LATTICE_API_KEY="+latticetest.KeyMember).with(s.env()...)
			for _, cmd := range []string{"token", "status"} {
				r, took := e.runWithin(15*time.Second, "", cmd)
				requireSays(t, cmd, r, 0, "Using LATTICE_API_KEY")
				if took >= keyringTimeout || strings.Contains(r.stderr, "keyring") {
					t.Errorf("%s with LATTICE_API_KEY took %s, and said:\n%s", cmd, took.Round(time.Millisecond), r.stderr)
				}
			}
		})
	}
}
