package plain

import (
	"io"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/steps"
)

// A step added to the guide without a plain-mode handler fails here, not as
// a nil call when a user reaches it.
func TestEveryStepHasAHandler(t *testing.T) {
	for _, st := range steps.All() {
		if handlers[st.ID] == nil {
			t.Errorf("step %s has no plain-mode handler", st.Name)
		}
	}
	if len(handlers) != steps.Count() {
		t.Errorf("%d handlers for %d steps", len(handlers), steps.Count())
	}
}

func TestAStepWithoutAHandlerIsAnErrorNotACall(t *testing.T) {
	l, _ := testLink(t)
	f := &face{Options: Options{Out: io.Discard, Width: 80}, l: l}
	if err := f.guide(steps.ID(steps.Count())); err == nil {
		t.Error("guide walked a step it has no handler for")
	}
}

// Plain mode's lines end where their text does: glamour's padding is not
// read out or logged.
func TestStepTextHasNoTrailingSpaces(t *testing.T) {
	l, _ := testLink(t)
	out, _ := runPlain(t, l, steps.GuideStart, []string{"q"})
	for i, line := range strings.Split(out, "\n") {
		if strings.TrimRight(line, " ") != line && !strings.HasSuffix(line, ": ") {
			t.Errorf("line %d ends in spaces: %q", i+1, line)
		}
	}
}

// A wrapped line goes on under its own text: a row's value, a choice's
// words, a list item's text.
func TestWrappedLinesHangUnderTheirText(t *testing.T) {
	var out strings.Builder
	f := &face{Options: Options{Out: &out, Width: 40}}
	for line, hang := range map[string]int{
		"  Key        ••••7f3c  (match it in Admin › Settings › Platform › API keys)": 13,
		"  3) Hand the app a new key instead; ••••7f3c stays stored here as it is":    5,
		"  * An admin account. Only admins create keys, and a key can do no more":     4,
		"Lattice rejected this key (401): it is revoked, expired or mistyped.":        0,
	} {
		out.Reset()
		f.say("%s", line)
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(lines) < 2 {
			t.Fatalf("%q did not wrap at 40: %q", line, out.String())
		}
		for _, l := range lines[1:] {
			if lead := len(l) - len(strings.TrimLeft(l, " ")); lead != hang || len(l) > 40 {
				t.Errorf("%q: continuation %q is indented %d, want %d (within 40)", line, l, lead, hang)
			}
		}
	}
}

// A prompt wider than the window is wrapped at a space, not cut mid-word by
// the terminal.
func TestPromptsAreWrapped(t *testing.T) {
	f := &face{Options: Options{Width: 30}}
	got := f.prompt("Paste the key (it will not be shown) and press enter: ")
	if want := "Paste the key (it will not be\nshown) and press enter: "; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
