package cmd

import (
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice"
)

func TestWaitLineIsASentence(t *testing.T) {
	got := waitLine(lattice.Wait{Duration: 2 * time.Second, Reason: "the connection was refused"})
	if want := "The connection was refused: waiting 2 s, then trying again."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
