package link

import (
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/lattice"
)

func TestAgo(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second: "just now", 5 * time.Minute: "5 minutes ago",
		3 * time.Hour: "3 hours ago", 80 * time.Hour: "3 days ago",
	} {
		if got := Ago(time.Now().Add(-d)); got != want {
			t.Errorf("%v: %q", d, got)
		}
	}
}

// Every face says a wait in these words: why, how long, and the attempt
// that follows.
func TestWaitLineSaysWhyAndHowLong(t *testing.T) {
	for want, w := range map[string]lattice.Wait{
		"Lattice asked to wait: waiting 2 s, then trying again (attempt 2).": {
			Duration: 2 * time.Second, Why: apihttp.WhyRateLimited, Status: 429, Attempt: 2},
		"Lattice answered 503: waiting a moment, then trying again (attempt 3).": {
			Duration: 800 * time.Millisecond, Why: apihttp.WhyServerError, Status: 503, Attempt: 3},
		"The connection dropped: waiting a moment, then trying again (attempt 2).": {
			Duration: 400 * time.Millisecond, Why: apihttp.WhyDropped, Cause: apihttp.CauseClosed, Attempt: 2},
		"There was no network route to Lattice: waiting 1 s, then trying again (attempt 2).": {
			Duration: time.Second, Why: apihttp.WhyDropped, Cause: apihttp.CauseNoRoute, Attempt: 2},
	} {
		if got := WaitLine(w); got != want {
			t.Errorf("%+v: %q, want %q", w, got, want)
		}
	}
}
