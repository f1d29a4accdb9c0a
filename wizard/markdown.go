package wizard

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/steps"
)

// maxTextWidth keeps lines readable on very wide terminals.
const maxTextWidth = 100

type markdownKey struct {
	step  steps.ID
	text  string // markdown of the wizard's own (the rotation's), when not a step's
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
	return c.render(markdownKey{step: id, width: min(width, maxTextWidth), dark: dark}, steps.Get(id).Markdown)
}

// text is get for markdown the wizard writes itself.
func (c *markdownCache) text(md string, width int, dark bool) string {
	return c.render(markdownKey{step: -1, text: md, width: min(width, maxTextWidth), dark: dark}, md)
}

func (c *markdownCache) render(k markdownKey, md string) string {
	if s, ok := c.rendered[k]; ok {
		return s
	}
	style := "dark"
	if !k.dark {
		style = "light"
	}
	width := k.width
	s := steps.RenderText(keepWhole(md, width), width, style)
	s = strings.NewReplacer(nbHyphen, "-", noLinkColon, ":").Replace(s)
	s = linkAddresses(s, md, width)
	c.rendered[k] = s
	return s
}

// addresses are the words of a step's text that must never be broken
// across lines: web addresses and email addresses.
var addresses = regexp.MustCompile(`https?://[^\s)>*]+|[\w.+-]+@[\w-]+(\.[\w-]+)+`)

// keepWhole prepares markdown for glamour at width so that no address is
// broken: glamour breaks lines at hyphens and cuts words longer than a
// line. An address's hyphens become non-breaking ones (turned back after
// rendering) and an address longer than a line of text is shortened to
// fit, ending in "…": the step's o opens it, whole. Glamour would link a
// web address only up to its first such hyphen, so its colon is one that
// glamour does not see as a link's either; linkAddresses links it whole.
func keepWhole(md string, width int) string {
	return addresses.ReplaceAllStringFunc(md, func(a string) string {
		return strings.NewReplacer("-", nbHyphen, "://", noLinkColon+"//").Replace(shownAddress(a, width))
	})
}

// noLinkColon stands for a web address's colon while glamour renders it.
const noLinkColon = "\u2236"

// shownAddress is an address as the text at width shows it: whole, or
// cut to a line of glamour's wrapping, less the document's margins.
func shownAddress(a string, width int) string {
	if line := max(width-4, 20) - 4; ansi.StringWidth(a) > line {
		return ansi.Truncate(a, line, "…")
	}
	return a
}

// linkAddresses makes each address of md, as the text s shows it, an
// underlined terminal hyperlink (OSC 8) to the whole address: a mailto:
// link for an email address. Glamour links neither (keepWhole); a
// terminal without hyperlinks shows the text alone.
func linkAddresses(s, md string, width int) string {
	var pairs []string
	seen := map[string]bool{}
	for _, a := range addresses.FindAllString(md, -1) {
		shown := shownAddress(a, width)
		if seen[shown] {
			continue
		}
		seen[shown] = true
		target := a
		if !strings.Contains(a, "://") {
			target = "mailto:" + a
		}
		pairs = append(pairs, shown, "\x1b[4m"+ansi.SetHyperlink(target)+shown+ansi.ResetHyperlink()+"\x1b[24m")
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
