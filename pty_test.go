package main

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"

	"github.com/lattice-link/lattice-link/lattice/latticetest"
)

// terminal runs the binary in a pseudo-terminal, as a user would.
type terminal struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  io.ReadWriteCloser
	mu   sync.Mutex
	raw  bytes.Buffer // every byte the program wrote
	done chan struct{}
}

func (e *sandbox) terminal(cols, rows int, args ...string) *terminal {
	e.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(append([]string(nil), e.vars...), "TERM=xterm-256color")
	cmd.Dir = e.config
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		e.t.Fatal(err)
	}
	term := &terminal{t: e.t, cmd: cmd, tty: f, done: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.mu.Lock()
			term.raw.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				close(term.done)
				return
			}
		}
	}()
	e.t.Cleanup(func() { _ = cmd.Process.Kill(); f.Close() })
	return term
}

func (t *terminal) output() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.raw.String()
}

// waitFor waits until text has been drawn (styles stripped).
func (t *terminal) waitFor(text string) {
	t.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(ansi.Strip(t.output()), text) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.t.Fatalf("%q never appeared; the screen had:\n%s", text, ansi.Strip(t.output()))
}

func (t *terminal) typeText(s string) {
	if _, err := t.tty.Write([]byte(s)); err != nil {
		t.t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
}

// exit waits for the program to end and returns its exit code.
func (t *terminal) exit() int {
	t.t.Helper()
	select {
	case <-t.done:
	case <-time.After(10 * time.Second):
		t.t.Fatal("the program did not end")
	}
	_ = t.cmd.Wait()
	return t.cmd.ProcessState.ExitCode()
}

func TestWizardInATerminalConnectsAKey(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(80, 24, "connect")
	term.waitFor("Step 5 of 5 · Connect")
	term.typeText(latticetest.KeyAdmin)
	term.waitFor("received 25 characters, ending …7f3c")
	term.typeText("\r")
	term.waitFor("Connected to Lattice")
	term.waitFor("Grace Hopper <grace@example.com>")
	term.typeText("q")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	out := term.output()
	requireNoSecret(t, out, latticetest.KeyAdmin)
	// The terminal is left as it was: alternate screen left, cursor shown.
	if !strings.Contains(out, "\x1b[?1049l") || !strings.Contains(out, "\x1b[?25h") {
		t.Error("the terminal was not restored")
	}
	if r := e.run("", "token"); r.stdout != latticetest.KeyAdmin+"\n" {
		t.Errorf("stored %q", r.stdout)
	}
}

func TestWizardHomeScreenRotates(t *testing.T) {
	e := newSandbox(t)
	e.run(latticetest.KeyAdmin, "connect", "--key-stdin")
	term := e.terminal(80, 24)
	term.waitFor("Lattice is linked on this machine")
	term.waitFor("valid: Lattice accepted it just now")
	term.typeText("r")
	term.waitFor("Rotate · replace ••••7f3c")
	term.typeText(latticetest.KeyRotated + "\r")
	term.waitFor("Rotated: the new key is stored")
	term.typeText("v")
	term.waitFor("still works")
	e.srv.Revoke(latticetest.KeyAdmin)
	term.typeText("v")
	term.waitFor("Lattice now rejects the old key")
	term.typeText("q")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	requireNoSecret(t, term.output(), latticetest.KeyAdmin)
	requireNoSecret(t, term.output(), latticetest.KeyRotated)
	if r := e.run("", "token"); r.stdout != latticetest.KeyRotated+"\n" {
		t.Errorf("stored %q", r.stdout)
	}
}

func TestCtrlCLeavesTheTerminalAsItWas(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(80, 24)
	term.waitFor("Step 1 of 5")
	term.typeText("\x03")
	if code := term.exit(); code != 130 {
		t.Errorf("exit %d, want 130", code)
	}
	out := term.output()
	if !strings.Contains(out, "\x1b[?1049l") || !strings.Contains(out, "\x1b[?25h") {
		t.Error("the terminal was not restored")
	}
}
