package wizard

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// TestAReRunOpensAtTheStepReached: the wizard remembers the step the user
// got to through link (as plain mode does); the next run opens there, says
// so, and the line left on leaving promises it only once it is written.
func TestAReRunOpensAtTheStepReached(t *testing.T) {
	folder := config.NewMemoryFolder()
	newLink := func() *link.Link {
		l := testLink(nil, config.NewMemory())
		l.Folder = folder
		return l
	}
	tm := program(t, New(Options{Link: newLink()}), 100, 30)
	var seen strings.Builder
	waitForScreen(t, tm, "approved", &seen)
	tm.Send(press("y")) // approved: on to Generate
	waitForScreen(t, tm, "Generate an API key", &seen)
	tm.Send(press("q"))
	first := finalModel(t, tm)
	if first.step != steps.GenerateKey {
		t.Fatalf("the first run ended at step %d, not Generate", first.step)
	}
	if p, _, _ := newLink().Remembered(); p.Progress.Step != steps.Get(steps.GenerateKey).Name || !p.Progress.Approved {
		t.Fatalf("state.json does not say where the user got to: %+v", p.Progress)
	}

	again := sized(Options{Link: newLink()}, 100, 30, true)
	if again.step != steps.GenerateKey || !again.onGuide || !again.app.approved {
		t.Errorf("the re-run opened at step %d (guide %v, approved %v), not at Generate", again.step, again.onGuide, again.app.approved)
	}
	if s := shown(again); !strings.Contains(s, "Picking up where you left off") {
		t.Errorf("the re-run does not say it picks up:\n%s", s)
	}
	if line := again.app.stoppedLine(again.step, true); !strings.Contains(line, "pick up there") {
		t.Errorf("leaving at the remembered step promises nothing: %q", line)
	}
	if line := again.app.stoppedLine(steps.Connect, true); strings.Contains(line, "pick up") {
		t.Errorf("leaving at a step not yet written promises it: %q", line)
	}
	// --step prerequisites, the way to start over the notice names, opens there.
	over := sized(Options{Link: newLink(), StartOver: true}, 100, 30, true)
	if over.step != steps.GuideStart || strings.Contains(shown(over), "Picking up") {
		t.Errorf("starting over opened at step %d:\n%s", over.step, shown(over))
	}
}

// ctrl+c during a rotation says the stored key is as it was: "pick up
// there" promised a Connect step the next run does not open (it opens on
// home) (walk 2 F33).
func TestStoppingARotationSaysTheStoredKeyIsAsItWas(t *testing.T) {
	m := sized(Options{}, 80, 24, true)
	m.Update(storedMsg{key: "demo-4f1e-admin-8c2d-7f3c"})
	keys(m, "r")
	m.Update(pasteMsg("demo-8a9b-rotated-0c1d-a1b2"))
	keys(m, "ctrl+c")
	if got := m.Result.Summary; got != "Stopped. The key stored here is as it was (••••7f3c)." {
		t.Errorf("summary %q", got)
	}
}
