package wizard

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/nango"
)

// The Connect step with an app's Nango Connect link: a link pasted or typed
// where the key goes is taken as the app to hand the key to, never as a
// key; a link that cannot take a key (expired, not for Lattice) asks for
// none, and the user pastes another link, goes on without the app, or
// quits.

// takeLink takes text as a Connect link when it is one. The link is a
// credential too, so it is never shown, only the last four characters of
// its token. A check running keeps the link it started with.
func (s *connectScreen) takeLink(text string) (tea.Cmd, bool) {
	l, err := nango.ParseLink(strings.TrimSpace(text), s.a.opts.NangoURL)
	if err != nil || s.running {
		return nil, false
	}
	s.input.SetValue("")
	s.outcome = ""
	if s.a.link.Demo {
		s.note = "That is a Connect link: the demo takes only its own (lattice-link --demo --nango demo)."
		return s.input.Focus(), true
	}
	before := s.a.handoff
	s.a.handoff = newHandoffState(Handoff{Client: nango.New(l, nango.Options{Version: s.a.opts.Version})})
	if before != nil {
		s.a.handoff.Keep = before.Keep
	}
	// The key is asked for once the link is read and can take one.
	s.note = "Took the app's Connect link (…" + l.Tail() + ")."
	s.input.Blur()
	s.heldForLink = true
	return lookupSession(s.a.handoff, s), true
}

// pasteLink takes a paste while the link given cannot take a key: only
// another link is an answer, and nothing else pasted is kept.
func (s *connectScreen) pasteLink(text string) tea.Cmd {
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if cmd, ok := s.takeLink(line); ok {
			return cmd
		}
		break
	}
	s.note = "That is not a Connect link, and nothing was kept. Paste a Connect link, or press x to go on without the app."
	return nil
}

// deadLink says the Connect link given cannot take a key, or not yet: it
// failed, is still being read (an expired link fails before a key is asked
// for), or waits for the user's answer to a question (linkquestion.go).
func (s *connectScreen) deadLink() bool {
	h := s.a.handoff
	return h != nil && (h.err != nil || h.undecided() || h.reading())
}

// dropLink goes on without the app: the key is connected for this machine.
func (s *connectScreen) dropLink() tea.Cmd {
	s.a.handoff, s.heldForLink = nil, false
	s.note = "Going on without the app: the key you paste is checked and stored on this machine."
	return s.input.Focus()
}

// noteSession takes the link's session in. When the link cannot take a
// key, or not yet, the input lets go of focus: nothing typed now could go
// anywhere. Once a question about the link is answered and the session
// read, the key is asked for.
func (s *connectScreen) noteSession(msg sessionMsg) tea.Cmd {
	if s.a.handoff == nil || !s.a.handoff.noteSession(msg) {
		return nil
	}
	if s.deadLink() {
		s.input.Blur()
		s.note, s.heldForLink = "", true
		return nil
	}
	if s.heldForLink && !s.running {
		s.heldForLink = false
		s.note = pasteKeyForApp
		return s.input.Focus()
	}
	return nil
}
