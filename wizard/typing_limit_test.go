package wizard

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/steps"
)

// TestTypingStopsAtTheInputsLimit: a paste too long to be a key is refused
// whole (TestBadKeyIsExplainedBeforeSending); what is typed stops at four
// times the longest key, so a key held down does not grow the input (and
// its masked drawing) without end.
func TestTypingStopsAtTheInputsLimit(t *testing.T) {
	m := sized(Options{Start: steps.Connect}, 80, 24, true)
	// Most of it at once, the last keys as typed.
	connectOf(m).input.SetValue(strings.Repeat("k", 4*lattice.MaxKeyLength-2))
	for range 5 {
		m.Update(press("k"))
	}
	if got, want := len(connectOf(m).input.Value()), 4*lattice.MaxKeyLength; got != want {
		t.Errorf("the input holds %d characters, want %d", got, want)
	}
}
