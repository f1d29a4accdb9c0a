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
		screens[i] = build[st.ID](guideStep{base: base{a: a}, step: st, jump: jumpKeys(len(all)), next: keyMap.Next})
	}
	return screens
}

// guideStep is what every step of the guide shares: its text, its place in
// the header, and the keys that move between steps.
type guideStep struct {
	base
	step steps.Step
	jump key.Binding
	next key.Binding // enter/→/n, or without n where n answers a question
}

func (g guideStep) Title() string {
	return fmt.Sprintf("Step %d of %d · %s", g.step.ID+1, steps.Count(), g.step.Title)
}

// Body is the step's text, rendered once per width and theme.
func (g guideStep) Body(width int) string { return g.markdown(width) }

func (g guideStep) markdown(width int) string {
	return g.a.md.get(g.step.ID, width, g.a.styles.IsDark)
}

// navigate handles the keys that move through the guide.
func (g *guideStep) navigate(msg tea.Msg, link string) (tea.Cmd, action) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, pass
	}
	switch {
	case key.Matches(k, g.next):
		return nil, goTo{steps.Next(g.step.ID)}
	case key.Matches(k, keyMap.Back):
		return nil, goBack{}
	case key.Matches(k, g.jump):
		return nil, jumpTo{steps.ID(k.String()[0] - '1')}
	case key.Matches(k, keyMap.Open) && link != "":
		return g.a.open(link, nil), nil
	}
	return nil, pass
}

func (a jumpTo) do(m *Model) tea.Cmd {
	cmd := m.goTo(a.step)
	if m.onGuide && m.step == a.step {
		m.history = m.history[:0]
		for id := steps.ID(0); id < a.step; id++ {
			m.history = append(m.history, id)
		}
	}
	return cmd
}

// stepKeys are the full help of a step: its own keys, moving, scrolling.
func (g *guideStep) stepKeys(own []*key.Binding, link string) [][]*key.Binding {
	nav := list(&g.next, &keyMap.Back, &g.jump)
	if link != "" {
		nav = append(nav, &keyMap.Open)
	}
	return [][]*key.Binding{own, append(nav, &keyMap.Help, &keyMap.Quit), keyMap.Scroll.all()}
}
