package wizard

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/link"
)

// truncateLines cuts each line of s to width cells.
func truncateLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, width, "…")
	}
	return strings.Join(lines, "\n")
}

// wrap word-wraps s to width cells, keeping styles intact. Hyphens are
// not places to break: a command (lattice-link), a flag (--region) or an
// address would be cut in two.
func wrap(s string, width int) string {
	s = strings.ReplaceAll(s, "-", nbHyphen)
	return strings.ReplaceAll(ansi.Wrap(s, max(width, 10), ""), nbHyphen, "-")
}

const nbHyphen = "\u2011"

// asciiSymbols replaces every symbol the wizard draws with ASCII, for
// terminals and locales that cannot show them. The masked input's dots
// become asterisks here too.
var asciiSymbols = strings.NewReplacer(
	"›", ">", "·", "-", "•", "*", "…", "...", "─", "-", "│", "|", "●", "=", "○", "-",
	"✓", "+", "↓", "down", "↑", "up", "→", "->", "←", "<-", "×", "x", "–", "-",
)

func toASCII(s string) string { return asciiSymbols.Replace(s) }

func toASCIIIf(ascii bool, s string) string {
	if ascii {
		return toASCII(s)
	}
	return s
}

// labelWidth is the width of the label column in key/value rows.
const labelWidth = 12

// row is a "Label  value" line; a long value wraps under itself, not under
// the label.
func row(st Styles, label, value string, width int) string {
	return lipgloss.JoinHorizontal(lipgloss.Top, st.Label.Width(labelWidth).Render(label),
		lipgloss.NewStyle().Width(max(width-labelWidth, 10)).Render(value))
}

// indent puts n spaces before every line of s.
func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// ASCII replaces the symbols the wizard draws with ASCII.
func ASCII(s string) string { return toASCII(s) }

// factRows lays out what link says about a key: labelled rows, a warning
// in its colour, a line without a label across the width.
func factRows(st Styles, facts []link.Fact, width int) string {
	var b strings.Builder
	for _, f := range facts {
		value := f.Value
		if f.Warn {
			value = st.Warn.Render(value)
		}
		if f.Label == "" {
			b.WriteString(wrap(value, width) + "\n")
			continue
		}
		b.WriteString(row(st, f.Label, value, width) + "\n")
	}
	return b.String()
}
