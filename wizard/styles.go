package wizard

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Styles are every style the wizard uses, built once per background.
type Styles struct {
	IsDark bool

	Brand     lipgloss.Style // the name badge in the header
	Progress  lipgloss.Style // "Step 2 of 5 · Title"
	DotDone   lipgloss.Style
	DotTodo   lipgloss.Style
	Rule      lipgloss.Style
	Muted     lipgloss.Style
	Bold      lipgloss.Style
	Accent    lipgloss.Style
	OK        lipgloss.Style
	Warn      lipgloss.Style
	Err       lipgloss.Style
	Label     lipgloss.Style // the left column of a key/value list
	Choice    lipgloss.Style // an offered answer
	Chosen    lipgloss.Style // the highlighted answer
	FieldName lipgloss.Style
	Help      help.Styles
	Input     textinput.Styles
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(isDark bool) Styles {
	c := lipgloss.LightDark(isDark)
	var (
		accent = c(lipgloss.Color("#5A3FC0"), lipgloss.Color("#A48BFF"))
		muted  = c(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8C8C8C"))
		green  = c(lipgloss.Color("#1A7F37"), lipgloss.Color("#56D364"))
		yellow = c(lipgloss.Color("#9A6700"), lipgloss.Color("#E3B341"))
		red    = c(lipgloss.Color("#CF222E"), lipgloss.Color("#FF7B72"))
		fg     = c(lipgloss.Color("#1F1F1F"), lipgloss.Color("#EDEDED"))
	)
	s := Styles{
		IsDark:    isDark,
		Brand:     lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#5A3FC0")).Padding(0, 1),
		Progress:  lipgloss.NewStyle().Foreground(fg),
		DotDone:   lipgloss.NewStyle().Foreground(accent),
		DotTodo:   lipgloss.NewStyle().Foreground(muted),
		Rule:      lipgloss.NewStyle().Foreground(muted),
		Muted:     lipgloss.NewStyle().Foreground(muted),
		Bold:      lipgloss.NewStyle().Bold(true),
		Accent:    lipgloss.NewStyle().Foreground(accent).Bold(true),
		OK:        lipgloss.NewStyle().Foreground(green).Bold(true),
		Warn:      lipgloss.NewStyle().Foreground(yellow),
		Err:       lipgloss.NewStyle().Foreground(red).Bold(true),
		Label:     lipgloss.NewStyle().Foreground(muted),
		Choice:    lipgloss.NewStyle().Foreground(fg).Padding(0, 1),
		Chosen:    lipgloss.NewStyle().Foreground(lipgloss.Color("#FFFFFF")).Background(accent).Bold(true).Padding(0, 1),
		FieldName: lipgloss.NewStyle().Foreground(muted).Width(10),
		Help:      helpStyles(fg, muted),
		Input:     textinput.DefaultStyles(isDark),
	}
	s.Input.Focused.Prompt = s.Input.Focused.Prompt.Foreground(accent)
	s.Input.Cursor.Blink = false // a steady cursor: no redraw twice a second
	return s
}

// helpStyles draw the help line, which every screen relies on, as
// readable as the text's own muted lines: bubbles' defaults are its
// faintest text (about 2.5:1 on black, 2.1:1 on white).
func helpStyles(fg, muted color.Color) help.Styles {
	st := help.Styles{
		ShortKey:       lipgloss.NewStyle().Foreground(fg),
		ShortDesc:      lipgloss.NewStyle().Foreground(muted),
		ShortSeparator: lipgloss.NewStyle().Foreground(muted),
		Ellipsis:       lipgloss.NewStyle().Foreground(muted),
	}
	st.FullKey, st.FullDesc, st.FullSeparator = st.ShortKey, st.ShortDesc, st.ShortSeparator
	return st
}

// placeholder is an input's example text as it is shown. It is drawn in a
// muted colour; without colours (NO_COLOR) it is put in angle brackets
// instead, so that it cannot be taken for typed text.
func placeholder(a *app, text string) string {
	if a.opts.NoColor {
		return "<" + text + ">"
	}
	return text
}
