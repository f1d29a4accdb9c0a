// Package wizard is the Bubble Tea face of lattice-link: a root Model that
// keeps the frame and routes messages to the screen shown, one file per
// screen, styles in styles.go. Every change to the stored key goes through
// package link; Update never does I/O: network calls, file writes and the
// clipboard run as tea.Cmds whose results come back as messages.
package wizard

import (
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// Smallest usable terminal; below it the wizard asks for a larger window.
const (
	MinWidth  = 40
	MinHeight = 10
)

// Options are what the wizard is given by its command.
type Options struct {
	// Start is the guide step to open at. At steps.GuideStart with a key
	// stored, the home screen opens instead.
	Start steps.ID
	// StartOver: the user named the step to open at (--step), so the guide
	// opens there, not where the last run stopped.
	StartOver bool
	// Link is the key's lifecycle; nil is a throwaway one kept in memory.
	Link *link.Link
	// DemoKeys are listed on the Connect step in demo mode.
	DemoKeys []link.DemoKey
	ASCII    bool // the terminal cannot show Unicode symbols
	NoColor  bool // NO_COLOR is set: nothing may be told apart by colour alone
	SSH      bool // a browser opened here would open on the remote host
	// Notice is shown once at the start (state.json was set aside, say).
	Notice string
	// OpenURL opens a link in the browser; CopyNative writes the machine's
	// own clipboard. Both run inside tea.Cmds.
	OpenURL    func(string) error
	CopyNative func(string) error
	// Nango, when set, is an app's Connect link: the Connect step hands the
	// key to the app (see handoff.go).
	Nango *Handoff
	// NangoURL is Nango's API for a Connect link pasted on the Connect step
	// that names none (--nango-url); Version goes into its User-Agent.
	NangoURL, Version string
	// EnvKey is the fingerprint of LATTICE_API_KEY when it is set: the key
	// status and token use, rather than the stored one.
	EnvKey string
}

// Result is how the run ended, read by the command after the program exits.
type Result struct {
	Connected bool
	Cancelled bool
	// Summary is one line for the normal screen once the alternate screen
	// is gone, like gh auth login's "✓ Logged in as …"; "" for none.
	Summary string
}

// app is what every screen shares: the link, the styles, the spinner and
// the way to the root.
type app struct {
	opts   Options
	link   *link.Link
	styles Styles
	md     *markdownCache
	spin   spinner.Model
	// frame is the one part of the root a screen calls (see screen.go).
	frame frame
	// remembered is the profile as state.json has it: the state each of
	// link's writes returned (see remember). A screen that shows a choice
	// before its write is back keeps it as its own pending value.
	remembered config.Profile
	// stored is the key in the store now, in memory only; storeRead says
	// whether the store has been read yet.
	stored    string
	storeRead bool
	// keyAccepted says a key of this profile was found stored this run:
	// Lattice accepted it once, so API access is approved, even after the
	// key is forgotten.
	keyAccepted bool
	// approved: "is API access approved?" was answered yes, in this run or
	// the one this run picks up from.
	approved   bool
	forgotNote string // the key forgotten this run still works: the guide's first step says so
	// storeNote says why a key connected this run went to the file rather
	// than the keyring (link's Connected.StoreNote, cleaned); the home
	// screen shows it. storeErr says why the stored key could not be read,
	// cleaned.
	storeNote, storeErr string
	// writes counts the remembered answers still being written.
	writes sync.WaitGroup
	// handoff is the Nango Connect link given, if any; connectStep is the
	// guide's Connect step, which the link's session is read for.
	handoff     *handoffState
	connectStep Screen
	// pastedAt is when the last paste arrived; now is the clock (a test's
	// own in tests).
	pastedAt time.Time
	now      func() time.Time
}

func (a *app) profileName() string { return a.link.Profile }

// Model is the wizard's one root model.
type Model struct {
	app  *app
	help help.Model
	vp   scroller

	guide   []Screen   // the guide's steps, kept so what was typed survives a detour
	current Screen     // what is shown
	step    steps.ID   // the current guide step, when current is one
	onGuide bool       // current is a guide step
	history []steps.ID // for back after a jump or a branch
	// cameFrom is the screen the guide was entered from (home): back at the
	// first step visited returns to it.
	cameFrom Screen

	width, height int
	showHelp      bool
	bodyTop       int    // the body's top line when the help opened, back when it closes
	bodyKey       string // what the viewport holds, so it is refilled only on change
	// keys are the current screen's bindings, asked once per message.
	shortKeys []*key.Binding
	fullKeys  [][]*key.Binding

	flashText string
	flashSt   lipgloss.Style

	// What sync prepared for View.
	panelView, footerView string
	bodyLines             []string
	lastKey               string // the body shown before, kept for a return to it
	lastLines             []string
	fit, tailFit          fitter
	// Parts of the frame drawn again only when what they show changes.
	topKey, topView   string
	helpKey, helpView string
	view              string

	// Result is how the run ended, read by the command after the program exits.
	Result Result
}

// New builds the wizard, dark until the terminal says otherwise.
func New(opts Options) *Model {
	if opts.Link == nil {
		client, _ := lattice.New(lattice.Options{})
		opts.Link = link.New(link.Config{Profile: "default", Client: client, Folder: config.NewMemoryFolder(),
			OpenStore: func() (config.Store, error) { return config.NewMemory(), nil }})
	}
	a := &app{opts: opts, link: opts.Link, md: newMarkdownCache(), now: time.Now}
	if opts.Nango != nil {
		a.handoff = newHandoffState(*opts.Nango)
	}
	if p, warning, err := a.link.Remembered(); err == nil {
		a.remembered = p
		if warning != "" && opts.Notice == "" {
			opts.Notice, a.opts.Notice = warning, warning
		}
	}
	a.spin = spinner.New(spinner.WithSpinner(spinner.Dot))
	if opts.ASCII {
		a.spin.Spinner = spinner.Line
	}
	m := &Model{app: a, help: help.New()}
	a.frame = m
	m.setTheme(true)
	m.guide = newGuide(a)
	a.connectStep = m.guide[steps.Connect]
	notices := []string{}
	if opts.Notice != "" {
		notices = append(notices, sanitize.Line(opts.Notice, 400))
	}
	if a.handoff != nil && a.handoff.Client.InProcessList() { // said once, at the start
		notices = append(notices, "Note: "+link.InProcessListNote)
	}
	switch pr, ok := a.resume(); {
	case opts.Start == steps.GuideStart && a.remembered.Fingerprint != "":
		m.current = newHome(a) // the key is read in Init; the home screen says so meanwhile
	case ok:
		a.approved = pr.Approved
		notices = append(notices, "Picking up where you left off, at "+steps.Get(pr.Step).Title+
			". p goes back to the steps before; lattice-link --step "+steps.Get(steps.GuideStart).Name+" starts over.")
		m.step, m.onGuide, m.current = pr.Step, true, m.guide[pr.Step]
	default:
		m.step, m.onGuide, m.current = opts.Start, true, m.guide[opts.Start]
	}
	if len(notices) > 0 {
		m.flash(strings.Join(notices, "\n"), flashWarn)
	}
	m.enter()
	m.sync()
	return m
}

// Init asks the terminal for its background and reads the stored key
// without holding the first frame: a keyring can take seconds to answer.
// It also warms the renderer's width table while the program waits for
// its first frame.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, readStored(m.app.link), warmWidths,
		lookupSession(m.app.handoff, m.guide[steps.Connect]))
}

// warmWidths measures one character above U+02FF the way Bubble Tea's
// renderer measures every cell (ansi.WcWidth, go-runewidth underneath):
// the first such character makes go-runewidth build its width table, about
// 1 ms, which would otherwise be paid inside the first flush (our header
// has ● and ○). go-runewidth builds the table under a sync.Once and
// publishes it with an atomic store, so this may run beside the renderer.
func warmWidths() tea.Msg {
	ansi.WcWidth.StringWidth("●")
	return nil
}

func (m *Model) setTheme(dark bool) {
	m.app.styles = NewStyles(dark)
	m.help.Styles = m.app.styles.Help
	m.app.spin.Style = m.app.styles.Accent
	m.redraw()
}

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.sync()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.redraw()
		return nil
	case tea.BackgroundColorMsg:
		m.setTheme(msg.IsDark())
		for _, s := range append(m.guide, m.current) {
			if t, ok := s.(themed); ok {
				t.setStyles(m.app.styles)
			}
		}
		return nil
	case storedMsg:
		return m.noteStored(msg)
	case openedMsg:
		return m.noteOpened(msg)
	case spinner.TickMsg:
		if !m.busy() {
			return nil // no work runs: the spinner stops
		}
		var cmd tea.Cmd
		m.app.spin, cmd = m.app.spin.Update(msg)
		return cmd
	case rememberedMsg:
		if msg.err != nil {
			m.flash("Could not remember that: "+sanitize.Line(msg.err.Error(), 200), flashWarn)
		}
		if msg.state != nil {
			m.app.remembered = *msg.state.Profile(m.app.profileName())
		}
		if msg.to == nil {
			return nil
		}
		// and on to the screen that saved, below
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	case tea.PasteStartMsg, tea.PasteMsg, tea.PasteEndMsg:
		m.app.pastedAt = m.app.now()
	}
	// Results of work a screen started come back to it even if it is no
	// longer shown; a screen ignores what is not its own.
	to := m.current
	if r, ok := msg.(addressed); ok {
		to = r.owner()
	}
	cmd, act := to.Update(msg)
	return m.do(cmd, act)
}

// do runs what a screen asked for after the work it returned.
func (m *Model) do(cmd tea.Cmd, act action) tea.Cmd {
	if act == nil || act == pass {
		return cmd
	}
	return tea.Batch(cmd, act.do(m))
}

func (a goTo) do(m *Model) tea.Cmd   { return m.goTo(a.step) }
func (goBack) do(m *Model) tea.Cmd   { return m.back() }
func (passKey) do(*Model) tea.Cmd    { return nil }
func (finish) do(m *Model) tea.Cmd   { return m.quit(false) }
func (a linked) do(m *Model) tea.Cmd { m.leaveWith(a.summary); return nil }
func (a show) do(m *Model) tea.Cmd {
	if a.summary != "" {
		m.leaveWith(a.summary)
	}
	return m.show(a.screen)
}

// busy says whether anything the spinner stands for is running.
func (m *Model) busy() bool {
	for _, s := range append(m.guide, m.current) {
		if w, ok := s.(working); ok && w.busy() {
			return true
		}
	}
	return false
}

func (m *Model) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return m.quit(true)
	}
	if m.tooSmall() {
		if m.current.Focused() { // what is typed is kept, though it cannot be shown
			return m.do(m.current.Update(msg))
		}
		if msg.String() == "q" {
			return m.quit(true)
		}
		return nil
	}
	if m.showHelp {
		switch {
		// q closes the help as ? and esc do: it is the key the help's own
		// pages (less, man) close with; ctrl+c still quits.
		case key.Matches(msg, keyMap.Help), msg.String() == "esc", msg.String() == "q":
			m.showHelp = false
			m.vp.top = m.bodyTop // sync keeps it inside the body
		default:
			for _, b := range keyMap.Scroll.all() {
				if key.Matches(msg, *b) {
					m.shared(b)
				}
			}
		}
		return nil
	}
	m.flashText = ""
	cmd, act := m.current.Update(msg)
	if act != pass {
		return m.do(cmd, act)
	}
	// The keys as the help on screen shows them, when the key was pressed.
	for _, group := range m.fullKeys {
		for _, b := range group {
			if key.Matches(msg, *b) {
				return tea.Batch(cmd, m.shared(b))
			}
		}
	}
	return cmd
}

// shared does what a shared binding of keyMap does, known by identity;
// the screen's own bindings do nothing here.
func (m *Model) shared(b *key.Binding) tea.Cmd {
	switch b {
	case &keyMap.Help:
		m.showHelp, m.bodyTop = true, m.vp.top
		m.vp.goTop()
	case &keyMap.Quit:
		return m.quit(true)
	case &keyMap.Scroll.Up, &keyMap.Arrows.Up:
		m.vp.by(-1)
	case &keyMap.Scroll.Down, &keyMap.Arrows.Down:
		m.vp.by(1)
	case &keyMap.Scroll.PageUp, &keyMap.Arrows.PageUp:
		m.vp.pageUp()
	case &keyMap.Scroll.PageDown, &keyMap.Arrows.PageDown:
		m.vp.pageDown()
	}
	return nil
}

// goTo shows a guide step, remembering where the user came from.
func (m *Model) goTo(id steps.ID) tea.Cmd {
	if id == steps.End {
		return nil
	}
	if id < 0 || int(id) >= len(m.guide) {
		return nil
	}
	if m.onGuide && id != m.step {
		m.history = append(m.history, m.step)
	}
	if !m.onGuide {
		m.history, m.cameFrom = nil, m.current
	}
	m.step, m.onGuide, m.current = id, true, m.guide[id]
	return m.enterStep()
}

func (m *Model) back() tea.Cmd {
	if !m.onGuide {
		return nil
	}
	if n := len(m.history); n > 0 {
		prev := m.history[n-1]
		m.history = m.history[:n-1]
		m.step, m.current = prev, m.guide[prev]
		return m.enterStep()
	}
	if m.cameFrom != nil {
		return m.show(m.cameFrom)
	}
	if c, ok := m.current.(*connectScreen); ok && c.rotating() {
		// A rotation opened by `lattice-link connect` goes back to the key
		// it replaces, as one opened from home does, not to the guide.
		return m.show(newHome(m.app))
	}
	if m.step > 0 {
		m.step--
		m.current = m.guide[m.step]
		return m.enterStep()
	}
	return nil
}

// show puts a screen that is not a guide step in front (home, Done).
func (m *Model) show(s Screen) tea.Cmd {
	m.current, m.onGuide, m.history, m.cameFrom = s, false, nil, nil
	return m.enter()
}

// enter prepares the screen being shown: the text starts at the top and
// the screen's input, if any, takes focus.
func (m *Model) enter() tea.Cmd {
	m.redraw()
	m.vp.goTop()
	for _, s := range m.guide {
		if b, ok := s.(blurred); ok && s != m.current {
			b.blur()
		}
	}
	if e, ok := m.current.(entered); ok {
		return e.Enter()
	}
	return nil
}

func (m *Model) flash(text string, kind flashKind) {
	st := m.app.styles
	m.flashText = text
	m.flashSt = styleOf(st, kind)
}

func (m *Model) scrollTo(line int) { m.vp.scrollTo(line) }

// leaveWith sets the line printed on the normal screen after exit, once a
// key was linked in this run.
func (m *Model) leaveWith(summary string) {
	m.Result.Summary = summary
	m.Result.Connected = true
}

func (m *Model) short() bool { return m.height < 22 }

func (m *Model) quit(cancelled bool) tea.Cmd {
	for _, s := range append(m.guide, m.current) {
		if w, ok := s.(working); ok {
			w.stop()
		}
	}
	m.Result.Cancelled = cancelled && !m.Result.Connected
	if m.Result.Summary == "" && m.Result.Cancelled {
		m.Result.Summary = m.app.stoppedLine(m.step, m.onGuide)
	}
	return m.app.quitAfterWrites()
}

func (m *Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }
