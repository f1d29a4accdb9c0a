// Package sanitize makes text that came from outside the program (Lattice's
// answers, remembered answers, file paths, what a user pasted) safe to show
// in a terminal: escape sequences and control characters are removed, so such
// text can never move the cursor, clear the screen, set the clipboard or
// change colours.
package sanitize

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Line cleans s for a single line: escape sequences and every control
// character go (tabs and newlines become spaces), invalid UTF-8 becomes U+FFFD,
// and the result is cut to max runes with "…" (max <= 0: no limit).
func Line(s string, max int) string {
	return clean(s, false, max)
}

// Text is Line for multi-line text: newlines are kept (CRLF and CR become
// "\n"), tabs become spaces.
func Text(s string, max int) string {
	return clean(s, true, max)
}

func clean(s string, keepNewlines bool, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	n := 0
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			if keepNewlines {
				r = '\n'
			} else {
				r = ' '
			}
		case r == '\t':
			r = ' '
		case unicode.IsControl(r),
			unicode.In(r, unicode.Cf) && r != '\u200d': // bidi overrides and other format characters
			continue
		}
		if max > 0 && n == max {
			return strings.TrimRightFunc(b.String(), unicode.IsSpace) + "…"
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
