package cmd

import (
	"io"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// terminalWidth is the width of the terminal w writes to, 0 when w is not
// one (a file, a pipe, a buffer). A variable so tests can stand in a
// terminal.
var terminalWidth = func(w io.Writer) int {
	if c, ok := w.(*colorprofile.Writer); ok {
		w = c.Forward
	}
	return helpWidth(w)
}

// toTerminal is w, wrapping what is written to it at spaces to the
// terminal's width when w is a terminal, which would otherwise break the
// commands' long messages mid-word. Piped or written to a file, the lines
// stay whole. Each Write is taken to start a line, as fmt.Fprintln and
// fmt.Fprintf of whole lines do.
func toTerminal(w io.Writer) io.Writer {
	if width := terminalWidth(w); width > 0 {
		return &wrappedLines{w: w, width: width}
	}
	return w
}

type wrappedLines struct {
	w     io.Writer
	width int
}

func (t *wrappedLines) Write(p []byte) (int, error) {
	lines := strings.Split(string(p), "\n")
	for i, l := range lines {
		lines[i] = wrapAtSpaces(l, t.width)
	}
	if _, err := io.WriteString(t.w, strings.Join(lines, "\n")); err != nil {
		return 0, err
	}
	return len(p), nil
}

// wrapAtSpaces wraps line to width at its spaces, never inside a word nor
// at a flag's hyphens; a word wider than width stays whole on its own line.
func wrapAtSpaces(line string, width int) string {
	if width <= 0 || ansi.StringWidth(line) <= width {
		return line
	}
	const nb = "\u2011" // a hyphen Wordwrap does not break at
	wrapped := strings.Split(ansi.Wordwrap(strings.ReplaceAll(line, "-", nb), width, ""), "\n")
	for i, l := range wrapped {
		wrapped[i] = strings.TrimRight(strings.ReplaceAll(l, nb, "-"), " ")
	}
	// A prompt's last space stays, for the answer typed after it.
	return strings.Join(wrapped, "\n") + line[len(strings.TrimRight(line, " ")):]
}
