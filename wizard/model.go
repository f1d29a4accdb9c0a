// Package wizard is the Bubble Tea program that walks an admin through
// linking Lattice: one root Model, one file per screen, styles in styles.go
// and every key binding in keys.go. Update never does I/O: network calls,
// file writes and the clipboard run as tea.Cmds whose results come back as
// messages.
package wizard

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// Smallest usable terminal; below it the wizard asks for a larger window.
const (
	MinWidth  = 40
	MinHeight = 10
)

// Options are what the wizard is given by main.
type Options struct {
	Start   steps.ID
	Client  *lattice.Client
	Store   config.Store
	Profile string
	// Folder keeps State between runs; nil keeps nothing (the demo).
	Folder *config.Folder
	State  *config.State
	Demo   bool // running against the built-in stand-in
	// DemoKeys are listed on the Connect step in demo mode.
	DemoKeys []DemoKey
	ASCII    bool // the terminal cannot show Unicode symbols
	SSH      bool // a browser opened here would open on the remote host

	// StoredKey is the key already stored for the profile, if any: the
	// wizard then opens on the home screen. StoreNote says why the store is
	// not the one asked for (the keyring did not answer, say).
	StoredKey string
	StoreNote string
	// Notice is shown once at the start (state.json was set aside, say).
	Notice string

	// OpenURL opens a link in the browser; CopyNative writes the machine's
	// own clipboard. Both run inside tea.Cmds.
	OpenURL    func(string) error
	CopyNative func(string) error
}

type screen int

const (
	onStep screen = iota // one of the guide's five steps: Model.step says which
	onDone
	onHome // a key is stored: its status and what to do with it
)

// Model is the wizard's one root model.
type Model struct {
	opts    Options
	keys    keyMap
	styles  Styles
	md      *markdownCache
	help    help.Model
	vp      viewport.Model
	spinner spinner.Model // turns while any check runs

	width, height int
	showHelp      bool

	screen  screen
	step    steps.ID
	history []steps.ID // for back after a jump or a branch
	bodyKey string     // what the viewport holds, so it is refilled only on change

	state    *config.State
	stateSeq uint64 // orders the snapshots written to the Folder

	prereq   prerequisitesScreen
	request  requestScreen
	generate generateScreen
	scim     scimScreen
	connect  connectScreen
	done     doneScreen
	home     homeScreen

	// stored is the key in the store now, in memory only: the home screen
	// checks it, and connecting a new key replaces it.
	stored string

	// flash is a one-line note about the last action ("Opened …").
	flash      string
	flashStyle lipgloss.Style

	// What sync prepared for View: the parts of the frame, and the frame.
	panelView, footerView string
	bodyLines             []string
	vpView                string
	frame                 string

	// Result is how the run ended, read by main after the program exits.
	Result Result
}

// Result is what main needs to know once the program has ended.
type Result struct {
	Connected bool
	Cancelled bool
}

// New builds the wizard, dark until the terminal says otherwise.
func New(opts Options) *Model {
	if opts.Profile == "" {
		opts.Profile = "default"
	}
	if opts.State == nil {
		opts.State = &config.State{Version: config.StateVersion}
	}
	m := &Model{
		opts: opts,
		keys: newKeyMap(),
		md:   newMarkdownCache(opts.ASCII),
		help: help.New(),
		vp:   viewport.New(),
		step: opts.Start,
	}
	m.spinner = spinner.New(spinner.WithSpinner(spinner.Dot))
	if opts.ASCII {
		m.spinner.Spinner = spinner.Line
	}
	m.vp.KeyMap = viewport.KeyMap{} // scrolling goes through keyMap
	m.vp.MouseWheelEnabled = false
	m.state = opts.State
	p := m.profile()
	m.prereq.requestedAt = p.AccessRequestedAt
	m.request = newRequestScreen(steps.Answers(p.Answers))
	m.generate = newGenerateScreen(p.Subdomain)
	m.scim.check = p.CheckSCIM
	m.connect = newConnectScreen()
	if opts.Notice != "" {
		m.flash = sanitize.Line(opts.Notice, 400)
	}
	m.stored = opts.StoredKey
	if opts.StoredKey != "" && opts.Start == steps.Prerequisites {
		m.screen = onHome
		m.home = homeScreen{}
		m.home.checking = true // started by Init
	}
	m.setTheme(true)
	m.flashStyle = m.styles.Warn
	m.enterStep()
	m.sync()
	return m
}

func (m *Model) Init() tea.Cmd {
	if m.screen == onHome {
		return tea.Batch(tea.RequestBackgroundColor, m.recheck())
	}
	return tea.RequestBackgroundColor
}

func (m *Model) setTheme(dark bool) {
	m.styles = NewStyles(dark)
	m.help.Styles = m.styles.Help
	m.connect.setStyles(m.styles)
	m.spinner.Style = m.styles.Accent
	m.generate.setStyles(m.styles)
	m.request.setStyles(m.styles)
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
		return nil
	case openedMsg:
		return m.noteOpened(msg)
	case copiedMsg:
		return m.noteCopied(msg)
	case savedFileMsg:
		return m.noteSavedFile(msg)
	case spinner.TickMsg:
		if !m.connect.checking && !m.home.checking && !m.done.revoking {
			return nil // the last frame: no check runs, the spinner stops
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return cmd
	case stateErrMsg:
		m.flash, m.flashStyle = "Could not remember your answers: "+sanitize.Line(msg.err.Error(), 200), m.styles.Warn
		return nil
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	}
	// Messages that belong to a screen: the check's progress, the spinner,
	// the cursor's blink.
	switch {
	case isHomeMsg(msg) || m.screen == onHome:
		return m.updateHome(msg)
	case isRevokedMsg(msg) || m.screen == onDone:
		return m.updateDoneMsg(msg)
	case m.screen == onStep && m.step == steps.Connect, isCheckMsg(msg):
		return m.updateConnect(msg)
	case m.screen == onStep && m.step == steps.GenerateKey:
		return m.generate.update(msg)
	case m.screen == onStep && m.step == steps.RequestAccess && m.request.focused():
		return m.request.update(msg, m.keys)
	}
	return nil
}

func (m *Model) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return m.quit(true)
	}
	if m.tooSmall() {
		if key.Matches(msg, m.keys.Quit) {
			return m.quit(true)
		}
		return nil
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m.quit(m.screen != onDone)
		case key.Matches(msg, m.keys.Help), msg.String() == "esc":
			m.showHelp = false
			m.vp.GotoTop()
		default:
			m.scroll(msg)
		}
		return nil
	}
	m.flash = ""

	// A focused input takes every key it understands first.
	if handled, cmd := m.updateFocusedInput(msg); handled {
		return cmd
	}
	switch m.screen {
	case onDone:
		return m.updateDone(msg)
	case onHome:
		return m.updateHome(msg)
	}
	if handled, cmd := m.updateStepKeys(msg); handled {
		return cmd
	}

	switch {
	case key.Matches(msg, m.keys.Quit):
		return m.quit(true)
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
		m.vp.GotoTop()
	case key.Matches(msg, m.keys.Next):
		if m.step < steps.Connect {
			return m.goTo(m.step + 1)
		}
	case key.Matches(msg, m.keys.Back):
		return m.back()
	case key.Matches(msg, m.keys.Jump):
		return m.goTo(steps.ID(msg.String()[0] - '1'))
	case key.Matches(msg, m.keys.Open):
		return m.open(m.stepLink())
	default:
		m.scroll(msg)
	}
	return nil
}

// updateFocusedInput gives the key to the step's input when it has focus.
func (m *Model) updateFocusedInput(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	if m.screen != onStep {
		return false, nil
	}
	switch m.step {
	case steps.RequestAccess:
		if m.request.focused() {
			cmd := m.request.update(msg, m.keys)
			if !m.request.focused() {
				return true, tea.Batch(cmd, m.persist())
			}
			return true, cmd
		}
	case steps.GenerateKey:
		if m.generate.focused() {
			cmd := m.generate.update(msg)
			if !m.generate.focused() {
				return true, tea.Batch(cmd, m.persist())
			}
			return true, cmd
		}
	case steps.Connect:
		if m.connect.input.Focused() || m.connect.checking {
			return true, m.updateConnect(msg)
		}
	}
	return false, nil
}

// updateStepKeys handles the keys that only one step knows.
func (m *Model) updateStepKeys(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	switch m.step {
	case steps.Prerequisites:
		switch {
		case key.Matches(msg, m.keys.Yes):
			return true, m.goTo(steps.GenerateKey)
		case key.Matches(msg, m.keys.No), key.Matches(msg, m.keys.Next):
			return true, m.goTo(steps.RequestAccess)
		}
	case steps.RequestAccess:
		return m.updateRequestKeys(msg)
	case steps.GenerateKey:
		if key.Matches(msg, m.keys.Edit) {
			return true, m.generate.focus()
		}
	case steps.SCIM:
		if key.Matches(msg, m.keys.ToggleSCIM) {
			m.scim.check = !m.scim.check
			return true, m.persist()
		}
	case steps.Connect:
		if key.Matches(msg, m.keys.Edit) || key.Matches(msg, m.keys.Submit) {
			return true, m.updateConnect(msg)
		}
	}
	return false, nil
}

// scroll moves the text with the scrolling keys; other keys do nothing.
func (m *Model) scroll(msg tea.KeyPressMsg) {
	switch {
	case key.Matches(msg, m.keys.Up):
		m.vp.ScrollUp(1)
	case key.Matches(msg, m.keys.Down):
		m.vp.ScrollDown(1)
	case key.Matches(msg, m.keys.PageUp):
		m.vp.PageUp()
	case key.Matches(msg, m.keys.PageDown):
		m.vp.PageDown()
	}
}

// goTo shows a step, remembering where the user came from.
func (m *Model) goTo(id steps.ID) tea.Cmd {
	if id < 0 || int(id) >= steps.Count() {
		return nil
	}
	if m.screen == onStep && id != m.step {
		m.history = append(m.history, m.step)
	}
	m.screen, m.step = onStep, id
	return tea.Batch(m.enterStep(), m.persist())
}

func (m *Model) back() tea.Cmd {
	if n := len(m.history); n > 0 {
		prev := m.history[n-1]
		m.history = m.history[:n-1]
		m.screen, m.step = onStep, prev
		return m.enterStep()
	}
	if m.step > 0 {
		m.step--
		return m.enterStep()
	}
	return nil
}

// enterStep prepares the step being shown: the viewport starts at the top
// and the step's input, if any, takes focus.
func (m *Model) enterStep() tea.Cmd {
	m.bodyKey = ""
	m.vp.GotoTop()
	m.generate.blur()
	m.request.blur()
	if m.step == steps.Connect && !m.connect.checking {
		return m.connect.input.Focus()
	}
	m.connect.input.Blur()
	return nil
}

func (m *Model) quit(cancelled bool) tea.Cmd {
	m.connect.stop()
	m.Result.Cancelled = cancelled && !m.Result.Connected
	return tea.Sequence(m.persist(), tea.Quit)
}

func (m *Model) profile() *config.Profile { return m.state.Profile(m.opts.Profile) }

// persist remembers the answers and choices the user made, as a tea.Cmd
// that writes a snapshot of the state.
func (m *Model) persist() tea.Cmd {
	m.collect()
	if m.opts.Folder == nil {
		return nil
	}
	m.stateSeq++
	folder, snapshot, seq := m.opts.Folder, m.state.Clone(), m.stateSeq
	return func() tea.Msg {
		if err := folder.SaveState(snapshot, seq); err != nil {
			return stateErrMsg{err}
		}
		return nil
	}
}

// collect copies what the screens hold into the profile.
func (m *Model) collect() {
	p := m.profile()
	p.Answers = config.Answers(m.request.answers().Clean())
	p.Subdomain = m.generate.subdomain()
	p.CheckSCIM = m.scim.check
}

// markRequested remembers that the access email went out, and when.
func (m *Model) markRequested() tea.Cmd {
	m.profile().AccessRequestedAt = time.Now()
	m.prereq.requestedAt = m.profile().AccessRequestedAt
	return m.persist()
}

// stateErrMsg says the remembered state could not be written.
type stateErrMsg struct{ err error }

func (m *Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

// sync fits the viewport between the header and the step's panel, refills
// it only when what it shows changed, and composes the frame View returns:
// all the work of a keystroke happens here, once.
func (m *Model) sync() {
	if m.width == 0 { // the size is not known yet: nothing to draw, nothing to render
		return
	}
	if m.tooSmall() {
		m.frame = toASCIIIf(m.opts.ASCII, m.tooSmallView())
		return
	}
	m.panelView, m.footerView = m.panel(), m.footer()
	bodyHeight := m.height - 3 - lipgloss.Height(m.footerView) // header, rule, scroll line
	if m.panelView != "" {
		bodyHeight -= lipgloss.Height(m.panelView)
	}
	m.vp.SetWidth(m.width)
	m.vp.SetHeight(max(bodyHeight, 1))
	k := fmt.Sprintf("%d/%d/%d/%v/%s/%d/%v", m.screen, m.step, m.width, m.styles.IsDark, m.done.key(), m.request.version, m.showHelp)
	if k != m.bodyKey || (m.screen != onStep && !m.showHelp) { // home and done are cheap, and change as checks run
		m.bodyKey = k
		m.bodyLines = strings.Split(m.body(), "\n")
		m.vp.SetContentLines(m.bodyLines)
	}
	m.vpView = m.visibleBody()
	m.frame = m.compose()
	if m.opts.ASCII {
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
	for len(lines) < m.vp.Height() {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func (m *Model) body() string {
	if m.showHelp {
		return lipgloss.NewStyle().Padding(1, 2).Render(m.fullHelpView())
	}
	switch m.screen {
	case onDone:
		m.done.spin = m.spinner.View()
		return m.done.view(m.styles, m.width)
	case onHome:
		return m.home.view(m.styles, m.profile(), lattice.Fingerprint(m.stored), m.opts.Client, m.storeWhere(), m.spinner.View(), min(m.width, maxTextWidth))
	}
	body := m.md.get(m.step, m.width, m.styles.IsDark)
	if m.step == steps.RequestAccess {
		m.request.previewAt = lipgloss.Height(body) + 1
		body += "\n\n" + m.request.preview(m.styles, min(m.width, maxTextWidth))
	}
	if m.step == steps.Connect && len(m.opts.DemoKeys) > 0 {
		body += "\n" + m.demoKeys(min(m.width, maxTextWidth))
	}
	return body
}

// panel is what stays below the scrolling text: the step's question or input.
func (m *Model) panel() string {
	if m.showHelp {
		return ""
	}
	w := min(m.width, maxTextWidth) - 4
	if m.screen == onHome {
		if p := m.home.panel(m.styles, lattice.Fingerprint(m.stored), w); p != "" {
			return lipgloss.NewStyle().PaddingLeft(2).Render(p)
		}
	}
	if m.screen != onStep {
		return ""
	}
	var p string
	switch m.step {
	case steps.Prerequisites:
		p = m.prereq.view(m.styles, w)
	case steps.RequestAccess:
		p = m.request.view(m.styles, w, m.height < 22, m.prereq.requestedAt)
	case steps.GenerateKey:
		p = m.generate.view(m.styles, w)
	case steps.SCIM:
		p = m.scim.view(m.styles, w)
	case steps.Connect:
		p = m.connect.view(m.styles, w, m.opts.Client, m.spinner.View())
	}
	if p == "" {
		return ""
	}
	return lipgloss.NewStyle().PaddingLeft(2).Render(p)
}

func (m *Model) View() tea.View {
	v := tea.NewView(m.frame)
	v.AltScreen = true
	v.WindowTitle = "lattice-link"
	return v
}

func (m *Model) tooSmallView() string {
	msg := fmt.Sprintf("Make the window larger.\nlattice-link needs at least %d×%d;\nthis one is %d×%d.\n\nq quits.",
		MinWidth, MinHeight, m.width, m.height)
	frame := lipgloss.Place(max(m.width, 1), max(m.height, 1), lipgloss.Center, lipgloss.Center,
		lipgloss.NewStyle().Width(max(min(m.width, 36), 1)).Align(lipgloss.Center).Render(msg))
	return clip(frame, m.width, m.height)
}

func (m *Model) compose() string {
	parts := []string{m.header(), m.styles.Rule.Render(strings.Repeat("─", m.width))}
	// The viewport's lines fit already; only what is composed here is clipped.
	parts = append(parts, m.vpView)
	tail := []string{m.scrollHint()}
	if m.panelView != "" {
		tail = append(tail, m.panelView)
	}
	tail = append(tail, m.footerView)
	return strings.Join(parts, "\n") + "\n" + clip(strings.Join(tail, "\n"), m.width, m.height-2-m.vp.Height())
}

func (m *Model) header() string {
	brand := m.styles.Brand.Render("lattice-link")
	if m.opts.Demo {
		brand += " " + m.styles.Warn.Render("DEMO")
	}
	var title string
	switch m.screen {
	case onDone:
		title = "Done"
	case onHome:
		title = "Linked · profile " + m.opts.Profile
	case onStep:
		if m.stored != "" && m.step == steps.Connect {
			title = "Rotate · replace " + lattice.Fingerprint(m.stored)
			break
		}
		title = fmt.Sprintf("Step %d of %d · %s", m.step+1, steps.Count(), steps.Get(m.step).Title)
	}
	left := brand + " " + m.styles.Progress.Render(title)
	right := ""
	if m.screen == onStep {
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
	for i := range steps.Count() {
		if m.screen == onDone || steps.ID(i) <= m.step {
			b.WriteString(m.styles.DotDone.Render(done))
		} else {
			b.WriteString(m.styles.DotTodo.Render(todo))
		}
	}
	return b.String()
}

// scrollHint is the line under the scrolling text: blank, or a hint that
// there is more to read.
func (m *Model) scrollHint() string {
	if m.vp.TotalLineCount() <= m.vp.Height() || m.vp.AtBottom() {
		return ""
	}
	return " " + m.styles.Muted.Render("↓ more below: ↓/j or pgdn to scroll")
}

func (m *Model) footer() string {
	var lines []string
	if m.flash != "" {
		lines = append(lines, lipgloss.NewStyle().PaddingLeft(1).Render(m.flashStyle.Render(wrap(m.flash, m.width-2))))
	}
	lines = append(lines, " "+m.shortHelpView())
	return strings.Join(lines, "\n")
}

// shortHelpView is the one-line help. When it does not fit, bindings are
// dropped from the middle, so the step's own keys (first) and help and quit
// (last) stay visible.
func (m *Model) shortHelpView() string {
	bindings := m.shortHelp()
	for {
		v := m.help.ShortHelpView(bindings)
		if lipgloss.Width(v) <= m.width-1 || len(bindings) <= 2 {
			return v
		}
		drop := max(1, len(bindings)-3)
		bindings = append(bindings[:drop:drop], bindings[drop+1:]...)
	}
}

func (m *Model) shortHelp() []key.Binding {
	k := m.keys
	if m.showHelp {
		return []key.Binding{withHelp(k.Help, "?/esc", "close help"), withHelp(k.Down, "↓/j", "scroll"), k.Quit}
	}
	switch m.screen {
	case onDone:
		if m.done.replaced != "" {
			return []key.Binding{k.VerifyRevoked, withHelp(k.Quit, "enter/q", "quit")}
		}
		return []key.Binding{withHelp(k.Quit, "enter/q", "quit")}
	case onHome:
		return []key.Binding{k.Rotate, k.Recheck, k.Guide, k.Forget, k.Help, k.Quit}
	}
	switch m.step {
	case steps.Prerequisites:
		return []key.Binding{k.Yes, k.No, k.Open, k.Help, k.Quit}
	case steps.RequestAccess:
		if m.request.focused() {
			return []key.Binding{k.NextField, k.PrevField, withHelp(k.Leave, "esc", "done")}
		}
		return []key.Binding{k.Edit, k.Copy, k.Save, withHelp(k.Open, "o", "mail app"), k.Next, k.Back, k.Help, k.Quit}
	case steps.GenerateKey:
		if m.generate.focused() {
			return []key.Binding{withHelp(k.Submit, "enter", "done"), k.Leave}
		}
		return []key.Binding{k.Next, k.Back, k.Edit, k.Open, k.Help, k.Quit}
	case steps.SCIM:
		return []key.Binding{k.Next, k.Back, k.ToggleSCIM, k.Help, k.Quit}
	case steps.Connect:
		switch {
		case m.connect.checking:
			return []key.Binding{k.Cancel, withHelp(k.Quit, "ctrl+c", "quit")}
		case m.connect.input.Focused():
			return []key.Binding{k.Submit, k.Leave, withHelp(k.Quit, "ctrl+c", "quit")}
		}
		return []key.Binding{k.Submit, k.Edit, k.Back, k.Help, k.Quit}
	}
	return []key.Binding{k.Next, k.Back, k.Open, k.Help, k.Quit}
}

// fullHelp is every key, the screen's own first.
func (m *Model) fullHelp() [][]key.Binding {
	k := m.keys
	nav := []key.Binding{k.Next, k.Back, k.Jump, k.Open, k.Help, k.Quit}
	scroll := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown}
	var own []key.Binding
	switch {
	case m.screen == onHome:
		return [][]key.Binding{{k.Rotate, k.Recheck, k.Guide, k.Forget, k.Help, k.Quit}, scroll}
	case m.screen == onDone:
		return [][]key.Binding{{k.VerifyRevoked, withHelp(k.Quit, "enter/q", "quit")}, scroll}
	case m.step == steps.Prerequisites:
		own = []key.Binding{k.Yes, k.No}
	case m.step == steps.RequestAccess:
		own = []key.Binding{k.Edit, k.NextField, k.PrevField, withHelp(k.Leave, "esc", "done editing"), k.Copy, k.Save,
			withHelp(k.Open, "o", "open in mail app")}
	case m.step == steps.GenerateKey:
		own = []key.Binding{withHelp(k.Edit, "e/tab", "type your subdomain"), withHelp(k.Open, "o", "open the API keys page")}
	case m.step == steps.SCIM:
		own = []key.Binding{k.ToggleSCIM}
	case m.step == steps.Connect:
		own = []key.Binding{k.Submit, withHelp(k.Leave, "esc", "leave input / cancel check"), withHelp(k.Edit, "e/tab", "back to the input")}
	}
	return [][]key.Binding{own, nav, scroll}
}

// fullHelpView lays the help's columns side by side, or one under another
// when the window is too narrow for that.
func (m *Model) fullHelpView() string {
	groups := m.fullHelp()
	if v := m.help.FullHelpView(groups); lipgloss.Width(v) <= m.width-4 {
		return v
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = m.help.FullHelpView([][]key.Binding{g})
	}
	return strings.Join(parts, "\n\n")
}

func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// clip keeps a frame inside the window, so a long line or an extra row can
// never scroll the screen.
func clip(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	return strings.Join(lines, "\n")
}

// storeWhere says where the key is kept, for the home screen.
func (m *Model) storeWhere() string {
	if m.opts.Store == nil {
		return "nowhere"
	}
	return m.opts.Store.Where()
}
