package main

import (
	"bytes"
	"io"
	"os/exec"
	"regexp"
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
	t    testing.TB
	cmd  *exec.Cmd
	tty  io.ReadWriteCloser
	mu   sync.Mutex
	raw  bytes.Buffer // every byte the program wrote
	done chan struct{}
}

func (e *sandbox) terminal(cols, rows int, args ...string) *terminal {
	e.t.Helper()
	return e.terminalOf(binary, cols, rows, args...)
}

// terminalOf runs another program in a pseudo-terminal.
func (e *sandbox) terminalOf(bin string, cols, rows int, args ...string) *terminal {
	cmd := exec.Command(bin, args...)
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

func TestPlainModeFullRun(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(80, 24, "--plain")
	step := func(waitFor, answer string) {
		t.Helper()
		term.waitFor(waitFor)
		term.typeText(answer + "\r")
	}
	term.waitFor("Step one of five: Prerequisites")
	step("Choose 1-2 [2]", "2")
	term.waitFor("Step two of five: Request API access")
	step("Fill in the answers now?", "1")
	step("Company: ", "Initech")
	step("Your name: ", "Peter Gibbons")
	step("Use case: ", "Export TPS reports")
	step("Will a third-party tool use the API?", "1")
	step("Timeline: ", "this week")
	term.waitFor("Subject: API access request: Initech")
	step("What now?", "2")
	step("Saved the email to", "4")
	term.waitFor("Step three of five: Generate the key")
	step("subdomain", "initech")
	step("https://initech.latticehq.com/admin/settings/api-keys", "")
	term.waitFor("Step four of five: SCIM")
	step("Check SCIM too when you connect?", "1")
	step("Paste the key (it will not be shown)", latticetest.KeyRevoked)
	term.waitFor("Lattice rejected this key (401)")
	step("Try another key?", "1")
	step("Paste the key (it will not be shown)", latticetest.KeyAdmin)
	term.waitFor("Connected to Lattice.")
	term.waitFor("SCIM       enabled")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	out := term.output()
	requireNoSecret(t, out, latticetest.KeyAdmin)
	requireNoSecret(t, out, latticetest.KeyRevoked)
	if strings.ContainsRune(out, '\x1b') {
		i := strings.IndexRune(out, '\x1b')
		t.Errorf("plain mode wrote an escape sequence: %q", out[max(0, i-20):min(len(out), i+20)])
	}
	if m := regexp.MustCompile(`(^|\s)(\*\*[A-Za-z]|# [A-Z])`).FindString(out); m != "" {
		t.Errorf("plain mode shows markdown: %q", m)
	}
	if r := e.run("", "token"); r.stdout != latticetest.KeyAdmin+"\n" {
		t.Errorf("stored %q", r.stdout)
	}
	if r := e.run("", "email"); !strings.Contains(r.stdout, "Export TPS reports") {
		t.Errorf("answers not remembered:\n%s", r.stdout)
	}
}

func TestNoColorMeansNoColour(t *testing.T) {
	e := newSandbox(t).with("NO_COLOR=1")
	term := e.terminal(80, 24)
	term.waitFor("Step 1 of 5")
	term.typeText("2")
	term.waitFor("Request API access")
	term.typeText("q")
	term.exit()
	if sgr := colourSequence(term.output()); sgr != "" {
		t.Errorf("NO_COLOR output has a colour sequence: %q", sgr)
	}
}

// colourSequence returns the first SGR sequence that sets a colour.
func colourSequence(out string) string {
	for i := 0; i < len(out); i++ {
		if out[i] != '\x1b' || i+1 >= len(out) || out[i+1] != '[' {
			continue
		}
		j := i + 2
		for j < len(out) && (out[j] >= '0' && out[j] <= '9' || out[j] == ';' || out[j] == ':') {
			j++
		}
		if j >= len(out) || out[j] != 'm' {
			continue
		}
		for _, p := range strings.FieldsFunc(out[i+2:j], func(r rune) bool { return r == ';' || r == ':' }) {
			if n := p; len(n) == 2 && (n[0] == '3' || n[0] == '4' || n[0] == '9') && n[1] != '9' ||
				len(n) == 3 && n[:2] == "10" || n == "38" || n == "48" {
				return out[i : j+1]
			}
		}
	}
	return ""
}
