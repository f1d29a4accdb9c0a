package link

import (
	"strconv"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/lattice"
)

// Ago says how long ago t was, in the largest whole unit, as every face
// words it.
func Ago(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < 2*time.Minute:
		return "just now"
	case d < 2*time.Hour:
		return Plural(int(d.Minutes()), "minute") + " ago"
	case d < 48*time.Hour:
		return Plural(int(d.Hours()), "hour") + " ago"
	default:
		return Plural(int(d.Hours()/24), "day") + " ago"
	}
}

// Plural is "1 day", "3 days".
func Plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// WaitLine says why a check is still waiting before it tries Lattice
// again, as every face words it: "Lattice asked to wait: waiting 2 s, then
// trying again (attempt 2)."
func WaitLine(w lattice.Wait) string {
	var why string
	switch {
	case w.Why == apihttp.WhyRateLimited:
		why = "Lattice asked to wait"
	case w.Why == apihttp.WhyServerError:
		why = "Lattice answered " + strconv.Itoa(w.Status)
	case w.Cause == apihttp.CauseNoRoute:
		why = "There was no network route to Lattice"
	default:
		why = "The connection dropped"
	}
	return why + ": waiting " + apihttp.HumanDuration(w.Duration) + ", then trying again (attempt " +
		strconv.Itoa(w.Attempt) + ")."
}
