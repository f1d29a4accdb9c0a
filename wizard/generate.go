package wizard

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/steps"
)

// generateScreen takes the company's Lattice subdomain (optional), so that
// `o` can open the API keys page itself.
type generateScreen struct {
	input textinput.Model
}

func newGenerateScreen(subdomain string) generateScreen {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "yourcompany"
	in.CharLimit = 63
	in.SetValue(subdomain)
	return generateScreen{input: in}
}

func (s *generateScreen) setStyles(st Styles) { s.input.SetStyles(st.Input) }
func (s *generateScreen) focused() bool       { return s.input.Focused() }
func (s *generateScreen) focus() tea.Cmd      { return s.input.Focus() }
func (s *generateScreen) blur()               { s.input.Blur() }
func (s *generateScreen) subdomain() string   { return s.input.Value() }

func (s *generateScreen) update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter", "esc", "tab":
			s.input.Blur()
			return nil
		}
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return cmd
}

func (s generateScreen) view(st Styles, width int) string {
	w := max(len(s.input.Value()), len(s.input.Placeholder))
	if s.input.Focused() {
		w++ // room for the cursor after the text
	}
	s.input.SetWidth(w)
	line := st.Muted.Render("Your Lattice address: ") + "https://" + s.input.View() + ".latticehq.com"
	if lipgloss.Width(line) > width {
		line = st.Muted.Render("Your Lattice address:") + "\n" + "https://" + s.input.View() + ".latticehq.com"
	}
	var hint string
	switch u := steps.KeysPageURL(s.input.Value()); {
	case s.input.Focused():
		hint = st.Muted.Render("enter when done · esc to leave")
	case u != "":
		hint = st.Muted.Render("o opens ") + u
	case s.input.Value() != "":
		hint = st.Warn.Render("Only letters, digits and dashes: the first part of your Lattice address.")
	default:
		hint = st.Muted.Render("Optional: press e to type it, and o opens the API keys page.")
	}
	return truncateLines(line+"\n"+wrap(hint, width), width)
}
