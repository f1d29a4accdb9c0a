package wizard

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/steps"
)

// Screen is one screen of the wizard: a guide step, the home screen, Done.
// The root model keeps the frame around it (header, scrolling text, help,
// footer) and routes to it every message while it is shown, and the
// results of the work it started even after it is left.
type Screen interface {
	// Update handles a message. For a key, handled says whether the screen
	// used it; the root then tries the shared keys the screen declares.
	Update(msg tea.Msg) (cmd tea.Cmd, handled bool)
	// Title is the header's text.
	Title() string
	// Body is the scrolling text; Panel stays in sight under it.
	Body(width int) string
	Panel(width int) string
	// Revision changes whenever Body would: the root re-wraps the body only
	// then, since glamour output is costly to rebuild on every keystroke.
	Revision() string
	// Keys are the screen's bindings for the short help line and, grouped,
	// for the full help, its own first. The shared bindings (scrolling,
	// help, quit) act only when the screen lists them.
	Keys() (short []key.Binding, full [][]key.Binding)
	// Focused says an input has focus: every printable key goes to it, and
	// only ctrl+c quits.
	Focused() bool
}

// entered is implemented by screens that prepare themselves when shown
// (focus an input, re-check a key).
type entered interface {
	Enter() tea.Cmd
}

// router is what a screen may ask of the root model.
type router interface {
	// goTo shows a guide step, remembering the way back.
	goTo(id steps.ID) tea.Cmd
	back() tea.Cmd
	show(s Screen) tea.Cmd
	flash(text string, style flashKind)
	quit(cancelled bool) tea.Cmd
	// scrollTo keeps a body line in sight (an input's preview, say).
	scrollTo(line int)
	// leaveWith sets the line printed on the normal screen after exit;
	// connected says a key was linked in this run.
	leaveWith(summary string, connected bool)
	// short says the window is too short to show every field.
	short() bool
}

// flashKind picks a flash message's style.
type flashKind int

const (
	flashInfo flashKind = iota
	flashOK
	flashWarn
	flashErr
)
