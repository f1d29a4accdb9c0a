package cmd

import (
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"
)

// helpWidth is the width help is laid out to: the terminal's, or 0 (no
// wrapping) when out is no terminal.
func helpWidth(out io.Writer) int {
	f, ok := out.(*os.File)
	if !ok {
		return 0
	}
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return w
}

// helpRow is a help row's name column: "    connect [--flags]     ".
var helpRow = regexp.MustCompile(`^\s+\S+(?: \S+)*\s{2,}`)

// hangWrap wraps a help line wider than width at spaces, never inside a
// word or at a flag's hyphens: fang wraps its paragraphs to the terminal
// but not its command and flag rows, which the terminal would otherwise
// break mid-word. A row's description goes on under its column, or, where
// that leaves too little room, on lines of its own under the name.
func hangWrap(line string, width int) string {
	if width <= 0 || ansi.StringWidth(line) <= width {
		return line
	}
	const nb = "\u2011" // a hyphen Wordwrap does not break at
	line = strings.ReplaceAll(line, "-", nb)
	plain := ansi.Strip(line)
	indent := len(plain) - len(strings.TrimLeft(plain, " "))
	var lines []string
	hang := indent
	if m := helpRow.FindString(plain); m != "" && ansi.StringWidth(m) > width-20 {
		// The name alone, the description under it.
		name := ansi.Truncate(line, ansi.StringWidth(strings.TrimRight(m, " ")), "")
		lines = append(lines, name)
		hang = indent + 4
		line = strings.Repeat(" ", hang) + strings.TrimLeft(ansi.TruncateLeft(line, ansi.StringWidth(m), ""), " ")
	} else if m != "" {
		hang = ansi.StringWidth(m)
	}
	wrapped := strings.Split(ansi.Wordwrap(line, width, ""), "\n")
	lines = append(lines, wrapped[0])
	if rest := strings.TrimLeft(strings.Join(wrapped[1:], " "), " "); rest != "" {
		for _, l := range strings.Split(ansi.Wordwrap(rest, max(width-hang, 20), ""), "\n") {
			lines = append(lines, strings.Repeat(" ", hang)+strings.TrimLeft(l, " "))
		}
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.ReplaceAll(l, nb, "-"), " ")
	}
	return strings.Join(lines, "\n")
}
