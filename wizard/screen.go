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
	// Update handles a message and says what the screen wants of the root
	// (nil: nothing; pass: a key it did not use, for the shared keys).
	Update(msg tea.Msg) (tea.Cmd, action)
	// Title is the header's text.
	Title() string
	// Body is the scrolling text; Panel stays in sight under it.
	Body(width int) string
	Panel(width int) string
	// Revision changes whenever Body would: the root re-wraps the body only
	// then, since glamour output is costly to rebuild on every keystroke.
	Revision() string
	// Keys are the screen's bindings for the short help line and, grouped,
	// for the full help, its own first. The shared bindings of keyMap
	// (scrolling, help, quit) act only when the screen lists them: they
	// are pointers so that the root knows them by identity.
	Keys() (short []*key.Binding, full [][]*key.Binding)
	// Focused says an input has focus: every printable key goes to it, and
	// only ctrl+c quits.
	Focused() bool
}

// base holds what every screen shares and the defaults most screens keep:
// no input, no panel, a body that never changes once drawn.
type base struct{ a *app }

func (base) Focused() bool    { return false }
func (base) Panel(int) string { return "" }
func (base) Revision() string { return "" }

// The optional capabilities a screen may have; the root asks for each by
// these names, and every screen that has one says so at compile time
// below, so that a renamed method cannot silently drop out.
type (
	// entered screens prepare themselves when shown (focus an input,
	// check a key).
	entered interface{ Enter() tea.Cmd }
	// blurred screens hold an input that lets go of focus when another
	// guide step is shown.
	blurred interface{ blur() }
	// themed screens hold bubbles whose styles follow the terminal's theme.
	themed interface{ setStyles(Styles) }
	// working screens run a cancellable check (see job): busy keeps the
	// spinner turning, stop cancels it when the wizard quits.
	working interface {
		busy() bool
		stop()
	}
	// addressed messages are the results of a screen's own work: they go
	// to that screen even after it is left.
	addressed interface{ owner() Screen }
)

var (
	_ Screen = (*prerequisitesScreen)(nil)
	_ Screen = (*requestScreen)(nil)
	_ Screen = (*generateScreen)(nil)
	_ Screen = (*scimScreen)(nil)
	_ Screen = (*connectScreen)(nil)
	_ Screen = (*homeScreen)(nil)
	_ Screen = (*doneScreen)(nil)
	_ Screen = (*handedOffScreen)(nil)

	_ entered = (*connectScreen)(nil)
	_ entered = (*homeScreen)(nil)
	_ blurred = (*connectScreen)(nil)
	_ blurred = (*generateScreen)(nil)
	_ blurred = (*requestScreen)(nil)
	_ themed  = (*connectScreen)(nil)
	_ themed  = (*generateScreen)(nil)
	_ themed  = (*requestScreen)(nil)
	_ working = (*connectScreen)(nil)
	_ working = (*homeScreen)(nil)
	_ working = (*doneScreen)(nil)
)

// An action is what a screen asks of the root, returned from Update: the
// screen never moves the wizard itself.
type action interface{ do(m *Model) tea.Cmd }

type (
	// pass hands a key the screen did not use to the shared keys it lists.
	passKey struct{}
	// goTo shows a guide step, remembering the way back.
	goTo struct{ step steps.ID }
	// jumpTo shows a guide step by its number; back from it goes through
	// the steps before it, in order, as "Step 3 of 5" reads.
	jumpTo struct{ step steps.ID }
	// goBack returns to where the user came from.
	goBack struct{}
	// show puts a screen that is not a guide step in front (home, Done);
	// a summary says a key was linked, and is what stays on the normal
	// screen after the wizard ends.
	show struct {
		screen  Screen
		summary string
	}
	// linked changes that summary without moving (the old key revoked).
	linked struct{ summary string }
	// finish ends the wizard as done, not cancelled: q on home and Done.
	finish struct{}
)

var pass action = passKey{}

// handled turns "did the screen use this key" into its action.
func handled(used bool) action {
	if used {
		return nil
	}
	return pass
}

// The root is still called directly for four things, none of which
// changes which screen is shown or how the run ends, and each of which is
// needed inside the same Update, before the frame is drawn:
//   - flash (app.flash) sets the footer's one-off message: several screens
//     say something and stay;
//   - scrollTo keeps a body line in sight (the email preview while typing);
//   - short asks whether the window is too short for every field, for Panel;
//     panelRoom how many lines a Panel may take, keeping the help line in
//     sight (a taller one is cut).
type frame interface {
	flash(text string, style flashKind)
	scrollTo(line int)
	short() bool
	panelRoom() int
}

// flashKind picks a flash message's style.
type flashKind int

const (
	flashInfo flashKind = iota
	flashOK
	flashWarn
	flashErr
)
