package e2e

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// ctrl+c in plain mode ends it as q does: "Stopped.", exit 130, and the
// terminal echoing again although the key prompt had turned echo off.
func TestPlainModeCtrlCSaysStopped(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(80, 24, "--plain", "connect")
	term.waitFor("Paste the key (it will not be shown)")
	term.typeHidden("\x03")
	term.waitFor("Stopped.")
	if code := term.exit(); code != 130 {
		t.Errorf("exit %d, want 130", code)
	}
	if ttyEchoes != nil {
		if echo, err := ttyEchoes(term.tty); err == nil && !echo {
			t.Error("the terminal was left without echo")
		}
	}
}

// With a Connect link, plain mode opens at Connect, as the wizard does.
func TestPlainModeWithALinkOpensAtConnect(t *testing.T) {
	e := newNangoSandbox(t)
	// --nango-url names the stand-in's origin: the user's approval of it.
	term := e.terminal(100, 30, "--plain", "--nango", e.ns.Link(e.ns.NewSession()), "--nango-url", e.ns.URL)
	term.waitFor("Paste the key (it will not be shown)")
	if out := term.output(); strings.Contains(out, "Step one of five") || !strings.Contains(out, "Step five of five: Connect") {
		t.Errorf("did not open at Connect:\n%s", term.screen())
	}
	term.typeHidden("q\r")
	term.exit()
}

// ctrl+c once the key is connected is no cancel: the run did what it came
// for, so it ends 0 (as q does), not 130.
func TestPlainModeCtrlCAfterAConnectEndsWell(t *testing.T) {
	e := newSandbox(t)
	if r := e.run(latticedemo.KeyAdmin, "connect", "--key-stdin"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	term := e.terminal(80, 24, "--plain", "connect")
	term.waitFor("Paste the key (it will not be shown)")
	term.typeHidden(latticedemo.KeyRotated + "\r")
	term.waitFor("Check that Lattice rejects the old key?")
	term.typeText("\x03")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d after a rotation, want 0", code)
	}
	if r := e.run("", "token"); r.stdout != latticedemo.KeyRotated+"\n" {
		t.Errorf("stored %q", r.stdout)
	}
}
