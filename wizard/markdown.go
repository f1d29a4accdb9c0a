package wizard

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

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
	// ascii makes the rendering safe for terminals without Unicode; plain
	// drops every escape sequence, for plain mode.
	ascii, plain bool
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
	if c.plain {
		s = plainMarkdown(ansi.Strip(s))
	}
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

// plainMarkdown is rendered markdown for plain mode: no symbols a screen
// reader would read out (heading marks, emphasis, code ticks).
func plainMarkdown(s string) string {
	lines := strings.Split(toASCII(s), "\n")
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		if strings.HasPrefix(trimmed, "#") {
			l = l[:len(l)-len(trimmed)] + strings.TrimLeft(trimmed, "# ")
		}
		lines[i] = strings.NewReplacer("**", "", "`", "").Replace(l)
	}
	return strings.Join(lines, "\n")
}
