package e2e

import (
	"regexp"
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
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	out := term.output()
	requireNoSecret(t, out, latticedemo.KeyAdmin)
	// The terminal is left as it was: alternate screen left, cursor shown.
	if !strings.Contains(out, "\x1b[?1049l") || !strings.Contains(out, "\x1b[?25h") {
		t.Error("the terminal was not restored")
	}
	if r := e.run("", "token"); r.stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("stored %q", r.stdout)
	}
}

func TestWizardHomeScreenRotates(t *testing.T) {
	e := newSandbox(t)
	e.run(latticedemo.KeyAdmin, "connect", "--key-stdin")
	term := e.terminal(80, 24)
	term.waitFor("Lattice is linked on this machine")
	term.waitFor("valid: Lattice accepted it at")
	term.typeText("r")
	term.waitFor("Rotate · replace ••••7f3c")
	term.typeText(latticedemo.KeyRotated + "\r")
	term.waitFor("Rotated: the new key is stored")
	term.typeText("v")
	term.waitFor("The old key ••••7f3c still works")
	e.srv.Revoke(latticedemo.KeyAdmin)
	term.typeText("v")
	term.waitFor("Lattice now rejects the old key")
	term.typeText("q")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	requireNoSecret(t, term.output(), latticedemo.KeyAdmin)
	requireNoSecret(t, term.output(), latticedemo.KeyRotated)
	if r := e.run("", "token"); r.stdout != latticedemo.KeyRotated+"\n" {
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
	step("Did you send it to request-api-access@lattice.com?", "1")
	step("Noted. The next run asks whether Lattice has approved it.", "4") // "I have sent it" is no longer offered
	term.waitFor("Step three of five: Generate the key")
	step("Lattice address", "https://initech.latticehq.com/admin")
	step("https://initech.latticehq.com/admin/settings/api-keys", "")
	term.waitFor("Step four of five: SCIM")
	step("Check SCIM too when you connect?", "1")
	term.waitFor("Paste the key (it will not be shown)")
	term.typeHidden(latticedemo.KeyRevoked + "\r")
	term.waitFor("Lattice rejected this key (401)")
	step("Try another key?", "1")
	term.waitFor("Paste the key (it will not be shown)")
	term.typeHidden(latticedemo.KeyAdmin + "\r")
	term.waitFor("Connected to Lattice.")
	term.waitFor("SCIM       enabled")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	out := term.output()
	requireNoSecret(t, out, latticedemo.KeyAdmin)
	requireNoSecret(t, out, latticedemo.KeyRevoked)
	if strings.ContainsRune(out, '\x1b') {
		i := strings.IndexRune(out, '\x1b')
		t.Errorf("plain mode wrote an escape sequence: %q", out[max(0, i-20):min(len(out), i+20)])
	}
	if m := regexp.MustCompile(`(^|\s)(\*\*[A-Za-z]|# [A-Z])`).FindString(out); m != "" {
		t.Errorf("plain mode shows markdown: %q", m)
	}
	if r := e.run("", "token"); r.stdout != latticedemo.KeyAdmin+"\n" {
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
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
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
	term.waitFor("line 01 of 40")
	term.waitFor("wrapped phrase")
	term.waitFor("Again? ")
	term.typeText("y\r")
	if term.shows("line 01 of 40") || term.shows("wrapped phrase") {
		t.Error("a wait after an answer can be met by what was printed before it")
	}
	term.waitFor("Again? ")
	term.typeText("n\r")
	if code := term.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
}
