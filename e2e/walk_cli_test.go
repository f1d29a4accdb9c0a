package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// The command line's findings of the walk of the built binary
// (/work/team/walk.md): each as the walk saw it, now answered.

// F21: after a hand-off that kept no copy, status says the key went to the
// app, with exit 3 (no key stored) and no "Error:" telling the user to
// connect again.
func TestStatusAfterAHandOffSaysTheKeyWentToTheApp(t *testing.T) {
	e := newNangoSandbox(t)
	if r := e.run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--key-stdin"); r.Code != 0 {
		t.Fatalf("hand-off: %d\n%s", r.Code, r.Stderr)
	}
	r := e.run("", "status")
	if r.Code != 3 || !strings.Contains(r.Stdout, "it was handed to the app through Nango") ||
		strings.Contains(r.Stderr, "Error:") {
		t.Errorf("status after a hand-off: %d\nstdout:\n%s\nstderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
}

// F4: status --all with no key says so once, not again as an error.
func TestStatusAllWithoutAKeySaysItOnce(t *testing.T) {
	r := newSandbox(t).run("", "status", "--all")
	if r.Code != 3 || !strings.Contains(r.Stdout, "No Lattice key stored here") || strings.Contains(r.Stderr, "Error:") {
		t.Errorf("status --all: %d\nstdout:\n%s\nstderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
}

// F5: status --json without a key has null store and fingerprint, as its
// other unknowns.
func TestStatusJSONWithoutAKeyHasNulls(t *testing.T) {
	r := newSandbox(t).run("", "status", "--json")
	var j map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &j); err != nil || r.Code != 3 {
		t.Fatalf("%d %v\n%s", r.Code, err, r.Stdout)
	}
	for _, field := range []string{"store", "fingerprint", "user", "checked_at"} {
		if v, ok := j[field]; !ok || v != nil {
			t.Errorf("%s is %#v (present %v), want null", field, v, ok)
		}
	}
}

// F11: token, status and logout with --demo are refused in words that say
// the demo keeps nothing, and the stored key is untouched.
func TestDemoIsRefusedWhereItKeepsNothing(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	for _, c := range []string{"token", "status", "logout"} {
		r := e.run("", c, "--demo")
		if r.Code != 2 || !strings.Contains(r.Stderr, "--demo keeps no key") || strings.Contains(r.Stderr, "no Lattice key is stored") {
			t.Errorf("%s --demo: %d\n%s", c, r.Code, r.Stderr)
		}
	}
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("the stored key is gone after the --demo runs: %d %q", r.Code, r.Stdout)
	}
}

// F13: ctrl+c at plain mode's home menu does not say "pick up where you
// left off": nothing was in progress there.
func TestPlainHomeCtrlCSaysTheKeyIsAsItWas(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	term := e.terminal(80, 24, "--plain")
	term.waitFor("What now?")
	term.typeText("\x03")
	term.waitFor("Stopped. The key stored here is as it was.")
	term.requireNot("pick up where you left off") // nothing was in progress
	term.exit()
}

// F20: a reconnect hand-off says the key the app used before still works in
// Lattice until revoked, on the command line and in plain mode; a new
// connection does not.
func TestReconnectSaysTheAppsPreviousKeyStillWorks(t *testing.T) {
	e := newNangoSandbox(t)
	const says = "The key the app used before still works in Lattice"
	r := e.run(latticedemo.KeyAdmin, "connect", "--nango", e.ns.Link(e.ns.NewSession()), "--key-stdin")
	if r.Code != 0 || strings.Contains(r.Stderr, says) {
		t.Fatalf("a new connection: %d\n%s", r.Code, r.Stderr)
	}
	id := e.ns.Connections()[0].ID
	r = e.run(latticedemo.KeyRotated, "connect", "--nango", e.ns.Link(e.ns.NewReconnectSession(id)), "--key-stdin")
	if r.Code != 0 || !strings.Contains(r.Stderr, says) || !strings.Contains(r.Stderr, "unless it was this one (••••") {
		t.Errorf("command line reconnect: %d\n%s", r.Code, r.Stderr)
	}
	term := e.with("NANGO_CONNECT_LINK="+e.ns.Link(e.ns.NewReconnectSession(id))).terminal(100, 30, "--plain", "--step", "connect")
	term.pasteKey(latticedemo.KeyAdmin)
	term.waitFor(says)
	term.exit()
}

// F23: email --sent with nothing answered still notes it (the email may
// have been written by hand), but says the answers were empty; answered,
// it says nothing of the kind.
func TestEmailSentWithNothingAnsweredSaysSo(t *testing.T) {
	e := newSandbox(t)
	r := e.run("", "email", "--sent")
	if r.Code != 0 || !strings.Contains(r.Stderr, "still had these unanswered: company") {
		t.Errorf("--sent with nothing answered: %d\n%s", r.Code, r.Stderr)
	}
	r = e.run("", "email", "--sent", "--company", "Initech", "--name", "Ada", "--use-case", "sync", "--tool", "none", "--timeline", "soon")
	if r.Code != 0 || strings.Contains(r.Stderr, "unanswered") {
		t.Errorf("--sent with every answer: %d\n%s", r.Code, r.Stderr)
	}
}

// F3: after a rotation whose old key Lattice was not seen to reject, status
// and plain mode's home still say to revoke it; once the check after a
// rotation sees Lattice reject it, neither does.
func TestAnUnconfirmedRotationIsRemindedUntilLatticeRejectsTheOldKey(t *testing.T) {
	const reminder = "Revoke   ••••7f3c, which a rotation replaced"
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	term := e.terminal(100, 30, "--plain", "connect")
	rotateInPlainMode(term, latticedemo.KeyRotated)
	term.typeText("2\r") // no: the old key still works
	term.exit()
	if r := e.run("", "status"); !strings.Contains(r.Stdout, reminder) {
		t.Errorf("status after an unconfirmed rotation:\n%s", r.Stdout)
	}
	term = e.terminal(100, 30, "--plain")
	term.waitFor("What now?", "Revoke   ****7f3c, which a rotation replaced")
	term.typeText("q\r")
	term.exit()

	// Rotated again, to another key of the same owner (a change of owner
	// asks first), and this time Lattice is seen to reject the old key.
	const third = "third-new-key-0000-d00d"
	e.srv.Add(third, latticedemo.Grace)
	term = e.terminal(100, 30, "--plain", "connect")
	rotateInPlainMode(term, third)
	e.srv.Revoke(latticedemo.KeyRotated)
	term.typeText("1\r")
	term.waitFor("the rotation is complete")
	term.exit()
	if r := e.run("", "status"); strings.Contains(r.Stdout, "••••a1b2, which a rotation replaced") || !strings.Contains(r.Stdout, reminder) {
		t.Errorf("status: the confirmed key is still to revoke, or the unconfirmed one is forgotten:\n%s", r.Stdout)
	}
}

// F3, forgetting: logout after an unconfirmed rotation names the key the
// rotation replaced too, not only the one forgotten.
func TestLogoutAfterAnUnconfirmedRotationNamesTheReplacedKey(t *testing.T) {
	e := newSandbox(t)
	for _, k := range []string{latticedemo.KeyAdmin, latticedemo.KeyRotated} {
		e.connectKey(k)
	}
	r := e.run("", "logout")
	if r.Code != 0 || !strings.Contains(r.Stderr, "Forgot the key ••••a1b2") ||
		!strings.Contains(r.Stderr, "A key a rotation replaced before it, ••••7f3c, may still work too") {
		t.Errorf("logout: %d\n%s", r.Code, r.Stderr)
	}
}
