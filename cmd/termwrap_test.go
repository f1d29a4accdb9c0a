package cmd

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// asTerminal makes the commands take every writer for a terminal width
// columns wide, for the length of the test.
func asTerminal(t *testing.T, width int) {
	t.Helper()
	was := terminalWidth
	terminalWidth = func(io.Writer) int { return width }
	t.Cleanup(func() { terminalWidth = was })
}

// fitsAtSpaces fails unless every line of got is at most width wide and
// the words of got are those of want: broken at spaces only, never inside
// a word or a flag.
func fitsAtSpaces(t *testing.T, what, got, want string, width int) {
	t.Helper()
	for _, l := range strings.Split(ansi.Strip(got), "\n") {
		if ansi.StringWidth(l) > width {
			t.Errorf("%s: a line wider than %d: %q\n%s", what, width, l, got)
		}
	}
	if g, w := strings.Fields(ansi.Strip(got)), strings.Fields(want); strings.Join(g, " ") != strings.Join(w, " ") {
		t.Errorf("%s: the words changed:\n%s\nwant the words of:\n%s", what, got, want)
	}
}

// On a terminal a long message wraps at spaces (walk 3 G6); piped, its
// lines stay whole.
func TestLongMessagesWrapAtSpacesOnATerminal(t *testing.T) {
	msg := "token prints the key in full, and its output here is the terminal: the key would stay on screen " +
		"and in the scrollback.\nPipe it into the program that needs it (lattice-link token | program), " +
		"or see lattice-link token --help"
	var b bytes.Buffer
	printError(&b, errors.New(msg))
	if got := strings.TrimPrefix(b.String(), "Error: "); got != msg+"\n" {
		t.Errorf("piped, the message changed:\n%q", b.String())
	}

	asTerminal(t, 40)
	b.Reset()
	printError(&b, errors.New(msg))
	fitsAtSpaces(t, "printError", b.String(), "Error: "+msg, 40)
	if !strings.Contains(b.String(), "--help") {
		t.Errorf("the flag was broken:\n%s", b.String())
	}

	_, _, stderr := run(t, "email", "--company", "Acme")
	if !strings.Contains(stderr, "(see --help") {
		t.Fatalf("email: %q", stderr)
	}
	for _, l := range strings.Split(stderr, "\n") {
		if ansi.StringWidth(l) > 40 {
			t.Errorf("email: a line wider than 40: %q", l)
		}
	}
}

// A prompt wrapped on a narrow terminal keeps the space the answer is
// typed after.
func TestAWrappedPromptKeepsItsLastSpace(t *testing.T) {
	if got := wrapAtSpaces("Paste your Lattice API key (it will not be shown), then press enter: ", 30); !strings.HasSuffix(got, "enter: ") {
		t.Errorf("%q", got)
	}
}
