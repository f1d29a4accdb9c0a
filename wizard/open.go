package wizard

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// openedMsg reports whether a link could be opened; then runs after a
// success (the email step asks whether it was sent).
type openedMsg struct {
	url  string
	err  error
	then func() tea.Cmd
}

// open opens a link in the browser as a tea.Cmd. Over SSH a browser would
// open on the remote machine, so the link is shown on a line of its own,
// and copied through the terminal (OSC 52): a narrow window cuts it.
func (a *app) open(url string, then func() tea.Cmd) tea.Cmd {
	if a.opts.SSH || a.opts.OpenURL == nil {
		a.frame.flash("Open it on your computer (copied too):\n"+url, flashInfo)
		return tea.SetClipboard(url)
	}
	openURL := a.opts.OpenURL
	return func() tea.Msg { return openedMsg{url: url, err: openURL(url), then: then} }
}

func (m *Model) noteOpened(msg openedMsg) tea.Cmd {
	mailto := strings.HasPrefix(msg.url, "mailto:")
	switch {
	case msg.err != nil && mailto:
		m.flash("No mail app could be opened: press c to copy the email, or s to save it.", flashWarn)
	case msg.err != nil:
		m.flash("No browser opened (link copied too):\n"+msg.url, flashWarn)
		return tea.SetClipboard(msg.url)
	case mailto:
		m.flash("Opened the email in your mail app: check it and press send.", flashOK)
	default:
		m.flash("Opened "+msg.url, flashInfo)
	}
	if msg.err == nil && msg.then != nil {
		return msg.then()
	}
	return nil
}
