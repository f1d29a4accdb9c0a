package wizard

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// prerequisitesScreen asks the guide's first question: is API access
// approved? The answers and where they lead are the step's route.
type prerequisitesScreen struct {
	guideStep
	q       *steps.Question
	yes, no key.Binding
}

func newPrerequisites(g guideStep) Screen {
	q := steps.RouteOf(g.step.ID).Question
	g.next = bind("enter/→", "next", "enter", "right") // n answers the question
	return &prerequisitesScreen{guideStep: g, q: q,
		yes: bind("y", "yes, approved", "y"), no: bind("n", "not yet", "n")}
}

func (s *prerequisitesScreen) question() string {
	if s.a.keyAccepted { // asking would ignore what this run has seen
		return "API access is approved: Lattice accepted a key for this profile."
	}
	if at := s.a.remembered.AccessRequestedAt; !at.IsZero() {
		return fmt.Sprintf(s.q.AskAgain, link.Ago(at))
	}
	return s.q.Ask
}

func (s *prerequisitesScreen) Update(msg tea.Msg) (tea.Cmd, action) {
	if k, ok := msg.(tea.KeyPressMsg); ok && s.a.keyAccepted {
		// Approved, as this run has seen: nothing to ask, and next goes
		// where yes would.
		if key.Matches(k, s.next) {
			s.a.approved = true
			return nil, goTo{s.q.IfYes}
		}
	} else if ok {
		switch {
		case key.Matches(k, s.yes):
			s.a.approved = true
			return nil, goTo{s.q.IfYes}
		case key.Matches(k, s.no):
			return nil, goTo{s.q.IfNo}
		}
	}
	return s.navigate(msg, s.step.Link)
}

func (s *prerequisitesScreen) Keys() ([]*key.Binding, [][]*key.Binding) {
	if s.a.keyAccepted {
		next := relabel(s.next, "enter/→", "next")
		return list(next, &keyMap.Open, &keyMap.Help, &keyMap.Quit), s.stepKeys(list(next), s.step.Link)
	}
	own := list(&s.yes, &s.no)
	// "y yes", short, so that at 40 columns the line keeps both answers;
	// the question and its buttons above say what yes means.
	return list(relabel(s.yes, "y", "yes"), &s.no, &keyMap.Open, &keyMap.Help, &keyMap.Quit), s.stepKeys(own, s.step.Link)
}

// Panel is the question and its answers; once a key was seen, what that
// says instead, under the note that the key forgotten still works.
func (s *prerequisitesScreen) Panel(width int) string {
	st := s.a.styles
	if s.a.keyAccepted {
		approved := st.Bold.Render(wrap(s.question(), width))
		if s.a.forgotNote == "" {
			return approved
		}
		note := st.Warn.Render(wrap(s.a.forgotNote, width))
		if lipgloss.Height(note)+lipgloss.Height(approved) > s.a.frame.panelRoom() {
			return note // the help line has enter
		}
		return note + "\n" + approved
	}
	yes := st.Choice.Render("y  " + s.q.Yes)
	no := st.Chosen.Render("n  " + s.q.No)
	choices := lipgloss.JoinHorizontal(lipgloss.Top, yes, "  ", no)
	if lipgloss.Width(choices) > width {
		choices = lipgloss.JoinVertical(lipgloss.Left, yes, no)
	}
	return lipgloss.NewStyle().Width(width).Render(st.Bold.Render(s.question())) + "\n" + choices
}
