package steps

import (
	"strings"

	"charm.land/glamour/v2"
)

// Render is a step's text rendered by glamour for a width, in one of
// glamour's standard styles: "dark", "light", or "ascii" for terminals and
// locales without Unicode. It is the costly part of drawing a step: faces
// cache it per width and style.
func Render(id ID, width int, style string) string {
	md := Get(id).Markdown
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(max(width-4, 20)))
	if err == nil {
		var out string
		if out, err = r.Render(md); err == nil {
			return strings.Trim(out, "\n")
		}
	}
	return md // unreachable with the embedded files, and still readable
}
