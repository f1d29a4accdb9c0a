// Package wizard is the Bubble Tea face of lattice-link: a root Model that
// keeps the frame and routes messages to the screen shown, one file per
// screen, styles in styles.go. Every change to the stored key goes through
// package link; Update never does I/O: network calls, file writes and the
// clipboard run as tea.Cmds whose results come back as messages.
package wizard

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
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
	// Link is the key's lifecycle; nil is a throwaway one kept in memory.
	Link *link.Link
	// DemoKeys are listed on the Connect step in demo mode.
	DemoKeys []link.DemoKey
	ASCII    bool // the terminal cannot show Unicode symbols
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
	nav    router
	// remembered is the profile as state.json has it; screens update their
	// copy from the results of what they saved.
	remembered config.Profile
	// stored is the key in the store now, in memory only; storeRead says
	// whether the store has been read yet.
	stored    string
	storeRead bool
	storeNote string
	// writes counts the remembered answers still being written.
	writes sync.WaitGroup
	// handoff is the Nango Connect link given, if any.
	handoff *handoffState
}

func (a *app) profileName() string { return a.link.Profile }

// Model is the wizard's one root model.
type Model struct {
	app  *app
	help help.Model
	vp   viewport.Model

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
	bodyKey       string // what the viewport holds, so it is refilled only on change

	flashText string
	flashSt   lipgloss.Style

	// What sync prepared for View.
	panelView, footerView string
	bodyLines             []string
	frame                 string

	// Result is how the run ended, read by the command after the program exits.
	Result Result
}

// New builds the wizard, dark until the terminal says otherwise.
func New(opts Options) *Model {
	if opts.Link == nil {
		client, _ := lattice.New(lattice.Options{})
		opts.Link = link.New(link.Config{Profile: "default", Client: client, Folder: config.NewMemoryFolder(),
			OpenStore: func() (config.Store, string, error) { return config.NewMemory(), "", nil }})
	}
	a := &app{opts: opts, link: opts.Link, md: newMarkdownCache()}
	if opts.Nango != nil {
		a.handoff = &handoffState{Handoff: *opts.Nango, looking: true}
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
	m := &Model{app: a, help: help.New(), vp: viewport.New()}
	a.nav = m
	m.vp.KeyMap = viewport.KeyMap{} // scrolling goes through the screen's keys
	m.vp.MouseWheelEnabled = false
	m.setTheme(true)
	m.guide = newGuide(a)
	if opts.Notice != "" {
		m.flash(sanitize.Line(opts.Notice, 400), flashWarn)
	}
	if opts.Start == steps.GuideStart && a.remembered.Fingerprint != "" {
		m.current = newHome(a) // the key is read in Init; the home screen says so meanwhile
	} else {
		m.step, m.onGuide, m.current = opts.Start, true, m.guide[opts.Start]
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
	m.bodyKey = ""
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
		m.bodyKey = ""
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
		return nil
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	}
	// Results of work a screen started come back to it even if it is no
	// longer shown; a screen ignores what is not its own.
	if r, ok := msg.(interface{ owner() Screen }); ok {
		cmd, _ := r.owner().Update(msg)
		return cmd
	}
	cmd, _ := m.current.Update(msg)
	return cmd
}

// busy says whether anything the spinner stands for is running.
func (m *Model) busy() bool {
	for _, s := range append(m.guide, m.current) {
		if b, ok := s.(interface{ busy() bool }); ok && b.busy() {
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
			cmd, _ := m.current.Update(msg)
			return cmd
		}
		if msg.String() == "q" {
			return m.quit(true)
		}
		return nil
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, keyQuit):
			return m.quit(true)
		case key.Matches(msg, keyHelp), msg.String() == "esc":
			m.showHelp = false
			m.vp.GotoTop()
		default:
			m.scroll(msg, scrollKeys)
		}
		return nil
	}
	m.flashText = ""
	cmd, handled := m.current.Update(msg)
	if handled {
		return cmd
	}
	_, full := m.current.Keys()
	for _, group := range full {
		for _, b := range group {
			if !key.Matches(msg, b) {
				continue
			}
			switch {
			case sameKeys(b, keyHelp):
				m.showHelp = true
				m.vp.GotoTop()
			case sameKeys(b, keyQuit):
				_, final := m.current.(interface{ final() })
				return m.quit(!final)
			default:
				m.scroll(msg, []key.Binding{b})
			}
			return cmd
		}
	}
	return cmd
}

// scroll moves the text when msg is one of the scrolling bindings given.
func (m *Model) scroll(msg tea.KeyPressMsg, allowed []key.Binding) {
	for _, b := range allowed {
		if !key.Matches(msg, b) {
			continue
		}
		switch b.Help().Desc {
		case "scroll up":
			m.vp.ScrollUp(1)
		case "scroll down":
			m.vp.ScrollDown(1)
		case "page up":
			m.vp.PageUp()
		case "page down":
			m.vp.PageDown()
		}
	}
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
	return m.enter()
}

func (m *Model) back() tea.Cmd {
	if !m.onGuide {
		return nil
	}
	if n := len(m.history); n > 0 {
		prev := m.history[n-1]
		m.history = m.history[:n-1]
		m.step, m.current = prev, m.guide[prev]
		return m.enter()
	}
	if m.cameFrom != nil {
		return m.show(m.cameFrom)
	}
	if m.step > 0 {
		m.step--
		m.current = m.guide[m.step]
		return m.enter()
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
	m.bodyKey = ""
	m.vp.GotoTop()
	for _, s := range m.guide {
		if b, ok := s.(interface{ blur() }); ok && s != m.current {
			b.blur()
		}
	}
	if e, ok := m.current.(entered); ok {
		return e.Enter()
	}
	return nil
}

// stoppedLine is what stays on the screen when the user leaves before a key
// is linked: where to pick up.
func (a *app) stoppedLine() string {
	switch {
	case a.link.Demo:
		return "Stopped. (The demo keeps nothing: run lattice-link to link Lattice for real.)"
	case !a.remembered.AccessRequestedAt.IsZero():
		return "API access requested " + link.Ago(a.remembered.AccessRequestedAt) + ". Once Lattice approves it, " +
			"run lattice-link again to generate and connect the key."
	}
	return "Stopped. Run lattice-link again to pick up where you left off."
}

func (m *Model) flash(text string, kind flashKind) {
	st := m.app.styles
	m.flashText = text
	m.flashSt = styleOf(st, kind)
}

func (m *Model) scrollTo(line int) { m.vp.SetYOffset(line) }

func (m *Model) leaveWith(summary string, connected bool) {
	m.Result.Summary = summary
	m.Result.Connected = m.Result.Connected || connected
}

func (m *Model) short() bool { return m.height < 22 }

func (m *Model) quit(cancelled bool) tea.Cmd {
	for _, s := range append(m.guide, m.current) {
		if st, ok := s.(interface{ stop() }); ok {
			st.stop()
		}
	}
	m.Result.Cancelled = cancelled && !m.Result.Connected
	if m.Result.Summary == "" && m.Result.Cancelled {
		m.Result.Summary = m.app.stoppedLine()
	}
	return m.app.quitAfterWrites()
}

func (m *Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

// sync fits the viewport between the header and the screen's panel,
// refills it only when what it shows changed, and composes the frame View
// returns: all the work of a keystroke happens here, once.
func (m *Model) sync() {
	if m.width == 0 { // the size is not known yet: nothing to draw
		return
	}
	if m.tooSmall() {
		m.frame = toASCIIIf(m.app.opts.ASCII, m.tooSmallView())
		return
	}
	textWidth := min(m.width, maxTextWidth)
	m.panelView = ""
	if !m.showHelp {
		if p := m.current.Panel(textWidth - 4); p != "" {
			m.panelView = lipgloss.NewStyle().PaddingLeft(2).Render(p)
		}
	}
	m.footerView = m.footer()
	bodyHeight := m.height - 3 - lipgloss.Height(m.footerView) // header, rule, scroll line
	if m.panelView != "" {
		bodyHeight -= lipgloss.Height(m.panelView)
	}
	m.vp.SetWidth(m.width)
	m.vp.SetHeight(max(bodyHeight, 1))
	k := fmt.Sprintf("%p/%d/%v/%v/%s", m.current, m.width, m.app.styles.IsDark, m.showHelp, m.current.Revision())
	if k != m.bodyKey {
		m.bodyKey = k
		body := m.current.Body(m.width)
		if m.showHelp {
			body = lipgloss.NewStyle().Padding(1, 2).Render(m.fullHelpView())
		}
		m.bodyLines = strings.Split(body, "\n")
		for i, l := range m.bodyLines { // once per change of the body, not per key
			if ansi.StringWidth(l) > m.width {
				m.bodyLines[i] = ansi.Truncate(l, m.width, "…")
			}
		}
		m.vp.SetContentLines(m.bodyLines)
	}
	m.frame = m.compose()
	if m.app.opts.ASCII {
		m.frame = clip(toASCII(m.frame), m.width, m.height)
	}
}

// visibleBody is the viewport's window on the body. The viewport keeps the
// offset; the lines are cut here because they fit the width already, which
// spares measuring and padding every line on every keystroke.
func (m *Model) visibleBody() string {
	top := min(m.vp.YOffset(), len(m.bodyLines))
	end := min(top+m.vp.Height(), len(m.bodyLines))
	lines := m.bodyLines[top:end:end]
	// A short text keeps its panel right under it rather than at the
	// bottom of a tall window.
	if len(m.bodyLines) > m.vp.Height() {
		for len(lines) < m.vp.Height() {
			lines = append(lines, "")
		}
	}
	return strings.Join(lines, "\n")
}

func (m *Model) View() tea.View {
	v := tea.NewView(m.frame)
	v.AltScreen = true
	v.WindowTitle = "lattice-link"
	return v
}

func (m *Model) tooSmallView() string {
	msg := fmt.Sprintf("Make the window larger.\nlattice-link needs at least %d×%d;\nthis one is %d×%d.",
		MinWidth, MinHeight, m.width, m.height)
	if !m.current.Focused() {
		msg += "\n\nq quits."
	}
	frame := lipgloss.Place(max(m.width, 1), max(m.height, 1), lipgloss.Center, lipgloss.Center,
		lipgloss.NewStyle().Width(max(min(m.width, 36), 1)).Align(lipgloss.Center).Render(msg))
	return clip(frame, m.width, m.height)
}

func (m *Model) compose() string {
	body := m.visibleBody()
	head := m.header() + "\n" + m.app.styles.Rule.Render(strings.Repeat("─", m.width)) + "\n" + body
	used := 2 + strings.Count(body, "\n") + 1
	tail := m.scrollHint()
	if m.panelView != "" {
		tail += "\n" + m.panelView
	}
	// The footer keeps to the bottom of the window; a short text keeps its
	// panel right under it.
	gap := m.height - used - lipgloss.Height(tail) - lipgloss.Height(m.footerView)
	tail += strings.Repeat("\n", max(gap, 0)+1) + m.footerView
	// The body's lines fit already; only what is composed here is clipped.
	return head + "\n" + clip(tail, m.width, m.height-used)
}

func (m *Model) header() string {
	st := m.app.styles
	brand := st.Brand.Render("lattice-link")
	if m.app.link.Demo {
		brand += " " + st.Warn.Render("DEMO")
	}
	title := m.current.Title()
	if m.showHelp {
		title = "Help · " + title
	}
	left := brand + " " + st.Progress.Render(title)
	right := ""
	if m.onGuide {
		right = m.dots()
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right) - 1
	if gap < 1 {
		return ansi.Truncate(left, m.width, "…")
	}
	return left + strings.Repeat(" ", gap) + right + " "
}

// dots show where the user is among the steps.
func (m *Model) dots() string {
	const done, todo = "●", "○"
	var b strings.Builder
	for i := range len(m.guide) {
		if steps.ID(i) <= m.step {
			b.WriteString(m.app.styles.DotDone.Render(done))
		} else {
			b.WriteString(m.app.styles.DotTodo.Render(todo))
		}
	}
	return b.String()
}

// scrollHint is the line under the scrolling text: blank, or a hint that
// there is more to read, naming the keys this screen scrolls with.
func (m *Model) scrollHint() string {
	if m.vp.TotalLineCount() <= m.vp.Height() || m.vp.AtBottom() {
		return ""
	}
	var keys []string
	if m.showHelp {
		keys = []string{keyDown.Help().Key, keyPageDown.Help().Key}
	} else {
		_, full := m.current.Keys()
		for _, g := range full {
			for _, b := range g {
				if d := b.Help().Desc; d == "scroll down" || d == "page down" {
					keys = append(keys, b.Help().Key)
				}
			}
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return " " + m.app.styles.Muted.Render("↓ more below: "+strings.Join(keys, " or ")+" to scroll")
}

func (m *Model) footer() string {
	var lines []string
	if m.flashText != "" {
		text := wrap(m.flashText, m.width-2)
		if parts := strings.Split(text, "\n"); m.height < 16 && len(parts) > 2 {
			// A short window keeps its help line and the question in sight.
			text = parts[0] + "\n" + ansi.Truncate(parts[1], m.width-3, "") + "…"
		}
		lines = append(lines, lipgloss.NewStyle().PaddingLeft(1).Render(m.flashSt.Render(text)))
	}
	lines = append(lines, " "+m.shortHelpView())
	return strings.Join(lines, "\n")
}

// shortHelpView is the one-line help. When it does not fit, bindings are
// dropped from the middle, so the screen's own keys (first) and help and
// quit (last) stay visible.
func (m *Model) shortHelpView() string {
	bindings, _ := m.current.Keys()
	if m.showHelp {
		bindings = []key.Binding{withHelp(keyHelp, "?/esc", "close help"), keyDown, keyQuit}
	}
	for {
		v := m.help.ShortHelpView(bindings)
		if lipgloss.Width(v) <= m.width-1 || len(bindings) <= 2 {
			return v
		}
		drop := max(1, len(bindings)-3)
		bindings = append(bindings[:drop:drop], bindings[drop+1:]...)
	}
}

// fullHelpView lays the help's columns side by side, or one under another
// when the window is too narrow for that.
func (m *Model) fullHelpView() string {
	_, groups := m.current.Keys()
	if v := m.help.FullHelpView(groups); lipgloss.Width(v) <= m.width-4 {
		return v
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = m.help.FullHelpView([][]key.Binding{g})
	}
	return strings.Join(parts, "\n\n")
}

// clip keeps a frame inside the window, so a long line or an extra row can
// never scroll the screen.
func clip(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:max(height, 0)]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	return strings.Join(lines, "\n")
}

// sameKeys says whether b is shared binding s, whatever its help says.
func sameKeys(b, s key.Binding) bool {
	return slices.Equal(b.Keys(), s.Keys())
}

// themed screens hold bubbles whose styles follow the theme.
type themed interface{ setStyles(Styles) }
