// Package plain is lattice-link's line-by-line face: the same guide as the
// wizard, read from the same step list and flow, as prompts on the normal
// screen. No alternate screen, no cursor movement, no colour, no
// animation; numbered choices instead of menus; every link written out. It
// suits screen readers, dumb terminals and logs. It is a plain sequential
// program: there is no frame to redraw, so there is nothing for a Bubble
// Tea model to do.
package plain

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// Options are what plain mode reads, writes and calls.
type Options struct {
	Start steps.ID
	// StartOver: the user named the step (--step): open there, not where
	// the last run stopped.
	StartOver bool
	Link      *link.Link
	DemoKeys  []link.DemoKey
	Notice    string
	SSH       bool

	In  io.Reader
	Out io.Writer
	// ReadSecret prints the prompt once the terminal's echo is off, then
	// reads the key.
	ReadSecret func(prompt string) (string, error)
	// Copy puts text on the clipboard and says how it went.
	Copy func(text string) (string, error)
	// OpenURL opens a link in the browser or mail app.
	OpenURL func(string) error
	Width   int

	// Nango, when set, is an app's Connect link: a key Lattice accepts is
	// handed to the app instead of being stored here, unless Keep.
	Nango *nango.Client
	Keep  bool
	// NangoDemo names the demo's Connect link, shown at the start.
	NangoDemo string

	// EnvKey: LATTICE_API_KEY is set, so status and token use it rather
	// than the key stored here.
	EnvKey bool

	// Done, when set, is told once the run has done what it came for (a
	// key connected or handed over): stopping after that is no cancel.
	Done func()
	// Stopping, when set, is told the line a stop (ctrl+c) is to print
	// from now on: at the home menu nothing is in progress to pick up.
	Stopping func(line string)
}

// Result is how the run ended.
type Result struct {
	Connected bool
	Cancelled bool
	// HandedOff: the key went to the app behind Options.Nango.
	HandedOff bool
}

// StopLine is the line a stop (q or ctrl+c) prints before plain mode has
// got anywhere; from then on, plain mode tells Options.Stopping its own.
func StopLine(demo bool) string {
	if demo {
		return "Stopped. The demo keeps nothing."
	}
	return "Stopped."
}

// stopLine is the line a stop prints now, promising only what is true: a
// key stored stays as it was (only a key Lattice accepted replaces it), a
// Connect link's app got nothing, and a re-run picks up at a step only
// where one was saved that the next run opens at (link.Resume).
func (f *face) stopLine() string {
	sent := !f.prof.AccessRequestedAt.IsZero()
	switch {
	case f.l.Demo:
		return StopLine(true)
	case f.atHome || f.stored != "":
		return "Stopped. The key stored here is as it was."
	case f.Nango != nil:
		return "Stopped. No key went to the app."
	case f.saved && f.savedAt != steps.GuideStart && !(sent && f.savedAt == steps.RequestAccess):
		return "Stopped. Run lattice-link again to pick up where you left off."
	}
	return StopLine(false)
}

// track tells Options.Stopping the line a stop prints from now on.
func (f *face) track() {
	if f.Stopping != nil {
		f.Stopping(f.stopLine())
	}
}

// done notes that the run has done what it came for.
func (f *face) done() {
	if f.Done != nil {
		f.Done()
	}
}

// errQuit ends plain mode when the user asks to, or input ends.
var errQuit = errors.New("quit")

type face struct {
	Options
	in *bufio.Reader
	l  *link.Link
	// stored is the key in the store now, in memory only.
	stored string
	prof   config.Profile
	res    Result
	// approved: "is API access approved?" was answered yes.
	approved bool
	// atHome: the home menu was shown (see stopLine).
	atHome bool
	// saved: the guide remembered savedAt as where the user got to.
	saved   bool
	savedAt steps.ID
	// noApp: the user chose to go on without the Connect link's app.
	noApp bool
}

// Run walks the guide, or the home screen when a key is stored.
func Run(o Options) (Result, error) {
	if o.Width <= 0 {
		o.Width = 80
	}
	f := &face{Options: o, in: bufio.NewReader(o.In), l: o.Link}
	f.track()
	err := f.run()
	if errors.Is(err, errQuit) {
		f.say("")
		f.say("%s", f.stopLine())
		f.res.Cancelled = !f.res.Connected && !f.res.HandedOff
		return f.res, nil
	}
	return f.res, err
}

func (f *face) run() error {
	f.say("lattice-link: link Lattice, step by step. Type q and enter at any prompt to stop.")
	if f.l.Demo {
		f.say("DEMO: this runs against a built-in stand-in for Lattice. Nothing leaves this machine.")
	}
	p, warning, err := f.l.Remembered()
	if err != nil {
		return err
	}
	f.prof = p
	for _, n := range []string{f.Notice, warning} {
		if n != "" {
			f.say("Note: %s", sanitize.Line(n, 400))
		}
	}
	if f.Nango != nil {
		if err := f.session(); err != nil {
			return err
		}
	}
	if f.stored, err = f.l.Stored(); err != nil {
		return err
	}
	if f.Nango != nil {
		f.keepNote()
	}
	switch {
	case f.stored != "" && f.Start == steps.GuideStart:
		return f.home()
	case (f.Nango != nil || f.noApp) && f.Start == steps.GuideStart:
		// The user came with a link: the step that takes the key, as the
		// wizard does. The other steps' prompts would show a pasted key.
		return f.guide(steps.Connect)
	case f.Start == steps.GuideStart && !f.StartOver:
		// Once the request is sent, the next question is whether Lattice
		// approved it: the guide's start asks that.
		sent := !f.prof.AccessRequestedAt.IsZero()
		if pr, ok := link.Resume(f.prof); ok && pr.Step != steps.GuideStart && !(sent && pr.Step == steps.RequestAccess) {
			f.approved = pr.Approved
			f.say("Picking up where you left off, at %s. To start over: lattice-link --plain --step %s.",
				steps.Get(pr.Step).Title, steps.Get(steps.GuideStart).Name)
			return f.guide(pr.Step)
		}
	}
	return f.guide(f.Start)
}

// handlers are plain mode's steps, one per step of the guide, each in its
// own file; each returns where to go next (the step's route, unless the
// user chose otherwise). A step of the guide without one is refused by a
// test, and by guide at run time rather than called.
var handlers = map[steps.ID]func(*face) (steps.ID, error){
	steps.Prerequisites: (*face).prerequisites,
	steps.RequestAccess: (*face).requestAccess,
	steps.GenerateKey:   (*face).generateKey,
	steps.SCIM:          (*face).scim,
	steps.Connect:       (*face).connect,
}

// guide walks the steps from start, along the guide's routes.
func (f *face) guide(start steps.ID) error {
	for id := start; id != steps.End; {
		step, ok := handlers[id]
		if !ok {
			return fmt.Errorf("plain mode has no handler for step %d", id)
		}
		f.heading(id)
		f.saved, f.savedAt = f.note(f.l.SaveProgress(link.Progress{Step: id, Approved: f.approved})), id
		f.track()
		next, err := step(f)
		if err != nil {
			return err
		}
		id = next
	}
	return nil
}

func (f *face) heading(id steps.ID) {
	st := steps.Get(id)
	f.say("")
	f.say("Step %s of %s: %s", words(int(id)+1), words(steps.Count()), st.Title)
	f.say("")
	// Rendered without wrapping, then wrapped here: glamour breaks words and
	// links at hyphens; plain mode never does.
	text := f.wrapText(readable(steps.Render(id, 1<<12, "ascii")))
	fmt.Fprintln(f.Out, text)
	// A link the text shows whole is not repeated; one wrapped in two, or
	// not in the text at all, is given on a line of its own.
	if link := strings.TrimPrefix(st.Link, "mailto:"); link != "" && !strings.Contains(text, link) {
		f.say("")
		f.say("Link: %s", link)
	}
	f.say("")
}

func words(n int) string {
	names := []string{"zero", "one", "two", "three", "four", "five", "six", "seven"}
	if n < len(names) {
		return names[n]
	}
	return strconv.Itoa(n)
}
