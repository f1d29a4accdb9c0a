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
}

// newMarkdownCache makes an empty cache. ASCII terminals get the same
// rendering: the frame's symbols are replaced as a whole (see toASCII),
// while glamour's own "ascii" style would show the markdown's marks.
func newMarkdownCache() *markdownCache {
	return &markdownCache{rendered: map[markdownKey]string{}}
}

func (c *markdownCache) get(id steps.ID, width int, dark bool) string {
	width = min(width, maxTextWidth)
	k := markdownKey{id, width, dark}
	if s, ok := c.rendered[k]; ok {
		return s
	}
	style := "dark"
	if !dark {
		style = "light"
	}
	s := steps.Render(id, width, style)
	c.rendered[k] = s
	return s
}
