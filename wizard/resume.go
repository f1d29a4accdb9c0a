package wizard

import (
	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// Where the user got to is remembered by link (SaveProgress, Resume), as
// in plain mode, so both faces pick up at the same step.

// resume is the step a run that starts at the guide's start picks up at,
// as plain mode does (link.Resume): not with a key stored or a Connect
// link given, nor at the request step once the request was sent (the
// start then asks whether Lattice approved it).
func (a *app) resume() (link.Progress, bool) {
	if a.opts.Start != steps.GuideStart || a.opts.StartOver || a.remembered.Fingerprint != "" || a.handoff != nil || a.link.Demo {
		return link.Progress{}, false
	}
	pr, ok := link.Resume(a.remembered)
	sent := !a.remembered.AccessRequestedAt.IsZero()
	if !ok || pr.Step == steps.GuideStart || sent && pr.Step == steps.RequestAccess {
		return link.Progress{}, false
	}
	return pr, true
}

// enterStep shows the guide step m.step and remembers it as where the user
// got to, for the next run to pick up at.
func (m *Model) enterStep() tea.Cmd {
	a := m.app
	if m.step == steps.GuideStart && a.keyAccepted {
		// Lattice accepted a key of this profile, so link remembers that
		// access is approved (a forget leaves the next run at Generate): the
		// guide's first step has nothing to add, and saving it would undo that.
		return m.enter()
	}
	l, pr := a.link, link.Progress{Step: m.step, Approved: a.approved}
	return tea.Batch(m.enter(), a.remember(func() (*config.State, error) { return l.SaveProgress(pr) }))
}

// stoppedLine is what stays on the screen when the user leaves before a key
// is linked: what to do next when that is known.
func (a *app) stoppedLine(at steps.ID, onGuide bool) string {
	switch {
	case a.link.Demo:
		return "Stopped. (The demo keeps nothing: run lattice-link to link Lattice for real.)"
	case a.stored != "": // a rotation left early: the next run opens on home, with this key
		return "Stopped. The key stored here is as it was (" + lattice.Fingerprint(a.stored) + ")."
	case !a.remembered.AccessRequestedAt.IsZero():
		return "API access requested " + link.Ago(a.remembered.AccessRequestedAt) + ". Once Lattice approves it, " +
			"run lattice-link again to generate and connect the key."
	case onGuide && at != steps.GuideStart && a.remembered.Progress.Step == steps.Get(at).Name:
		// state.json says so (the state SaveProgress returned): the promise holds
		return "Stopped at " + steps.Get(at).Title + ". Run lattice-link again to pick up there."
	}
	return "Stopped."
}
