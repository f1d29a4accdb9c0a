package wizard

import (
	"strings"
	"time"

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

// roundDuration shows a wait the way people say it: "1 s", "12 s", "2 min".
func roundDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "a moment"
	case d < 2*time.Minute:
		return itoa(int(d.Round(time.Second).Seconds())) + " s"
	default:
		return itoa(int(d.Round(time.Minute).Minutes())) + " min"
	}
}
