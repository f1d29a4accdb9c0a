package wizard

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// truncateLines cuts each line of s to width cells.
func truncateLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, width, "…")
	}
	return strings.Join(lines, "\n")
}

// wrap word-wraps s to width cells, keeping styles intact. It breaks
// lines only at spaces: a command (lattice-link), a flag (--region), a
// path or an address cut in two reads as two things. A word too long for
// a line of its own (a long path, say) ends in "…" instead. A " · "
// between two facts stays with the fact before it: a line starting with
// "·" (or "-" on an ASCII terminal) reads as a list's item.
//
// A line indented with spaces (a header in an advice, say) keeps its
// indent on the lines it wraps onto, styled or not.
func wrap(s string, width int) string {
	width = max(width, 10)
	if !strings.Contains(s, "\n ") && !strings.HasPrefix(s, " ") && !strings.Contains(s, "\x1b[") { // the common case: no indented line
		return wrapLines(s, width)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		// A styled line (a warning's) starts with its style, then the indent.
		style, text := leadingStyle(l)
		lead := len(text) - len(strings.TrimLeft(text, " "))
		if lead == 0 || lead > width/2 {
			lines[i] = wrapLines(l, width)
			continue
		}
		lines[i] = indent(wrapLines(style+text[lead:], width-lead), lead)
	}
	return strings.Join(lines, "\n")
}

// leadingStyle splits the escape sequences (CSI, as lipgloss writes styles)
// that start l from the rest.
func leadingStyle(l string) (style, rest string) {
	rest = l
	for strings.HasPrefix(rest, "\x1b[") {
		end := 2 // the final byte of a CSI sequence is '@' to '~'
		for end < len(rest) && (rest[end] < '@' || rest[end] > '~') {
			end++
		}
		if end == len(rest) {
			break
		}
		rest = rest[end+1:]
	}
	return l[:len(l)-len(rest)], rest
}

// wrapLines is wrap without regard to indents. A menu path's " › " stays
// with the word before it too (a line starting with "›" reads as a lost
// piece of the path) when that costs no line: a small window's advice
// needs every line it has.
func wrapLines(s string, width int) string {
	s = strings.NewReplacer("-", nbHyphen, " ·", nbSpace+"·").Replace(s)
	out := ansi.Wordwrap(s, width, "")
	if strings.Contains(out, "\n›") {
		if glued := ansi.Wordwrap(strings.ReplaceAll(s, " ›", nbSpace+"›"), width, ""); strings.Count(glued, "\n") <= strings.Count(out, "\n") {
			out = strings.ReplaceAll(glued, nbSpace+"›", " ›")
		}
	}
	out = strings.NewReplacer(nbHyphen, "-", nbSpace+"·", " ·").Replace(out)
	return truncateLines(out, width)
}

// nbSpace is the no-break space that keeps a " · " on its line.
const nbSpace = "\u00a0"

// fitMessage wraps a message of paragraphs ("what happened\nwhat to do")
// into at most maxLines lines of width cells. When it does not fit, the
// last paragraph, which says what to do, keeps its lines first and the
// ones before share the lines left, one at least for each while there is
// room; whatever is cut ends in "…", so the user can tell.
func fitMessage(text string, width, maxLines int) string {
	maxLines = max(maxLines, 1)
	paras := strings.Split(text, "\n")
	wrapped := make([][]string, len(paras))
	total := 0
	for i, p := range paras {
		wrapped[i] = strings.Split(wrap(p, width), "\n")
		total += len(wrapped[i])
	}
	if total <= maxLines {
		return strings.Join(slices.Concat(wrapped...), "\n")
	}
	last := wrapped[len(wrapped)-1]
	room := maxLines - min(len(paras)-1, maxLines/2) // a line for each paragraph before, up to half
	if len(last) > room {
		last = append(last[:room-1:room-1], cut(strings.Join(last[room-1:], " "), width))
	}
	var out []string
	before := wrapped[:len(wrapped)-1]
	for i, p := range before {
		// What is left, less a line for each paragraph still to come.
		room := maxLines - len(out) - len(last) - (len(before) - 1 - i)
		switch {
		case room <= 0:
		case len(p) <= room:
			out = append(out, p...)
		default:
			out = append(append(out, p[:room-1]...), cut(strings.Join(p[room-1:], " "), width))
		}
	}
	return strings.Join(append(out, last...), "\n")
}

// cut shortens one line to width cells, ending it in "…" when it is cut.
func cut(s string, width int) string { return ansi.Truncate(s, width, "…") }

const nbHyphen = "\u2011"

// toASCII replaces every symbol the wizard draws with ASCII, for terminals
// and locales that cannot show them (the masked input's dots become
// asterisks too), with the table plain mode uses.
func toASCII(s string) string { return steps.ASCII(s) }

func toASCIIIf(ascii bool, s string) string {
	if ascii {
		return toASCII(s)
	}
	return s
}

// labelWidth is the width of the label column in key/value rows.
const labelWidth = 12

// row is a "Label  value" line; a long value wraps under itself, not under
// the label, breaking only at spaces. A value with a word too long for its
// column (a path, an address) goes under the label, across the width.
func row(st Styles, label, value string, width int) string {
	column := max(width-labelWidth, 10)
	// A word too wide for the column (a path, an id) gets the whole width
	// under the label, indented when there is room for that, unless it is
	// too wide for the width too: cut either way, it keeps the column, as
	// the other rows do.
	if w := longestWord(value); w > column && w <= width && label != "" {
		pad := min(2, width-w)
		return st.Label.Render(label) + "\n" + indent(wrap(value, width-pad), pad)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, st.Label.Width(labelWidth).Render(label), wrap(value, column))
}

// longestWord is the width of the widest run of s without a space.
func longestWord(s string) int {
	widest := 0
	for _, w := range strings.Fields(ansi.Strip(s)) {
		widest = max(widest, ansi.StringWidth(w))
	}
	return widest
}

// sentence is an error's words (Go's: lower case, no full stop) as the
// wizard's other messages read: a capital first and a full stop last.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// indent puts n spaces before every line of s.
func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// factRows lays out what link says about a key: labelled rows, a warning
// in its colour, a fact without a label in the value column.
func factRows(st Styles, facts []link.Fact, width int) string {
	var b strings.Builder
	for _, f := range facts {
		value := f.Value
		if f.Warn {
			value = st.Warn.Render(value)
		}
		// A fact without a label (a note about the row above) keeps to
		// the value column, so the table still reads as one.
		b.WriteString(row(st, f.Label, value, width) + "\n")
	}
	return b.String()
}

// fitInput gives the input being typed in the width it is drawn at, so that
// it scrolls to keep the cursor, and the end of what is typed, in sight:
// textinput scrolls only within a width it was given, and only as it is
// typed in, so a new width moves the cursor away and back to scroll again.
func fitInput(in *textinput.Model, width int) {
	if in.Width() == width {
		return
	}
	in.SetWidth(width)
	pos := in.Position()
	in.SetCursor(0)
	in.SetCursor(pos)
}
