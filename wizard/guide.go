package wizard

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/steps"
)

// newGuide builds a screen for every step of the guide, in the guide's
// order. A new step is an entry in steps and one constructor here.
func newGuide(a *app) []Screen {
	build := map[steps.ID]func(guideStep) Screen{
		steps.Prerequisites: newPrerequisites,
		steps.RequestAccess: newRequest,
		steps.GenerateKey:   newGenerate,
		steps.SCIM:          newSCIM,
		steps.Connect:       newConnect,
	}
	all := steps.All()
	screens := make([]Screen, len(all))
	for i, st := range all {
		screens[i] = build[st.ID](guideStep{a: a, step: st, jump: jumpKeys(len(all)), next: keyNext})
	}
	return screens
}

// guideStep is what every step of the guide shares: its text, its place in
// the header, and the keys that move between steps.
type guideStep struct {
	a    *app
	step steps.Step
	jump key.Binding
	next key.Binding // enter/→/n, or without n where n answers a question
}

func (g guideStep) Title() string {
	return fmt.Sprintf("Step %d of %d · %s", g.step.ID+1, steps.Count(), g.step.Title)
}

func (g guideStep) Panel(int) string { return "" }

// markdown is the step's text, rendered once per width and theme.
func (g guideStep) markdown(width int) string {
	return g.a.md.get(g.step.ID, width, g.a.styles.IsDark)
}

// navKeys are the keys that move through the guide; open is listed only
// when the step has a link.
func (g guideStep) navKeys(link string) []key.Binding {
	b := []key.Binding{g.next, keyBack, g.jump}
	if link != "" {
		b = append(b, keyOpen)
	}
	return append(b, keyHelp, keyQuit)
}

// navigate handles the keys that move through the guide.
func (g guideStep) navigate(msg tea.Msg, link string) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	switch {
	case key.Matches(k, g.next):
		return g.a.nav.goTo(steps.Next(g.step.ID)), true
	case key.Matches(k, keyBack):
		return g.a.nav.back(), true
	case key.Matches(k, g.jump):
		return g.a.nav.goTo(steps.ID(k.String()[0] - '1')), true
	case key.Matches(k, keyOpen) && link != "":
		return g.a.open(link, nil), true
	}
	return nil, false
}

// stepKeys are the full help of a step: its own keys, moving, scrolling.
func (g guideStep) stepKeys(own []key.Binding, link string, scroll []key.Binding) [][]key.Binding {
	return [][]key.Binding{own, g.navKeys(link), scroll}
}
