package steps

import (
	"strings"
	"unicode"

	"charm.land/glamour/v2"
	"github.com/charmbracelet/x/ansi"
)

// Render is a step's text rendered by glamour for a width, in one of
// glamour's standard styles: "dark", "light", or "ascii" for terminals and
// locales without Unicode. It is the costly part of drawing a step: faces
// cache it per width and style.
func Render(id ID, width int, style string) string { return RenderText(Get(id).Markdown, width, style) }

// RenderText is Render for markdown given as text: a face that prepares a
// step's text for its width (see the wizard's markdown cache) renders it
// with this.
func RenderText(md string, width int, style string) string {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(max(width-4, 20)))
	if err == nil {
		var out string
		if out, err = r.Render(md); err == nil {
			return indentContinuations(strings.Trim(out, "\n"))
		}
	}
	return md // unreachable with the embedded files, and still readable
}

// indentContinuations lines up the wrapped lines of a list item under its
// text, as a reader expects; glamour starts them under the bullet.
func indentContinuations(s string) string {
	lines := strings.Split(s, "\n")
	indent, margin := "", -1
	for i, l := range lines {
		plain := ansi.Strip(l)
		text := strings.TrimLeft(plain, " ")
		switch {
		case strings.TrimSpace(plain) == "":
			indent, margin = "", -1
		case markerWidth(text) > 0:
			indent, margin = strings.Repeat(" ", markerWidth(text)), len(plain)-len(text)
		case indent != "" && len(plain)-len(text) == margin:
			lines[i] = indent + l
		}
	}
	return strings.Join(lines, "\n")
}

// markerWidth is the width of a list item's marker ("• ", "12. "), or 0.
func markerWidth(text string) int {
	if strings.HasPrefix(text, "• ") {
		return 2
	}
	digits := len(text) - len(strings.TrimLeftFunc(text, unicode.IsDigit))
	if digits > 0 && strings.HasPrefix(text[digits:], ". ") {
		return digits + 2
	}
	return 0
}
