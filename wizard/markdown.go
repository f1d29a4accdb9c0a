package wizard

import (
	"strings"

	"charm.land/glamour/v2"

	"github.com/lattice-link/lattice-link/steps"
)

// maxTextWidth keeps lines readable on very wide terminals.
const maxTextWidth = 100

type markdownKey struct {
	step  steps.ID
	width int
	dark  bool
}

// markdownCache renders each step's markdown once per width and theme:
// glamour is the one heavy thing the wizard does, so a keystroke never
// triggers it.
type markdownCache struct {
	rendered map[markdownKey]string
	// ascii makes the rendering safe for terminals without Unicode.
	ascii bool
}

func newMarkdownCache(ascii bool) *markdownCache {
	return &markdownCache{rendered: map[markdownKey]string{}, ascii: ascii}
}

func (c *markdownCache) get(id steps.ID, width int, dark bool) string {
	width = min(width, maxTextWidth)
	k := markdownKey{id, width, dark}
	if s, ok := c.rendered[k]; ok {
		return s
	}
	s := renderMarkdown(steps.Get(id).Markdown, width, dark, c.ascii)
	c.rendered[k] = s
	return s
}

func renderMarkdown(md string, width int, dark, ascii bool) string {
	style := "dark"
	switch {
	case ascii:
		style = "ascii"
	case !dark:
		style = "light"
	}
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(max(width-4, 20)))
	if err == nil {
		var out string
		if out, err = r.Render(md); err == nil {
			return strings.Trim(out, "\n")
		}
	}
	return md // unreachable with the embedded files, and still readable
}
