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
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// With the keyring answering, the key lives in the keyring only, through a
// connect, a rotation and a logout, with --store keyring and with auto.
func TestRealKeyringConnectStatusRotateLogout(t *testing.T) {
	for _, store := range []string{"keyring", "auto"} {
		t.Run(store, func(t *testing.T) {
			s := startSecretService(t, noPrompter)
			s.storeItem("other-app", "default", "another-apps-secret") // logout must leave it alone
			e := s.sandbox(t, store)
			keyringFiles := []string{s.dir} // gnome-keyring's own files are encrypted

			r := e.do(latticedemo.KeyAdmin, "connect", "--key-stdin")
			requireSays(t, "connect", r, 0, "Connected as Grace Hopper",
				"Stored ••••7f3c for profile default in the OS keyring (service lattice-link)")
			if strings.Contains(r.Stderr, keyringNote) {
				t.Errorf("connect fell back to the file with a working keyring:\n%s", r.Stderr)
			}
			requireNoSecret(t, r.Stdout+r.Stderr, latticedemo.KeyAdmin)
			if got, ok := s.lookup("default"); !ok || got != latticedemo.KeyAdmin {
				t.Fatalf("secret-tool lookup after connect: %q, found %v", got, ok)
			}
			requireNotOnDisk(t, e, keyringFiles, latticedemo.KeyAdmin)
			state, _ := os.ReadFile(filepath.Join(e.config, "state.json"))
			if !strings.Contains(string(state), `"store": "keyring"`) {
				t.Errorf("state.json does not say the key is in the keyring:\n%s", state)
			}

			requireSays(t, "status", e.do("", "status"), 0, "Lattice key ••••7f3c (profile default, in the OS keyring)", "valid")
			r = e.do("", "status", "--json")
			var got statusJSON
			if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil || got.Store != "keyring" || !got.Valid {
				t.Errorf("status --json: exit %d %v %+v\n%s", r.Code, err, got, r.Stdout)
			}
			if r := e.do("", "token"); r.Code != 0 || r.Stdout != latticedemo.KeyAdmin+"\n" {
				t.Errorf("token: exit %d %q %s", r.Code, r.Stdout, r.Stderr)
			}

			// Rotation: the keyring holds the new key, and only it.
			r = e.do(latticedemo.KeyRotated, "connect", "--key-stdin")
			requireSays(t, "rotate", r, 0, "in the OS keyring", "It replaced ••••7f3c: revoke that key in Lattice")
			if got, ok := s.lookup("default"); !ok || got != latticedemo.KeyRotated {
				t.Errorf("secret-tool lookup after rotation: %q, found %v", got, ok)
			}
			if items := s.items(); strings.Count(items, "attribute.username = ") != 1 || strings.Contains(items, latticedemo.KeyAdmin) {
				t.Errorf("after rotation the keyring has:\n%s", items)
			}
			if r := e.do("", "token"); r.Stdout != latticedemo.KeyRotated+"\n" {
				t.Errorf("token after rotation: exit %d %q %s", r.Code, r.Stdout, r.Stderr)
			}

			// A second profile is a second item.
			requireSays(t, "connect --profile acme", e.do(latticedemo.KeyMember, "--profile", "acme", "connect", "--key-stdin"), 0, "in the OS keyring")
			if got, _ := s.lookup("acme"); got != latticedemo.KeyMember {
				t.Errorf("secret-tool lookup acme: %q", got)
			}
			requireNotOnDisk(t, e, keyringFiles, latticedemo.KeyAdmin, latticedemo.KeyRotated, latticedemo.KeyMember)

			// Logout removes this profile's item, nothing else.
			requireSays(t, "logout", e.do("", "logout"), 0, "Forgot the key ••••a1b2", "still works until you revoke it in Lattice")
			if got, ok := s.lookup("default"); ok {
				t.Errorf("the key is still in the keyring after logout: %q", got)
			}
			if got, _ := s.lookup("acme"); got != latticedemo.KeyMember {
				t.Errorf("logout of default took profile acme's key: %q", got)
			}
			if out, _ := s.tool("", "secret-tool", "lookup", "service", "other-app", "username", "default"); out != "another-apps-secret" {
				t.Errorf("logout touched another app's secret: %q", out)
			}
			requireSays(t, "token after logout", e.do("", "token"), 3)
			requireSays(t, "logout again", e.do("", "logout"), 3)
			requireNotOnDisk(t, e, keyringFiles, latticedemo.KeyAdmin, latticedemo.KeyRotated, latticedemo.KeyMember)
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
			e := s.sandbox(t, "keyring")
			r, took := e.runWithin(15*time.Second, latticedemo.KeyAdmin, "connect", "--key-stdin")
			requireSays(t, "connect --store keyring", r, 2, "Error:", "OS keyring", c.says)
			requireTook("connect --store keyring", took)
			requireNoSecret(t, r.Stdout+r.Stderr, latticedemo.KeyAdmin)
			requireNotOnDisk(t, e, nil, latticedemo.KeyAdmin)
			r, took = e.runWithin(15*time.Second, "", "token")
			requireSays(t, "token --store keyring", r, 2, "Error:", "OS keyring", c.says)
			requireTook("token --store keyring", took)

			// auto: the file, announced once.
			e = s.sandbox(t, "auto")
			r, took = e.runWithin(15*time.Second, latticedemo.KeyAdmin, "connect", "--key-stdin")
			creds := filepath.Join(e.config, "credentials.json")
			requireSays(t, "connect --store auto", r, 0, keyringNote, c.says, "Use --store keyring to insist on the keyring",
				"Stored ••••7f3c for profile default.", creds)
			if n := strings.Count(r.Stderr, creds); n != 1 { // where the key is kept, said once (walk 3 G23)
				t.Errorf("the file is named %d times:\n%s", n, r.Stderr)
			}
			if n := strings.Count(r.Stderr, keyringNote); n != 1 {
				t.Errorf("the fallback is announced %d times:\n%s", n, r.Stderr)
			}
			requireTook("connect --store auto", took)
			requireFileMode(t, creds, 0o600)
			requireNoSecret(t, r.Stdout+r.Stderr, latticedemo.KeyAdmin)
			// The key is in the file; the keyring is still looked in (a copy
			// left there must be found), waited for at most once per run.
			r, took = e.runWithin(15*time.Second, "", "token")
			if r.Code != 0 || r.Stdout != latticedemo.KeyAdmin+"\n" {
				t.Errorf("token: exit %d %q in %s\n%s", r.Code, r.Stdout, took, r.Stderr)
			}
			requireTook("token --store auto", took)
			requireSays(t, "status", e.do("", "status"), 0, "in "+creds, "valid")
			requireSays(t, "logout", e.do("", "logout"), 0, "Forgot the key ••••7f3c")
			if b, err := os.ReadFile(creds); err == nil && strings.Contains(string(b), latticedemo.KeyAdmin) {
				t.Errorf("the key is still in credentials.json after logout")
			}
		})
	}
}

// A key stored in the keyring, which is then locked: auto must not pretend
// there is no key, nor put the next key in the file beside the old one.
func TestRealKeyringLockedAfterConnect(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := s.sandbox(t, "auto")
	connectIntoTheKeyring(t, e)
	s.lock()
	for _, cmd := range []string{"token", "status"} {
		r := e.do("", cmd)
		if r.Code == 0 || r.Code == 3 || !strings.Contains(r.Stderr, "keyring") {
			t.Errorf("%s with the key in a locked keyring: exit %d (3 = no key stored), want an error about the keyring\n%s%s",
				cmd, r.Code, r.Stdout, r.Stderr)
		}
	}
	r := e.do(latticedemo.KeyRotated, "connect", "--key-stdin")
	if _, err := os.Stat(filepath.Join(e.config, "credentials.json")); err == nil {
		t.Errorf("a rotation with the old key in a locked keyring put the new key in the file (exit %d):\n%s", r.Code, r.Stderr)
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
			r, took := e.runWithin(15*time.Second, latticedemo.KeyAdmin, "connect", "--key-stdin")
			requireSays(t, "connect --store keyring", r, 2, "Error:", "OS keyring")
			if took >= keyringTimeout {
				t.Errorf("connect --store keyring took %s without a bus", took)
			}
			requireNotOnDisk(t, e, nil, latticedemo.KeyAdmin)

			e = newSandbox(t).with("LATTICE_LINK_STORE=auto").with(env...)
			r, took = e.runWithin(15*time.Second, latticedemo.KeyAdmin, "connect", "--key-stdin")
			creds := filepath.Join(e.config, "credentials.json")
			requireSays(t, "connect --store auto", r, 0, keyringNote, "Stored ••••7f3c for profile default.", creds)
			if n := strings.Count(r.Stderr, creds); n != 1 { // where the key is kept, said once (walk 3 G23)
				t.Errorf("the file is named %d times:\n%s", n, r.Stderr)
			}
			if n := strings.Count(r.Stderr, keyringNote); n != 1 {
				t.Errorf("the fallback is announced %d times:\n%s", n, r.Stderr)
			}
			if took >= keyringTimeout {
				t.Errorf("connect --store auto took %s without a bus", took)
			}
			requireFileMode(t, creds, 0o600)
			if r := e.do("", "token"); r.Code != 0 || r.Stdout != latticedemo.KeyAdmin+"\n" {
				t.Errorf("token: exit %d %q %s", r.Code, r.Stdout, r.Stderr)
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
	e := s.sandbox(t, "keyring")
	connectIntoTheKeyring(t, e)
	term := e.terminal(80, 24)
	rotateInTheWizard(term, "••••7f3c", latticedemo.KeyRotated)
	term.typeText("q")
	term.requireExit(0)
	if got, _ := s.lookup("default"); got != latticedemo.KeyRotated {
		t.Errorf("secret-tool lookup after the wizard's rotation: %q", got)
	}
	requireNotOnDisk(t, e, []string{s.dir}, latticedemo.KeyAdmin, latticedemo.KeyRotated)
}

// With auto, a keyring that does not answer must not hold up the wizard's
// first frame: the screen comes at once and the wait happens behind it.
func TestRealKeyringDoesNotDelayTheFirstFrame(t *testing.T) {
	s := startSecretService(t, silentPrompter)
	s.lock()
	e := s.sandbox(t, "auto")
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
			e := newSandbox(t).with("LATTICE_LINK_STORE="+store, "LATTICE_API_KEY="+latticedemo.KeyMember).with(s.env()...)
			for _, cmd := range []string{"token", "status"} {
				r, took := e.runWithin(15*time.Second, "", cmd)
				requireSays(t, cmd, r, 0, "Using LATTICE_API_KEY")
				if took >= keyringTimeout || strings.Contains(r.Stderr, "keyring") {
					t.Errorf("%s with LATTICE_API_KEY took %s, and said:\n%s", cmd, took.Round(time.Millisecond), r.Stderr)
				}
			}
		})
	}
}

// Changing the store between runs moves the key: after a rotation into the
// other store, the first holds nothing, the rotation says to revoke the old
// key, and after logout no store has a key for status or token to find.
func TestRealKeyringChangingTheStoreLeavesNoCopy(t *testing.T) {
	for _, c := range []struct{ from, to string }{{"auto", "file"}, {"file", "keyring"}} {
		t.Run(c.from+" then "+c.to, func(t *testing.T) {
			s := startSecretService(t, noPrompter)
			e := newSandbox(t).with(s.env()...)
			creds := filepath.Join(e.config, "credentials.json")
			requireSays(t, "connect", e.with("LATTICE_LINK_STORE="+c.from).do(latticedemo.KeyAdmin, "connect", "--key-stdin"), 0, "Stored ••••7f3c")
			to := e.with("LATTICE_LINK_STORE=" + c.to)
			r := to.do(latticedemo.KeyRotated, "connect", "--key-stdin")
			requireSays(t, "rotate into "+c.to, r, 0, "Stored ••••a1b2", "It replaced ••••7f3c: revoke that key in Lattice",
				"it is not kept there any more")
			inKeyring, _ := s.lookup("default")
			b, _ := os.ReadFile(creds)
			if c.to == "file" && (inKeyring != "" || !strings.Contains(string(b), latticedemo.KeyRotated)) ||
				c.to == "keyring" && (inKeyring != latticedemo.KeyRotated || strings.Contains(string(b), "demo-")) {
				t.Errorf("after the rotation: keyring %q, credentials.json %q", inKeyring, b)
			}
			requireSays(t, "logout", to.do("", "logout"), 0, "Forgot the key ••••a1b2")
			for _, store := range []string{"auto", "keyring", "file"} {
				e := e.with("LATTICE_LINK_STORE=" + store)
				requireSays(t, "status --store "+store+" after logout", e.do("", "status"), 3)
				if r := e.do("", "token"); r.Code != 3 || r.Stdout != "" {
					t.Errorf("token --store %s after logout: exit %d %q", store, r.Code, r.Stdout)
				}
			}
			if items := s.items(); strings.Contains(items, "demo-") {
				t.Errorf("the keyring still has:\n%s", items)
			}
		})
	}
}

// state.json's "store" is only a hint: set to "file", it neither hides the
// key in the keyring nor sends the next key to the file.
func TestRealKeyringStateCannotDowngradeTheStore(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := s.sandbox(t, "auto")
	connectThenHintTheFile(t, e)
	requireSays(t, "status", e.do("", "status"), 0, "Lattice key ••••7f3c (profile default, in the OS keyring)", "valid")
	requireSays(t, "rotate", e.do(latticedemo.KeyRotated, "connect", "--key-stdin"), 0, "in the OS keyring", "It replaced ••••7f3c")
	if got, _ := s.lookup("default"); got != latticedemo.KeyRotated {
		t.Errorf("keyring after the rotation: %q", got)
	}
	requireNotOnDisk(t, e, []string{s.dir}, latticedemo.KeyAdmin, latticedemo.KeyRotated)
}

// --store file with state.json's hint edited to "file" still finds the key
// in the keyring: status does not clear the record as if no key were stored,
// and the rotation into the file moves the key and says to revoke the old one.
func TestRealKeyringStoreFileAfterAnEditedHint(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := s.sandbox(t, "auto")
	connectThenHintTheFile(t, e)
	file := e.with("LATTICE_LINK_STORE=file")
	r := file.do("", "status")
	requireSays(t, "status --store file", r, 0, "Lattice key ••••7f3c (profile default, in the OS keyring)", "valid")
	if strings.Contains(r.Stderr, "no longer stored") {
		t.Errorf("status cleared the record of a stored key:\n%s", r.Stderr)
	}
	r = file.do(latticedemo.KeyRotated, "connect", "--key-stdin")
	requireSays(t, "rotate --store file", r, 0, "Stored ••••a1b2", "credentials.json",
		"It replaced ••••7f3c: revoke that key in Lattice", "it is not kept there any more")
	if got, ok := s.lookup("default"); ok {
		t.Errorf("the keyring still has %q", got)
	}
}

// The keyring locked while it holds the key, and state.json's hint edited
// to "file": status says the keyring is locked rather than that no key is
// stored, and a connect puts no key in the file beside the locked one.
func TestRealKeyringLockedWithAnEditedHint(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := s.sandbox(t, "auto")
	connectThenHintTheFile(t, e)
	s.lock()
	for _, store := range []string{"auto", "file"} {
		e := e.with("LATTICE_LINK_STORE=" + store)
		requireSays(t, "status --store "+store, e.do("", "status"), 2, "locked", "Unlock it")
		requireSays(t, "connect --store "+store, e.do(latticedemo.KeyRotated, "connect", "--key-stdin"), 2, "locked")
		if _, err := os.Stat(filepath.Join(e.config, "credentials.json")); err == nil {
			t.Errorf("--store %s: the new key went to the file beside the locked keyring's", store)
		}
	}
}

// A key in the keyring and another in the file (as an older lattice-link
// could leave them) is reported, never chosen; logout forgets both and says so.
func TestRealKeyringAKeyInTwoStores(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := s.sandbox(t, "auto")
	connectIntoTheKeyring(t, e)
	creds := filepath.Join(e.config, "credentials.json")
	if err := os.WriteFile(creds, []byte(`{"version":1,"keys":{"default":"`+latticedemo.KeyRotated+`"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"status", "token"} {
		r := e.do("", cmd)
		requireSays(t, cmd, r, 2, "more than one store", "••••7f3c", "••••a1b2", "logout")
		if r.Stdout != "" && cmd == "token" {
			t.Errorf("token chose a key: %q", r.Stdout)
		}
		requireNoSecret(t, r.Stdout+r.Stderr, latticedemo.KeyAdmin)
	}
	r := e.do("", "logout")
	requireSays(t, "logout", r, 0, "Forgot 2 keys", "••••7f3c, from the OS keyring", "••••a1b2, from "+creds, "revoke them")
	if got, ok := s.lookup("default"); ok {
		t.Errorf("the keyring still has %q", got)
	}
	requireSays(t, "token after logout", e.do("", "token"), 3)
}

// A locked keyring holding the key is said in words: locked, how to
// unlock it, no D-Bus object path and no --store file (which cannot find a
// key in the keyring). A rotation then fails and leaves the key where it is.
func TestRealKeyringLockedSaysHowToUnlock(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := s.sandbox(t, "auto")
	connectIntoTheKeyring(t, e)
	s.lock()
	for _, args := range [][]string{{"status"}, {"token"}, {"logout"}, {"--store", "file", "token"}} {
		r := e.do("", args...)
		requireSays(t, strings.Join(args, " "), r, 2, "locked", "Unlock it")
		if strings.Contains(r.Stderr, "/org/freedesktop") || strings.Contains(r.Stderr, "--store file") {
			t.Errorf("%s: noise or advice that cannot help:\n%s", strings.Join(args, " "), r.Stderr)
		}
	}
	r := e.do(latticedemo.KeyRotated, "connect", "--key-stdin")
	requireSays(t, "rotate with the keyring locked", r, 2, "locked")
	if _, err := os.Stat(filepath.Join(e.config, "credentials.json")); err == nil {
		t.Errorf("the new key went to the file")
	}
	if b, _ := os.ReadFile(filepath.Join(e.config, "state.json")); !strings.Contains(string(b), "••••7f3c") {
		t.Errorf("state.json no longer describes the stored key:\n%s", b)
	}
}

// --store keyring without any session bus says so in words, not Go's
// exec error for dbus-launch.
func TestRealKeyringNoBusInWords(t *testing.T) {
	requireKeyringTools(t)
	e := newSandbox(t).with("LATTICE_LINK_STORE=keyring", "XDG_RUNTIME_DIR="+t.TempDir(), "PATH="+t.TempDir())
	r := e.do(latticedemo.KeyAdmin, "connect", "--key-stdin")
	requireSays(t, "connect --store keyring", r, 2, "no D-Bus session bus")
	if strings.Contains(r.Stderr, "exec:") || strings.Contains(r.Stderr, "$PATH") {
		t.Errorf("raw error:\n%s", r.Stderr)
	}
}

// Plain mode says once why auto kept the key in the file (the keyring is
// locked), from what the connect reports, as connect --key-stdin does.
func TestRealKeyringPlainModeSaysWhyTheFile(t *testing.T) {
	s := startSecretService(t, noPrompter)
	s.lock()
	e := s.sandbox(t, "auto")
	term := e.terminal(100, 30, "--plain", "connect")
	term.pasteKey(latticedemo.KeyAdmin)
	term.waitFor("Use --store keyring to insist on the keyring")
	if run := term.everything(); run.count(keyringNote) != 1 || !run.has("it is locked") {
		t.Errorf("the fallback is said %d times:\n%s", run.count(keyringNote), term.screen())
	}
	term.typeText("q\r")
	term.exit()
	requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
}

// status --all finds this run's profile's key in the keyring though
// state.json, which names the profiles, was lost (only credentials.json
// names another).
func TestRealKeyringStatusAllFindsAKeyWithoutItsRecord(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := s.sandbox(t, "auto")
	connectIntoTheKeyring(t, e)
	requireSays(t, "connect work", e.with("LATTICE_LINK_STORE=file").do(latticedemo.KeyMember, "--profile", "work", "connect", "--key-stdin"), 0)
	if err := os.Remove(filepath.Join(e.config, "state.json")); err != nil {
		t.Fatal(err)
	}
	r := e.do("", "status", "--all", "--json")
	var list []statusJSON
	if err := json.Unmarshal([]byte(r.Stdout), &list); err != nil || r.Code != 0 {
		t.Fatalf("status --all --json: exit %d, %v\n%s%s", r.Code, err, r.Stdout, r.Stderr)
	}
	var got []string
	for _, j := range list {
		got = append(got, j.Profile+" "+j.Store+" "+j.Fingerprint)
	}
	if want := []string{"default keyring ••••7f3c", "work file ••••2b9e"}; !slices.Equal(got, want) {
		t.Errorf("status --all lists %q, want %q", got, want)
	}
}

// Killed between the key write (to the keyring) and the state.json write, a
// rotation is repaired by the next run, as with the file.
func TestRealKeyringAKillBetweenTheTwoWritesIsRepaired(t *testing.T) {
	s := startSecretService(t, noPrompter)
	e := s.sandbox(t, "auto")
	killBetweenTheTwoWrites(t, e, func() string { k, _ := s.lookup("default"); return k })
}

// connectThenHintTheFile connects a key into the keyring, then edits
// state.json's hint of where the key is to "file", as a user might.
func connectThenHintTheFile(t *testing.T, e *sandbox) {
	t.Helper()
	connectIntoTheKeyring(t, e)
	path := filepath.Join(e.config, "state.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.ReplaceAll(string(b), `"store": "keyring"`, `"store": "file"`)
	if edited == string(b) {
		t.Fatalf("state.json does not say the key is in the keyring:\n%s", b)
	}
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
}

// connectIntoTheKeyring connects the admin key, which must land in the
// keyring.
func connectIntoTheKeyring(t *testing.T, e *sandbox) {
	t.Helper()
	requireSays(t, "connect", e.do(latticedemo.KeyAdmin, "connect", "--key-stdin"), 0, "in the OS keyring")
}
