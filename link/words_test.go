package link

import (
	"testing"
	"time"
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
