package e2e

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"

	"github.com/lattice-link/lattice-link/lattice/latticetest"
)

// waitTimeout is how long waitFor waits for text to be drawn.
const waitTimeout = 10 * time.Second

// terminal runs the binary in a pseudo-terminal, as a user would, and draws
// everything it writes on an emulated terminal of the same size: waitFor looks
// at that screen, what a user would see, never at the byte stream, in which a
// line the renderer redraws in pieces never appears whole. The bytes are kept
// for the checks that are about bytes (no secret, the terminal restored, no
// colour, no escapes).
type terminal struct {
	t   testing.TB
	cmd *exec.Cmd
	tty *os.File

	mu    sync.Mutex
	raw   bytes.Buffer  // every byte the program wrote
	emu   *vt.Emulator  // the same bytes, drawn
	mark  int           // on the main screen, the line typed on last: waits look from there on
	want  string        // what waitFor is waiting for, if anything
	found chan struct{} // closed, and set to nil, when want is on the screen

	done chan struct{} // closed when the program's side of the terminal is closed
}

func (e *sandbox) terminal(cols, rows int, args ...string) *terminal {
	e.t.Helper()
	return e.terminalOf(binary, cols, rows, args...)
}

// terminalOf runs another program in a pseudo-terminal.
func (e *sandbox) terminalOf(bin string, cols, rows int, args ...string) *terminal {
	e.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append([]string(nil), e.vars...), "TERM=xterm-256color")
	cmd.Dir = e.config
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		e.t.Fatal(err)
	}
	emu := vt.NewEmulator(cols, rows)
	// Keep every line plain mode scrolls off the top, so that line numbers
	// (mark) never shift.
	emu.SetScrollbackSize(1 << 20)
	term := &terminal{t: e.t, cmd: cmd, tty: f, emu: emu, done: make(chan struct{})}

	// The emulator answers the program's queries (Bubble Tea asks for the
	// background colour, for modes, …) on a pipe that blocks until read. The
	// answers are read and dropped, deliberately: the program must not depend on
	// them (many terminals never answer), and sending them to the program would
	// mix them with what the test types. This is what the tests saw before the
	// emulator, when nothing answered.
	go func() { _, _ = io.Copy(io.Discard, emu) }()

	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.mu.Lock()
			term.raw.Write(buf[:n])
			_, _ = term.emu.Write(buf[:n])
			// Look after every write, so that text that is on the screen only
			// for a moment is not missed however late the test goroutine runs.
			if term.found != nil && term.showsLocked(term.want) {
				close(term.found)
				term.found = nil
			}
			term.mu.Unlock()
			if err != nil {
				close(term.done)
				return
			}
		}
	}()
	e.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		f.Close()
		// Ends the goroutine dropping the answers. (Not emu.Close, which would
		// race with it.)
		if c, ok := emu.InputPipe().(io.Closer); ok {
			_ = c.Close()
		}
	})
	return term
}

// output returns every byte the program wrote.
func (t *terminal) output() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.raw.String()
}

// waitFor waits until text is on the screen, styles aside. On the alternate
// screen (the wizard) that is the screen as it is now. On the main screen
// (plain mode, which writes line after line and scrolls) it is every line from
// the one the cursor was on when the test last typed: text that scrolled off the
// top still counts, text printed before the last answer does not.
func (t *terminal) waitFor(text string) {
	t.t.Helper()
	t.mu.Lock()
	if t.showsLocked(text) {
		t.mu.Unlock()
		return
	}
	found := make(chan struct{})
	t.want, t.found = text, found
	t.mu.Unlock()

	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	why := "not within " + waitTimeout.String()
	select {
	case <-found:
		return
	case <-t.done:
		why = "the program ended"
	case <-timer.C:
	}
	t.mu.Lock()
	seen := t.found == nil // found was closed after all
	t.want, t.found = "", nil
	screen := t.dumpLocked()
	t.mu.Unlock()
	if !seen {
		t.t.Fatalf("%q never appeared (%s); the screen has:\n%s", text, why, screen)
	}
}

// typeText types s: one write, as fast as a paste. Nothing waits here: a test
// that needs the program to have got somewhere says so with waitFor, and
// whatever order the program reads the bytes in, and in how many pieces,
// waitFor only returns once the screen shows the result.
func (t *terminal) typeText(s string) {
	t.t.Helper()
	t.mu.Lock()
	if !t.emu.IsAltScreen() {
		t.mark = t.emu.ScrollbackLen() + t.emu.CursorPosition().Y
	}
	t.mu.Unlock()
	if _, err := t.tty.Write([]byte(s)); err != nil {
		t.t.Fatal(err)
	}
}

// typeHidden types s at a prompt that reads without echo, once the program has
// turned the terminal's echo off: typed earlier, the terminal would echo it.
// (Where the echo flag cannot be read, it types at once.)
func (t *terminal) typeHidden(s string) {
	t.t.Helper()
	if ttyEchoes != nil {
		deadline := time.Now().Add(waitTimeout)
		for {
			echo, err := ttyEchoes(t.tty)
			if err != nil {
				t.t.Fatal(err)
			}
			if !echo {
				break
			}
			if time.Now().After(deadline) {
				t.t.Fatalf("the terminal still echoes after %s; the screen has:\n%s", waitTimeout, t.screen())
			}
			// A state to poll, not a delay: there is no event for a change of
			// terminal mode.
			select {
			case <-t.done:
				t.t.Fatalf("the program ended with the terminal echoing; the screen has:\n%s", t.screen())
			case <-time.After(time.Millisecond):
			}
		}
	}
	t.typeText(s)
}

// ttyEchoes reports whether the terminal behind a pty master echoes input,
// where that can be told (see tty_linux_test.go).
var ttyEchoes func(master *os.File) (bool, error)

// screen returns what the screen shows, for messages.
func (t *terminal) screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dumpLocked()
}

// showsLocked reports whether text is on the screen (see waitFor).
func (t *terminal) showsLocked(text string) bool {
	for _, l := range t.linesLocked(t.mark) {
		if strings.Contains(l, text) {
			return true
		}
	}
	return false
}

// linesLocked returns the text on the screen, one string per line with the
// cells' styles dropped: on the alternate screen its rows; on the main screen
// the rows from row from on, counting the lines in the scrollback first. There
// a row whose last column is filled is joined with the next, since that is
// where the terminal wrapped a long line.
func (t *terminal) linesLocked(from int) []string {
	e := t.emu
	w := e.Width()
	row := func(y int) (string, bool) {
		return rowText(w, func(x int) (string, int) {
			if c := e.CellAt(x, y); c != nil {
				return c.Content, c.Width
			}
			return "", 0
		})
	}
	if e.IsAltScreen() {
		lines := make([]string, e.Height())
		for y := range lines {
			lines[y], _ = row(y)
		}
		return lines
	}
	var lines []string
	joining := false
	add := func(s string, full bool) {
		if joining {
			lines[len(lines)-1] += s
		} else {
			lines = append(lines, s)
		}
		joining = full
	}
	sb := e.ScrollbackLen()
	for y := max(from, 0); y < sb; y++ {
		add(rowText(w, func(x int) (string, int) {
			if c := e.ScrollbackCellAt(x, y); c != nil {
				return c.Content, c.Width
			}
			return "", 0
		}))
	}
	for y := max(from-sb, 0); y < e.Height(); y++ {
		add(row(y))
	}
	return lines
}

// rowText returns a row's text, w columns wide, and whether its last column
// is filled.
func rowText(w int, cell func(x int) (content string, width int)) (string, bool) {
	var b strings.Builder
	end := 0 // the column after the last character that is not a space
	for x := 0; x < w; {
		content, width := cell(x)
		if content == "" {
			content, width = " ", 1
		}
		b.WriteString(content)
		x += max(width, 1)
		if content != " " {
			end = x
		}
	}
	return b.String(), end >= w
}

// dumpLocked draws the screen for a failure message: the scrollback, if any,
// then the screen's rows, trailing blanks trimmed.
func (t *terminal) dumpLocked() string {
	e := t.emu
	var b strings.Builder
	kind := "main screen"
	if e.IsAltScreen() {
		kind = "alternate screen"
	}
	pos := e.CursorPosition()
	fmt.Fprintf(&b, "┌─ %d×%d, %s, cursor at row %d column %d", e.Width(), e.Height(), kind, pos.Y+1, pos.X+1)
	if !e.IsAltScreen() && e.ScrollbackLen() > 0 {
		fmt.Fprintf(&b, "; %d lines scrolled off the top:\n", e.ScrollbackLen())
		for y := range e.ScrollbackLen() {
			s, _ := rowText(e.Width(), func(x int) (string, int) {
				if c := e.ScrollbackCellAt(x, y); c != nil {
					return c.Content, c.Width
				}
				return "", 0
			})
			fmt.Fprintf(&b, "│%s\n", strings.TrimRight(s, " "))
		}
		b.WriteString("├─ the screen")
	}
	b.WriteString(":\n")
	rows := make([]string, e.Height())
	for y := range rows {
		s, _ := rowText(e.Width(), func(x int) (string, int) {
			if c := e.CellAt(x, y); c != nil {
				return c.Content, c.Width
			}
			return "", 0
		})
		rows[y] = strings.TrimRight(s, " ")
	}
	for len(rows) > 0 && rows[len(rows)-1] == "" {
		rows = rows[:len(rows)-1]
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "│%s\n", r)
	}
	b.WriteString("└─")
	return b.String()
}

// exit waits for the program to end and returns its exit code.
func (t *terminal) exit() int {
	t.t.Helper()
	select {
	case <-t.done:
	case <-time.After(waitTimeout):
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
	term.waitFor("The old key ••••7f3c still works")
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
	step("Did you send it to request-api-access@lattice.com?", "1")
	step("Noted. The next run asks whether Lattice has approved it.", "5")
	term.waitFor("Step three of five: Generate the key")
	step("Lattice address", "https://initech.latticehq.com/admin")
	step("https://initech.latticehq.com/admin/settings/api-keys", "")
	term.waitFor("Step four of five: SCIM")
	step("Check SCIM too when you connect?", "1")
	term.waitFor("Paste the key (it will not be shown)")
	term.typeHidden(latticetest.KeyRevoked + "\r")
	term.waitFor("Lattice rejected this key (401)")
	step("Try another key?", "1")
	term.waitFor("Paste the key (it will not be shown)")
	term.typeHidden(latticetest.KeyAdmin + "\r")
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

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skip(err)
	}
	return p
}

// shows reports whether text is on the screen now (see waitFor).
func (t *terminal) shows(text string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.showsLocked(text)
}
