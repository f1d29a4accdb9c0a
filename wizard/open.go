package wizard

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/steps"
)

// openedMsg reports whether a link could be opened.
type openedMsg struct {
	url string
	err error
}

// stepLink is what `o` opens on the current step.
func (m *Model) stepLink() string {
	if m.step == steps.GenerateKey {
		if u := steps.KeysPageURL(m.generate.subdomain()); u != "" {
			return u
		}
		return steps.HelpArticle
	}
	return steps.Get(m.step).Link
}

// open opens a link in the browser as a tea.Cmd. Over SSH a browser would
// open on the remote machine, so the link is only shown.
func (m *Model) open(url string) tea.Cmd {
	if url == "" {
		m.flash, m.flashStyle = "This step has no link to open.", m.styles.Muted
		return nil
	}
	if m.opts.SSH || m.opts.OpenURL == nil {
		m.flash, m.flashStyle = "Open this on your computer: "+url, m.styles.Accent
		return nil
	}
	openURL := m.opts.OpenURL
	return func() tea.Msg { return openedMsg{url: url, err: openURL(url)} }
}

func (m *Model) noteOpened(msg openedMsg) tea.Cmd {
	mailto := strings.HasPrefix(msg.url, "mailto:")
	switch {
	case msg.err != nil && mailto:
		m.flash, m.flashStyle = "No mail app could be opened: press c to copy the email, or s to save it.", m.styles.Warn
	case msg.err != nil:
		m.flash, m.flashStyle = "No browser could be opened. Open this yourself: "+msg.url, m.styles.Warn
	case mailto:
		m.flash, m.flashStyle = "Opened the email in your mail app: check it and press send.", m.styles.OK
		return m.markRequested()
	default:
		m.flash, m.flashStyle = "Opened "+msg.url, m.styles.Muted
	}
	return nil
}
