package link

import (
	"strconv"
	"time"
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
