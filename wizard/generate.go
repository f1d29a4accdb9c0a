package wizard

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/steps"
)

// generateScreen takes the company's Lattice address (optional), so that
// `o` can open its API keys page. A pasted address is cut down to the
// subdomain; another host is refused with a message.
type generateScreen struct {
	guideStep
	input textinput.Model
	edit  key.Binding
	done  key.Binding
	err   string // why the address being typed was refused, as a sentence
	// kept is the address (its subdomain) set before, which esc after a
	// refused edit puts back.
	kept string
}

func newGenerate(g guideStep) Screen {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder(g.a, "yourcompany")
	in.CharLimit = 300 // room for a pasted address; it is cut to the subdomain
	in.SetValue(g.a.remembered.Subdomain)
	in.SetStyles(g.a.styles.Input)
	return &generateScreen{guideStep: g, input: in, kept: g.a.remembered.Subdomain,
		edit: bind("e/tab", "type your address", "e", "tab"), // short: o fits beside it at 80 columns
		done: bind("enter/esc", "done", "enter", "esc", "tab")}
}

func (s *generateScreen) setStyles(st Styles) { s.input.SetStyles(st.Input) }
func (s *generateScreen) blur()               { s.input.Blur() }
func (s *generateScreen) Focused() bool       { return s.input.Focused() }

// link is what `o` opens: the company's API keys page when the subdomain
// is known, else Lattice's article.
func (s *generateScreen) link() string {
	if u := steps.KeysPageURL(s.input.Value()); u != "" {
		return u
	}
	return steps.HelpArticle
}

func (s *generateScreen) Update(msg tea.Msg) (tea.Cmd, action) {
	k, isKey := msg.(tea.KeyPressMsg)
	if s.input.Focused() {
		if isKey && paging(k) {
			return nil, pass
		}
		if isKey && key.Matches(k, s.done) {
			cmd := s.commit()
			if k.String() == "esc" {
				s.leave()
			} else if s.err == "" { // a refused address stays in the input, to be fixed
				s.input.Blur()
			}
			return cmd, nil
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return cmd, handled(isKey || isPaste(msg))
	}
	if isKey && key.Matches(k, s.edit) {
		return s.input.Focus(), nil
	}
	return s.navigate(msg, s.link())
}

// commit keeps the subdomain of what was typed or pasted, and remembers it.
func (s *generateScreen) commit() tea.Cmd {
	s.err = ""
	if s.input.Value() == "" {
		return s.save("")
	}
	sub, err := steps.ParseSubdomain(s.input.Value())
	if err != nil {
		s.err = sentence(err.Error())
		return nil
	}
	s.input.SetValue(sub)
	return s.save(sub)
}

// leave stops editing. A refused edit is dropped: the address set before
// is back, as "esc to leave it" says.
func (s *generateScreen) leave() {
	s.input.Blur()
	if s.err == "" {
		return
	}
	s.err = ""
	s.input.SetValue(s.kept)
	if s.kept == "" {
		s.a.frame.flash("The address is still not set: what was typed is not a Lattice address.", flashInfo)
	} else {
		s.a.frame.flash("Kept the address set before: what was typed is not a Lattice address.", flashInfo)
	}
}

func (s *generateScreen) save(sub string) tea.Cmd {
	s.kept = sub
	l := s.a.link // the input shows sub meanwhile
	return s.a.remember(func() (*config.State, error) { return l.SaveSubdomain(sub) })
}

func (s *generateScreen) Keys() ([]*key.Binding, [][]*key.Binding) {
	if s.input.Focused() {
		own := list(&s.done, &keyMap.CtrlC)
		return own, [][]*key.Binding{own, keyMap.Arrows.pages()}
	}
	// The help line says what o opens and what e does now; back goes first
	// when the line is narrow (the middle is dropped first).
	edit, open := &s.edit, relabel(keyMap.Open, "o", "open the article")
	if steps.KeysPageURL(s.input.Value()) != "" {
		edit, open = relabel(s.edit, "e/tab", "edit the address"), relabel(keyMap.Open, "o", "open API keys")
	}
	short := list(&s.next, edit, open, &keyMap.Back, &keyMap.Help, &keyMap.Quit)
	full := [][]*key.Binding{list(edit, open), list(&s.next, &keyMap.Back, &s.jump, &keyMap.Help, &keyMap.Quit),
		keyMap.Scroll.all()}
	return short, full
}

// Panel is the address, as an input while it is typed. A short window
// gets one line, so the step's instructions stay in sight.
func (s *generateScreen) Panel(width int) string {
	st := s.a.styles
	var address string
	switch {
	case s.input.Focused(): // what is typed, as typed: it may be a whole address
		// Beside its label while it fits there, else on a line of its own
		// (below); the input scrolls with the cursor, which takes a column.
		w := width - lipgloss.Width("Your Lattice address: ") - 1
		if lipgloss.Width(s.input.Value()) > w {
			w = width - 1
		}
		fitInput(&s.input, max(w, 10))
		address = s.input.View()
	case s.input.Value() == "":
		address = "https://" + st.Muted.Render(s.input.Placeholder) + ".latticehq.com"
	default:
		address = "https://" + s.input.Value() + ".latticehq.com"
	}
	var hint string
	switch u := steps.KeysPageURL(s.input.Value()); {
	case s.input.Focused() && s.err != "": // fitted below, to the lines left
	case s.input.Focused():
		hint = st.Muted.Render("Type or paste it; enter when done.")
	case u != "":
		hint = st.Muted.Render("o opens its API keys page (a hint: some accounts use another path)")
	default:
		hint = st.Muted.Render("Optional: press e to type it; o then opens its API keys page.")
	}
	if s.a.frame.short() && !s.input.Focused() {
		line := st.Muted.Render("Lattice address: ") + address
		keys := st.Muted.Render("e edits · o opens")
		if lipgloss.Width(line)+2+lipgloss.Width(keys) <= width {
			return line + "  " + keys
		}
		if lipgloss.Width(line) > width { // the address whole rather than its label
			line = address
		}
		return truncateLines(line, width) + "\n" + keys // the keys on a line of their own, never cut
	}
	line := st.Muted.Render("Your Lattice address: ") + address
	if lipgloss.Width(line) > width {
		line = st.Muted.Render("Your Lattice address:") + "\n" + address
	}
	line = truncateLines(line, width)
	if s.input.Focused() && s.err != "" { // what is wrong, then what to do, in the lines there are
		fix := "Fix it and press enter, or esc to leave it."
		if s.a.frame.short() { // one line, the rest to what to type (the help line has enter)
			fix = "Fix it, or esc to leave it."
		}
		return line + "\n" + st.Warn.Render(fitMessage(s.err+"\n"+fix, width, s.a.frame.panelRoom()-lipgloss.Height(line)))
	}
	return line + "\n" + wrap(hint, width)
}

func isPaste(msg tea.Msg) bool {
	_, ok := msg.(tea.PasteMsg)
	return ok
}
