package wizard

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// truncateLines cuts each line of s to width cells.
func truncateLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, width, "…")
	}
	return strings.Join(lines, "\n")
}

// wrap word-wraps s to width cells, keeping styles intact.
func wrap(s string, width int) string {
	return ansi.Wrap(s, max(width, 10), "")
}
