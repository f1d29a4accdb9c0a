package wizard

import (
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
	ascii    bool // glamour's ASCII style, for terminals without Unicode
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
	style := "dark"
	switch {
	case c.ascii:
		style = "ascii"
	case !dark:
		style = "light"
	}
	s := steps.Render(id, width, style)
	c.rendered[k] = s
	return s
}
