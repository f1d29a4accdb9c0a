package wizard

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/config"
)

// scimScreen lets the user ask the Connect step to check SCIM as well.
type scimScreen struct {
	guideStep
	toggle key.Binding
	chosen pending[bool] // the box as toggled, until its write is back
}

func newSCIM(g guideStep) Screen {
	return &scimScreen{guideStep: g, toggle: bind("space", "check SCIM too", "space", "x")}
}

func (s *scimScreen) on() bool { return s.chosen.or(s.a.remembered.CheckSCIM) }

func (s *scimScreen) Update(msg tea.Msg) (tea.Cmd, action) {
	if _, ok := msg.(rememberedMsg); ok {
		s.chosen.done()
		return nil, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, s.toggle) {
		on := !s.on()
		l := s.a.link
		return s.chosen.set(on, s.a.rememberFor(s, func() (*config.State, error) { return l.SaveCheckSCIM(on) })), nil
	}
	return s.navigate(msg, s.step.Link)
}

func (s *scimScreen) Keys() ([]*key.Binding, [][]*key.Binding) {
	// next first: a narrow help line keeps it, and the panel says space.
	return list(&s.next, &s.toggle, &keyMap.Back, &keyMap.Help, &keyMap.Quit), s.stepKeys(list(&s.toggle), s.step.Link)
}

func (s *scimScreen) Panel(width int) string {
	st := s.a.styles
	line := "[ ] Also check SCIM at Connect " + st.Muted.Render("(space to turn on)")
	if s.on() {
		line = st.Accent.Render("[✓]") + " Also check SCIM at Connect " + st.Muted.Render("(space to turn off)")
	}
	return wrap(line, width)
}
