package e2e

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

func TestWizardInATerminalConnectsAKey(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(80, 24, "connect")
	term.waitFor("Step 5 of 5 · Connect")
	term.typeText(latticedemo.KeyAdmin)
	term.waitFor("received 25 characters, ending …7f3c")
	term.typeText("\r")
	term.waitFor("Connected to Lattice")
	term.waitFor("Grace Hopper <grace@example.com>")
	term.typeText("q")
	term.requireExit(0)
	requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
	term.requireRestored()
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("stored %q", r.Stdout)
	}
}

func TestWizardHomeScreenRotates(t *testing.T) {
	e := newSandbox(t)
	e.connectKey(latticedemo.KeyAdmin)
	term := e.terminal(80, 24)
	rotateInTheWizard(term, "••••7f3c", latticedemo.KeyRotated)
	term.typeText("v")
	term.waitFor("The old key ••••7f3c still works")
	e.srv.Revoke(latticedemo.KeyAdmin)
	term.typeText("v")
	term.waitFor("Lattice now rejects the old key")
	term.typeText("q")
	term.requireExit(0)
	requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
	requireNoSecret(t, term.output(), latticedemo.KeyRotated)
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyRotated+"\n" {
		t.Errorf("stored %q", r.Stdout)
	}
}

func TestCtrlCLeavesTheTerminalAsItWas(t *testing.T) {
	e := newSandbox(t)
	term := e.terminal(80, 24)
	term.waitFor("Step 1 of 5")
	term.typeText("\x03")
	term.requireExit(130)
	term.requireRestored()
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
	step("Did you send it to request-api-access@lattice.com?", "1")
	step("Noted. The next run asks whether Lattice has approved it.", "4") // "I have sent it" is no longer offered
	term.waitFor("Step three of five: Generate the key")
	step("Lattice address", "https://initech.latticehq.com/admin")
	step("https://initech.latticehq.com/admin/settings/api-keys", "")
	term.waitFor("Step four of five: SCIM")
	step("Check SCIM too when you connect?", "1")
	term.pasteKey(latticedemo.KeyRevoked)
	term.waitFor("Lattice rejected this key (401)")
	term.waitFor("Paste a key (it will not be shown), or press enter to stop:")
	term.typeHidden(latticedemo.KeyAdmin + "\r")
	term.waitFor("Connected to Lattice.")
	term.waitFor("SCIM       enabled")
	term.requireExit(0)
	out := term.output()
	requireNoSecret(t, out, latticedemo.KeyAdmin)
	requireNoSecret(t, out, latticedemo.KeyRevoked)
	if strings.ContainsRune(out, '\x1b') {
		i := strings.IndexRune(out, '\x1b')
		t.Errorf("plain mode wrote an escape sequence: %q", out[max(0, i-20):min(len(out), i+20)])
	}
	run := strings.Join(term.everything(), "\n")
	if m := regexp.MustCompile(`(^|\s)(\*\*[A-Za-z]|# [A-Z])`).FindString(run); m != "" {
		t.Errorf("plain mode shows markdown: %q", m)
	}
	if r := e.run("", "token"); r.Stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("stored %q", r.Stdout)
	}
	if r := e.run("", "email"); !strings.Contains(r.Stdout, "Export TPS reports") {
		t.Errorf("answers not remembered:\n%s", r.Stdout)
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

// The helper itself, with sh as a stand-in program.

// TestTerminalWaitsForTheScreenNotTheBytes: a program that, like Bubble Tea's
// renderer, redraws only the cells that change, so that the line waited for
// never appears whole in the bytes; and a key that arrives in two pieces.
func TestTerminalWaitsForTheScreenNotTheBytes(t *testing.T) {
	sh := lookPath(t, "sh")
	e := newSandbox(t)
	const key = `dd bs=1 count=1 >/dev/null 2>&1` // one byte, however many are waiting
	term := e.terminalOf(sh, 80, 24, "-c", `stty raw -echo
printf '\033[?1049h\033[H\033[2Jreceived 10 characters, ending …abcd'
`+key+`
printf '\033[1;10H2'
`+key+`
printf '5\033[1;33H7f3c'
`+key+`
printf '\033[?1049l'`)
	term.waitFor("received 10 characters, ending …abcd")
	term.typeText("x")
	term.typeText("y")
	term.waitFor("received 25 characters, ending …7f3c")
	term.typeText("q")
	term.requireExit(0)
	if strings.Contains(ansi.Strip(term.output()), "received 25") {
		t.Error("the line is whole in the bytes: this test no longer shows that waitFor reads the screen")
	}
}

// TestTerminalKeepsWhatPlainModeScrolledOff: on the main screen, lines that
// scrolled off the top and lines the terminal wrapped count; lines printed
// before the last answer do not.
func TestTerminalKeepsWhatPlainModeScrolledOff(t *testing.T) {
	sh := lookPath(t, "sh")
	e := newSandbox(t)
	term := e.terminalOf(sh, 80, 24, "-c", `i=1
while [ $i -le 40 ]; do printf 'line %02d of 40\n' $i; i=$((i+1)); done
printf '%075dwrapped phrase\n' 0
printf 'Again? '
read a
printf 'Again? '
read a`)
	term.waitFor("line 01 of 40", "wrapped phrase", "Again? ")
	term.typeText("y\r")
	// A wait after an answer is not met by what was printed before it.
	term.requireNot("line 01 of 40", "wrapped phrase")
	term.waitFor("Again? ")
	term.typeText("n\r")
	term.requireExit(0)
}

// TestTerminalFailsWithTheScreenAndWhatItAwaited: each check fails the test
// when it should, naming what it waited for or found, with the whole screen;
// and waitForWords reads a sentence wrapped in a box as one.
func TestTerminalFailsWithTheScreenAndWhatItAwaited(t *testing.T) {
	sh := lookPath(t, "sh")
	rec := &recorder{TB: t}
	term := newSandbox(t).in(rec).terminalOf(sh, 40, 10, "-c", `printf '\033[?1049h\033[?25l\033[H'
printf '│ Press a to send the │\r\n│ key to example.com  │\r\n'
exit 3`)
	rec.do(func() { term.waitForWords("Press a to send the key to example.com") })
	rec.do(func() { term.waitFor("goodbye", "example.com") })
	rec.do(func() { term.requireExit(0) })
	rec.do(term.requireRestored)
	rec.do(func() { term.requireNot("key to example") })
	want := [][]string{
		{`"goodbye" and "example.com" never appeared (the program ended)`, "│ key to example.com"},
		{"exit 3, want 0", "│ key to example.com"},
		{"the terminal was not restored (on the alternate screen: true, cursor hidden: true)", "│ key to example.com"},
		{`"key to example" is on the screen`, "│ key to example.com"},
	}
	if len(rec.failures) != len(want) {
		t.Fatalf("%d failures, want %d:\n%s", len(rec.failures), len(want), strings.Join(rec.failures, "\n"))
	}
	for i, f := range rec.failures {
		for _, w := range want[i] {
			if !strings.Contains(f, w) {
				t.Errorf("failure %d does not say %q:\n%s", i+1, w, f)
			}
		}
	}
}

// recorder is a test that keeps its failures instead of failing: for the
// tests of the checks themselves.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// do runs check to its end, or to its Fatalf.
func (r *recorder) do(check func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		check()
	}()
	<-done
}

// The steps several pty tests take on the way to what they check.

// connectInTheWizard connects key at the wizard's Connect step, which term
// opens at (connect).
func connectInTheWizard(term *terminal, key string) {
	term.t.Helper()
	term.waitFor("Step 5 of 5 · Connect")
	term.typeText(key + "\r")
	term.waitFor("Connected to Lattice")
}

// rotateInTheWizard rotates the stored key, whose fingerprint is old, to
// key from the home screen that term opens at.
func rotateInTheWizard(term *terminal, old, key string) {
	term.t.Helper()
	term.waitFor("Lattice is linked on this machine", "valid: Lattice accepted it at")
	term.typeText("r")
	term.waitFor("Rotate · replace " + old)
	term.typeText(key + "\r")
	term.waitFor("Rotated: the new key is stored")
}

// rotateInPlainMode pastes key at the key prompt of plain mode's Connect,
// with a key stored, up to the question that follows the rotation.
func rotateInPlainMode(term *terminal, key string) {
	term.t.Helper()
	term.pasteKey(key)
	term.waitFor("Check that Lattice rejects the old key?")
}

// handOverFromHome hands the stored key to the app of the Connect link the
// home screen that term shows was opened with: h asks, h again hands over.
func handOverFromHome(term *terminal) {
	term.t.Helper()
	term.typeText("h")
	term.waitFor("Press h again")
	term.typeText("h")
	term.waitFor("Handed to the app through Nango")
}

// pasteKey answers plain mode's key prompt with key, once the prompt is
// shown and the terminal's echo is off.
func (t *terminal) pasteKey(key string) {
	t.t.Helper()
	t.waitFor("Paste the key (it will not be shown)")
	t.typeHidden(key + "\r")
}
