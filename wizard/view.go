package wizard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/steps"
)

// sync fits the viewport between the header and the screen's panel,
// refills it only when what it shows changed, and composes the frame View
// returns: all the work of a keystroke happens here, once.
func (m *Model) sync() {
	if m.width == 0 { // the size is not known yet: nothing to draw
		return
	}
	if m.tooSmall() {
		m.view = toASCIIIf(m.app.opts.ASCII, m.tooSmallView())
		return
	}
	m.shortKeys, m.fullKeys = m.current.Keys()
	textWidth := min(m.width, maxTextWidth)
	m.footerView = m.footer()
	// The header, its rule, the scroll line and the footer always show; the
	// panel gets what is left but a line of text, and a panel taller than
	// that is cut, with "…", never the help line under it.
	room := m.height - 3 - lipgloss.Height(m.footerView)
	m.panelView = ""
	if !m.showHelp {
		if p := m.current.Panel(textWidth - 4); p != "" {
			lines := m.tailFit.lines(indent(m.ascii(p), 2), m.width, m.ellipsis())
			if limit := m.panelRoom(); len(lines) > limit {
				lines = lines[:limit]
				lines[limit-1] = ansi.Truncate(lines[limit-1], m.width-len(m.ellipsis()), "") + m.ellipsis()
			}
			m.panelView = strings.Join(lines, "\n")
		}
	}
	bodyHeight := room
	if m.panelView != "" {
		bodyHeight -= lipgloss.Height(m.panelView)
	}
	k := fmt.Sprintf("%p/%d/%v/%v/%s", m.current, m.width, m.app.styles.IsDark, m.showHelp, m.current.Revision())
	switch k {
	case m.bodyKey:
	case m.lastKey: // back from the help, say: the body before is kept
		m.bodyKey, m.lastKey = m.lastKey, m.bodyKey
		m.bodyLines, m.lastLines = m.lastLines, m.bodyLines
	default:
		body := m.current.Body(m.width)
		if m.showHelp {
			body = lipgloss.NewStyle().Padding(1, 2).Render(m.fullHelpView())
		}
		m.lastKey, m.lastLines = m.bodyKey, m.bodyLines
		m.bodyKey, m.bodyLines = k, m.fit.lines(m.ascii(body), m.width, m.ellipsis())
	}
	m.vp.resize(bodyHeight, len(m.bodyLines))
	m.view = m.compose()
	if m.app.opts.ASCII {
		m.view = clip(toASCII(m.view), m.width, m.height)
	}
}

// panelRoom is how many lines the panel may take: the window less the
// header, the scroll line, the footer and one line of text.
func (m *Model) panelRoom() int { return max(m.height-4-lipgloss.Height(m.footerView), 1) }

// ascii is s as the terminal can show it: on an ASCII terminal the symbols
// are replaced before lines are measured and cut, so a cut line ends in
// "..." and still fits.
func (m *Model) ascii(s string) string { return toASCIIIf(m.app.opts.ASCII, s) }

// ellipsis is what ends a cut line.
func (m *Model) ellipsis() string { return m.ascii("…") }

// visibleBody is the scroller's window on the body. The lines fit the
// width already, which spares measuring and padding every line on every
// keystroke.
func (m *Model) visibleBody() string {
	top := min(m.vp.top, len(m.bodyLines))
	end := min(top+m.vp.height, len(m.bodyLines))
	lines := m.bodyLines[top:end:end]
	// A short text keeps its panel right under it rather than at the
	// bottom of a tall window.
	if m.vp.overflows() {
		for len(lines) < m.vp.height {
			lines = append(lines, "")
		}
	}
	return strings.Join(lines, "\n")
}

func (m *Model) View() tea.View {
	v := tea.NewView(m.view)
	v.AltScreen = true
	v.WindowTitle = "lattice-link"
	return v
}

// tooSmallView asks for a larger window. The way out, "q quits.", is the
// last line and is kept whole: what does not fit goes from the top.
func (m *Model) tooSmallView() string {
	width := max(min(m.width, 36), 1)
	msg := fmt.Sprintf("Make the window larger.\nlattice-link needs at least %d×%d;\nthis one is %d×%d.",
		MinWidth, MinHeight, m.width, m.height)
	if m.height < 8 || m.width < 24 {
		msg = fmt.Sprintf("Too small: %d×%d.\nNeeds %d×%d.", m.width, m.height, MinWidth, MinHeight)
	}
	lines := strings.Split(lipgloss.NewStyle().Width(width).Align(lipgloss.Center).Render(msg), "\n")
	if !m.current.Focused() {
		quits := lipgloss.PlaceHorizontal(width, lipgloss.Center, "q quits.")
		if len(lines)+2 <= m.height {
			lines = append(lines, "")
		}
		lines = append(lines, quits)
	}
	if len(lines) > m.height {
		lines = lines[len(lines)-max(m.height, 1):]
	}
	frame := lipgloss.Place(max(m.width, 1), max(m.height, 1), lipgloss.Center, lipgloss.Center,
		strings.Join(lines, "\n"))
	return clip(frame, m.width, m.height)
}

func (m *Model) compose() string {
	body := m.visibleBody()
	head := m.top() + "\n" + body
	used := 2 + strings.Count(body, "\n") + 1
	tail := m.scrollHint()
	if m.panelView != "" {
		tail += "\n" + m.panelView
	}
	// The footer keeps to the bottom of the window; a short text keeps its
	// panel right under it.
	gap := m.height - used - lipgloss.Height(tail) - lipgloss.Height(m.footerView)
	tail += strings.Repeat("\n", max(gap, 0)+1) + m.footerView
	// The body's lines fit already; only what is composed here is cut, and
	// its lines that fit are remembered as the body's are.
	lines := m.tailFit.lines(m.ascii(tail), m.width, m.ellipsis())
	return head + "\n" + strings.Join(lines[:min(len(lines), max(m.height-used, 0))], "\n")
}

// top is the header and the rule under it, drawn again only when the
// title, the step, the width or the theme changes.
func (m *Model) top() string {
	k := fmt.Sprintf("%s/%d/%d/%v/%v/%v", m.current.Title(), m.width, m.step, m.onGuide, m.showHelp, m.app.styles.IsDark)
	if k != m.topKey {
		m.topKey = k
		m.topView = m.header() + "\n" + m.app.styles.Rule.Render(strings.Repeat("─", m.width))
	}
	return m.topView
}

func (m *Model) header() string {
	st := m.app.styles
	brand := st.Brand.Render("lattice-link")
	if m.app.link.Demo {
		brand += " " + st.Warn.Render("DEMO")
	}
	title := m.ascii(m.current.Title())
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
		return ansi.Truncate(left, m.width, m.ellipsis())
	}
	return left + strings.Repeat(" ", gap) + m.ascii(right) + " "
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
	if !m.vp.overflows() || m.vp.atBottom() {
		return ""
	}
	var keys []string
	if m.showHelp {
		keys = []string{keyMap.Scroll.Down.Help().Key, keyMap.Scroll.PageDown.Help().Key}
	} else {
		for _, g := range m.fullKeys {
			for _, b := range g {
				switch b {
				case &keyMap.Scroll.Down, &keyMap.Scroll.PageDown, &keyMap.Arrows.Down, &keyMap.Arrows.PageDown:
					keys = append(keys, b.Help().Key)
				}
			}
		}
	}
	more := "↓ more below"
	if m.app.opts.ASCII {
		more = "(more below)" // "down more below" would read as one phrase
	}
	// As many of the keys as fit, the first (the arrow) last to go.
	hint := more
	for n := len(keys); n > 0; n-- {
		if h := more + ": " + m.ascii(strings.Join(keys[:n], " or ")) + " to scroll"; ansi.StringWidth(h) < m.width {
			hint = h
			break
		}
	}
	return " " + m.app.styles.Muted.Render(hint)
}

func (m *Model) footer() string {
	var lines []string
	if m.flashText != "" {
		// A short window keeps its help line and the question in sight;
		// a message cut short keeps what it says to do.
		most := 4
		if m.height < 16 {
			most = 2
		}
		text := fitMessage(m.ascii(m.flashText), m.width-2, most)
		lines = append(lines, lipgloss.NewStyle().PaddingLeft(1).Render(m.flashSt.Render(text)))
	}
	lines = append(lines, " "+m.shortHelpView())
	return strings.Join(lines, "\n")
}

// shortHelpView is the one-line help. When it does not fit, bindings are
// dropped from the middle, so the screen's own keys (first) and help and
// quit (last) stay visible.
func (m *Model) shortHelpView() string {
	bs := bindings(m.shortKeys)
	if m.showHelp {
		bs = []key.Binding{*relabel(keyMap.Help, "?/esc/q", "close help"), keyMap.Scroll.Down, keyMap.CtrlC}
	}
	var k strings.Builder // what the line says, to draw it again only when that changes
	fmt.Fprintf(&k, "%d/%v", m.width, m.app.styles.IsDark)
	for _, b := range bs {
		k.WriteString("/" + b.Help().Key + " " + b.Help().Desc)
	}
	if k.String() != m.helpKey {
		m.helpKey, m.helpView = k.String(), m.fitShortHelp(bs)
	}
	return m.helpView
}

// fitShortHelp drops bindings until the line fits: from the middle
// first, then the screen's first key, then quit. The way to the full help
// (?) and the way out of an input or a question (esc) are never dropped;
// a line that still does not fit ends in "…".
func (m *Model) fitShortHelp(bs []key.Binding) string {
	for {
		v := m.ascii(m.help.ShortHelpView(bs))
		if lipgloss.Width(v) <= m.width-1 {
			return v
		}
		drop := -1
		for _, i := range dropOrder(len(bs)) {
			if !mustShow(bs[i]) {
				drop = i
				break
			}
		}
		if drop < 0 {
			return ansi.Truncate(v, m.width-1, m.ellipsis())
		}
		bs = append(bs[:drop:drop], bs[drop+1:]...)
	}
}

// dropOrder is the order in which a help line of n bindings loses them:
// the ones before the last two, nearest the end first, then the first,
// then the last two.
func dropOrder(n int) []int {
	var order []int
	for i := n - 3; i >= 1; i-- {
		order = append(order, i)
	}
	order = append(order, 0)
	for i := max(n-2, 1); i < n; i++ {
		order = append(order, i)
	}
	return order
}

// mustShow says a binding stays on the help line whatever its width: the
// full help, and esc, the way out of an input.
func mustShow(b key.Binding) bool {
	for _, k := range b.Keys() {
		if k == "?" || k == "esc" {
			return true
		}
	}
	return false
}

// fullHelpView lays the help's columns side by side, or one under another
// when the window is too narrow for that.
func (m *Model) fullHelpView() string {
	groups := make([][]key.Binding, len(m.fullKeys))
	for i, g := range m.fullKeys {
		groups[i] = bindings(g)
	}
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

// redraw forgets the bodies drawn, so the next frame asks the screen again.
func (m *Model) redraw() { m.bodyKey, m.lastKey = "", "" }

// SummaryLines is Result.Summary as it is printed on the normal screen
// after exit: in ASCII when the terminal wants it, and wrapped at spaces to
// the terminal's width, which the terminal itself would break inside a
// word or an address. A word wider than the terminal (a long address)
// stays whole on a line of its own; a hyphen is no place to break. The
// last column stays free: a line that fills it reads as one the terminal
// wrapped (a terminal's selection joins it with the next).
func (m *Model) SummaryLines() string {
	line := toASCIIIf(m.app.opts.ASCII, m.Result.Summary)
	if m.width <= 1 {
		return line
	}
	wrapped := ansi.Wordwrap(strings.ReplaceAll(line, "-", nbHyphen), m.width-1, "")
	return strings.ReplaceAll(wrapped, nbHyphen, "-")
}
