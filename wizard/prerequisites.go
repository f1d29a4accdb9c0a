package wizard

import (
	"strconv"
	"time"

	"charm.land/lipgloss/v2"
)

// prerequisitesScreen asks whether the company already has API access:
// yes skips to Generate the key, not yet goes to Request API access.
type prerequisitesScreen struct {
	// requestedAt is when the access email went out, if it did; the
	// question then becomes whether Lattice has approved it.
	requestedAt time.Time
}

func (s prerequisitesScreen) view(st Styles, width int) string {
	q := "Is API access already approved for your company?"
	if !s.requestedAt.IsZero() {
		q = "Has Lattice approved your API access request? You asked " + ago(s.requestedAt) + "."
	}
	yes := st.Choice.Render("y  Yes, approved")
	no := st.Chosen.Render("n  Not yet")
	choices := lipgloss.JoinHorizontal(lipgloss.Top, yes, "  ", no)
	if lipgloss.Width(choices) > width {
		choices = lipgloss.JoinVertical(lipgloss.Left, yes, no)
	}
	return lipgloss.NewStyle().Width(width).Render(st.Bold.Render(q)) + "\n" + choices
}

// ago says how long ago t was, in the largest whole unit.
func ago(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < 2*time.Minute:
		return "just now"
	case d < 2*time.Hour:
		return plural(int(d.Minutes()), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d.Hours()), "hour") + " ago"
	default:
		return plural(int(d.Hours()/24), "day") + " ago"
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}
