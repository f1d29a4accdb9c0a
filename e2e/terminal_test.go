package e2e

// The pseudo-terminal harness: the binary (or any program) run in a pty and
// drawn on an emulated screen, which the tests wait on and read.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// waitTimeout is how long a wait waits for the screen to show what it waits for.
const waitTimeout = 10 * time.Second

// terminal runs the binary in a pseudo-terminal, as a user would, and draws
// everything it writes on an emulated terminal of the same size: the waits look
// at that screen, what a user would see, never at the byte stream, in which a
// line the renderer redraws in pieces never appears whole. The bytes are kept
// for the checks that are about bytes (no secret in any of them, no colour, no
// escapes in plain mode).
type terminal struct {
	t   testing.TB
	cmd *exec.Cmd
	tty *os.File

	mu    sync.Mutex
	raw   bytes.Buffer    // every byte the program wrote
	emu   *vt.Emulator    // the same bytes, drawn
	mark  int             // on the main screen, the line typed on last: waits look from there on
	until func(view) bool // what waitUntil is waiting for, if anything
	met   chan struct{}   // closed, and set to nil, when until holds

	held   *os.File      // the program's side of the terminal, held open (see endOfOutput)
	exited chan struct{} // closed when the program has exited (cmd.Wait returned)
	done   chan struct{} // closed when everything the program wrote has been read
}

// endOfOutput is what the harness writes on the program's side of the
// terminal once the program has exited: it comes out after every byte the
// program wrote, so everything before it is everything the program wrote.
// Waiting for the read to fail instead (EIO, the program's side closed) lost
// the last line now and then: after a ctrl+c the master's read failed while
// the program's last bytes were still on their way, and a read 50 ms later
// returned them. A terminal emulator that keeps the other side open, as a
// shell does, never sees that.
const endOfOutput = "\x00lattice-link e2e: the program has exited\x00"

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
	f, held, err := pty.Open()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := pty.Setsize(f, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		e.t.Fatal(err)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = held, held, held
	cmd.SysProcAttr = ownSession()
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	emu := vt.NewEmulator(cols, rows)
	// Keep every line plain mode scrolls off the top, so that line numbers
	// (mark) never shift.
	emu.SetScrollbackSize(1 << 20)
	term := &terminal{t: e.t, cmd: cmd, tty: f, emu: emu, held: held, exited: make(chan struct{}), done: make(chan struct{})}

	// The emulator answers the program's queries (Bubble Tea asks for the
	// background colour, for modes, …) on a pipe that blocks until read. The
	// answers are read and dropped, deliberately: the program must not depend on
	// them (many terminals never answer), and sending them to the program would
	// mix them with what the test types. This is what the tests saw before the
	// emulator, when nothing answered.
	go func() { _, _ = io.Copy(io.Discard, emu) }()

	go func() {
		_ = cmd.Wait()
		close(term.exited)
		_, _ = held.Write([]byte(endOfOutput))
	}()
	go term.read(f)
	e.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		f.Close()
		held.Close()
		// Ends the goroutine dropping the answers. (Not emu.Close, which would
		// race with it.)
		if c, ok := emu.InputPipe().(io.Closer); ok {
			_ = c.Close()
		}
	})
	return term
}

// read draws what the program writes until endOfOutput (or a failed read),
// then closes done.
func (t *terminal) read(from io.Reader) {
	defer close(t.done)
	buf := make([]byte, 4096)
	var kept []byte // the last bytes read, while they may be the start of endOfOutput
	for {
		n, err := from.Read(buf)
		data := append(kept, buf[:n]...)
		end := bytes.Index(data, []byte(endOfOutput))
		if end >= 0 {
			data, kept = data[:end], nil
		} else {
			k := partialEnd(data)
			data, kept = data[:len(data)-k], bytes.Clone(data[len(data)-k:])
		}
		t.mu.Lock()
		t.raw.Write(data)
		_, _ = t.emu.Write(data)
		// Look after every write, so that text that is on the screen only
		// for a moment is not missed however late the test goroutine runs.
		if t.met != nil && t.until(t.viewLocked()) {
			close(t.met)
			t.met = nil
		}
		t.mu.Unlock()
		if end >= 0 || err != nil {
			return
		}
	}
}

// partialEnd is how many of p's last bytes are the start of endOfOutput.
func partialEnd(p []byte) int {
	for k := min(len(p), len(endOfOutput)-1); k > 0; k-- {
		if bytes.HasSuffix(p, []byte(endOfOutput[:k])) {
			return k
		}
	}
	return 0
}

// output returns every byte the program wrote.
func (t *terminal) output() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.raw.String()
}

// waitUntil waits until the screen meets ok, and fails the test with what
// it waited for and the whole screen if the program ends or waitTimeout
// passes first. Every wait of the pty tests is one of these. The screen is a
// view (see viewLocked): on the alternate screen (the wizard), the screen as
// it is now; on the main screen (plain mode, which writes line after line and
// scrolls), every line from the one the cursor was on when the test last
// typed, so that text that scrolled off the top still counts and text printed
// before the last answer does not. ok is asked after every write the program
// makes, so that a frame drawn only for a moment is not missed.
func (t *terminal) waitUntil(what string, ok func(view) bool) {
	t.t.Helper()
	t.mu.Lock()
	if ok(t.viewLocked()) {
		t.mu.Unlock()
		return
	}
	met := make(chan struct{})
	t.until, t.met = ok, met
	t.mu.Unlock()

	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	why := "not within " + waitTimeout.String()
	select {
	case <-met:
		return
	case <-t.done:
		why = "the program ended"
	case <-timer.C:
	}
	t.mu.Lock()
	seen := t.met == nil // met was closed after all
	t.until, t.met = nil, nil
	screen := t.dumpLocked()
	t.mu.Unlock()
	if !seen {
		t.t.Fatalf("%s never appeared (%s); the screen has:\n%s", what, why, screen)
	}
}

// waitFor waits until each of texts is on the screen, styles aside, all at
// once, each within one line (see waitUntil).
func (t *terminal) waitFor(texts ...string) {
	t.t.Helper()
	t.waitUntil(quoted(texts), every(texts, view.has))
}

// waitForWords waits until each of phrases is on the screen, all at once,
// read as one line of words: a sentence the screen wraps over lines, or
// frames in a box, reads as one (see waitUntil).
func (t *terminal) waitForWords(phrases ...string) {
	t.t.Helper()
	t.waitUntil("the words "+quoted(phrases), every(phrases, view.reads))
}

// every is the condition that each of texts is, as shows says, on the screen.
func every(texts []string, shows func(view, string) bool) func(view) bool {
	return func(v view) bool {
		for _, s := range texts {
			if !shows(v, s) {
				return false
			}
		}
		return true
	}
}

// requireNot fails the test, with the whole screen, if any of texts is on
// the screen now, as a wait would see it (see waitUntil).
func (t *terminal) requireNot(texts ...string) {
	t.t.Helper()
	t.mu.Lock()
	v, screen := t.viewLocked(), t.dumpLocked()
	t.mu.Unlock()
	for _, s := range texts {
		if v.has(s) {
			t.t.Errorf("%q is on the screen; the screen has:\n%s", s, screen)
		}
	}
}

// requireExit waits for the program to end and fails the test, with the
// whole screen, unless it exited with want.
func (t *terminal) requireExit(want int) {
	t.t.Helper()
	if code := t.exit(); code != want {
		t.t.Errorf("exit %d, want %d; the screen has:\n%s", code, want, t.screen())
	}
}

// requireRestored fails the test unless the program, once ended (see exit),
// left the terminal as it found it: the alternate screen left, the cursor
// shown.
func (t *terminal) requireRestored() {
	t.t.Helper()
	t.mu.Lock()
	alt, hidden, screen := t.emu.IsAltScreen(), t.emu.CursorHidden(), t.dumpLocked()
	t.mu.Unlock()
	if alt || hidden {
		t.t.Errorf("the terminal was not restored (on the alternate screen: %v, cursor hidden: %v); the screen has:\n%s", alt, hidden, screen)
	}
}

// everything is every line the program drew, the scrollback first: for a
// check of a whole plain-mode run, where a wait sees only what came after
// the last answer.
func (t *terminal) everything() view {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.linesLocked(0)
}

// view is the text of the screen, one string per line, styles dropped.
type view []string

// has reports whether text is within one of the lines.
func (v view) has(text string) bool { return v.count(text) > 0 }

// count is how many times text is on the screen, within lines.
func (v view) count(text string) int {
	n := 0
	for _, l := range v {
		n += strings.Count(l, text)
	}
	return n
}

// reads reports whether phrase is in the screen read as one line of words:
// the lines joined, box edges dropped, runs of spaces made one.
func (v view) reads(phrase string) bool {
	boxes := strings.NewReplacer("│", " ", "┌─", " ", "└─", " ")
	return strings.Contains(strings.Join(strings.Fields(boxes.Replace(strings.Join(v, "\n"))), " "), phrase)
}

// quoted is texts as a wait's failure names them.
func quoted(texts []string) string {
	q := make([]string, len(texts))
	for i, s := range texts {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, " and ")
}

// typeText types s: one write, as fast as a paste. Nothing waits here: a test
// that needs the program to have got somewhere says so with waitFor, and
// whatever order the program reads the bytes in, and in how many pieces,
// a wait only returns once the screen shows the result.
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

// viewLocked is the screen as waits see it (see waitUntil).
func (t *terminal) viewLocked() view { return t.linesLocked(t.mark) }

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

// exit waits for the program to end, and everything it wrote to be read,
// and returns its exit code.
func (t *terminal) exit() int {
	t.t.Helper()
	timeout := time.After(waitTimeout)
	for _, c := range []chan struct{}{t.exited, t.done} {
		select {
		case <-c:
		case <-timeout:
			t.t.Fatal("the program did not end")
		}
	}
	return t.cmd.ProcessState.ExitCode()
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skip(err)
	}
	return p
}

// chunks is a program's side of the terminal as read: one chunk a read.
type chunks []string

func (c *chunks) Read(p []byte) (int, error) {
	if len(*c) == 0 {
		return 0, io.ErrUnexpectedEOF // read on past endOfOutput
	}
	n := copy(p, (*c)[0])
	*c = (*c)[1:]
	return n, nil
}

// TestTerminalReadsUpToTheEndOfOutput: what the program wrote is drawn up
// to endOfOutput, however the reads split it, and nothing of the marker is
// drawn or kept; the reading stops there.
func TestTerminalReadsUpToTheEndOfOutput(t *testing.T) {
	half := len(endOfOutput) / 2
	in := chunks{"Stopped.\r\n\x00", "ok", "\x00" + endOfOutput[:half], endOfOutput[half:] + "after"}
	term := &terminal{t: t, emu: vt.NewEmulator(80, 24), done: make(chan struct{})}
	term.read(&in)
	if got, want := term.output(), "Stopped.\r\n\x00ok\x00"; got != want {
		t.Errorf("read %q, want %q", got, want)
	}
	if !term.everything().has("Stopped.") {
		t.Errorf("not drawn:\n%s", term.screen())
	}
	select {
	case <-term.done:
	default:
		t.Error("done is still open")
	}
}
