package e2e

import (
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
	term.requireExit(130)
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
	term.waitFor("Step five of five: Connect", "Paste the key (it will not be shown)")
	term.requireNot("Step one of five")
	term.typeHidden("q\r")
	term.exit()
}

// ctrl+c once the key is connected is no cancel: the run did what it came
// for, so it ends 0 (as q does), not 130.
func TestPlainModeCtrlCAfterAConnectEndsWell(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	term := e.terminal(80, 24, "--plain", "connect")
	rotateInPlainMode(term, latticedemo.KeyRotated)
	term.typeText("\x03")
	term.requireExit(0)
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyRotated+"\n" {
		t.Errorf("stored %q", r.Stdout)
	}
}
