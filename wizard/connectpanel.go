package wizard

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// The Connect step's panel, under its text: the key's input, what it holds
// and the check's answer, and, with an app's Connect link, where the key
// goes. A small window gives each part the lines it needs most: the
// input, the check's answer, where the key goes, then the note.

// pasteKeyForApp asks for the key once the Connect link can take one.
const pasteKeyForApp = "Now paste your Lattice key: it goes to that app."

// linkHint offers a Connect link where a key is asked for: never in a
// rotation, whose new key is to replace the stored one, not go to an app.
const linkHint = "Came from an app's Connect link? Paste the link first: the key then goes to that app."

func (s *connectScreen) Panel(width int) string {
	switch {
	case s.question != nil:
		return truncateLines(s.question.panel(s, width), width)
	case s.deadLink():
		return truncateLines(s.deadPanel(width), width)
	}
	return truncateLines(s.keyPanel(width), width)
}

// compact says the window is small: the panel's parts share its lines.
func (s *connectScreen) compact(width int) bool { return s.a.frame.short() || width < 60 }

// keyPanel is the input with what it holds, the check running or its
// answer, and where the key goes when a Connect link was given.
func (s *connectScreen) keyPanel(width int) string {
	st := s.a.styles
	in := s.input
	in.SetWidth(max(width-len(in.Prompt)-2, 8))
	room := s.a.frame.panelRoom()
	note := s.note
	switch {
	case note != "" && s.outcome != "" && s.a.frame.short():
		note = "" // a short window gives the note's lines to Lattice's answer
	case note == "" && s.a.handoff == nil && !s.rotating() && !s.a.frame.short() && s.input.Value() == "" && s.outcome == "":
		note = linkHint
	}
	running := s.runningLines(width)
	var lines []string
	if h := s.a.handoff; h != nil {
		sessionRoom := 0 // the whole session
		if s.compact(width) {
			// The input takes a line and the check's answer what it needs,
			// less a line for the session; the session gets the rest. A
			// note that only asks for the key, or one about the key while
			// it is checked, gives way to the session whole.
			need := 1 + height(strings.Join(running, "\n")) + s.outcomeHeight(width, room-2)
			if (note == pasteKeyForApp || s.running) && !h.sessionFits(width, room-need-height(wrap(note, width)), s.storedKey, false) {
				note = ""
			}
			sessionRoom = max(room-need-height(wrap(note, width)), 1)
		}
		lines = h.sessionLines(st, width, sessionRoom, s.storedKey)
	}
	lines = append(lines, in.View())
	if note != "" {
		lines = append(lines, st.Muted.Render(wrap(note, width)))
	}
	lines = append(lines, running...)
	if !s.running && s.outcome != "" {
		left := room - height(strings.Join(lines, "\n"))
		lines = append(lines, styleOf(st, s.outKind).Render(fitMessage(s.outcome, width, left)))
	}
	return strings.Join(lines, "\n")
}

// height is how many lines s takes; none for "".
func height(s string) int {
	if s == "" {
		return 0
	}
	return lipgloss.Height(s)
}

// outcomeHeight is how many lines the check's answer takes, most at most.
func (s *connectScreen) outcomeHeight(width, most int) int {
	if s.running || s.outcome == "" {
		return 0
	}
	return height(fitMessage(s.outcome, width, max(most, 1)))
}

// runningLines say what the check running waits on now: whose key it is,
// SCIM, Nango.
func (s *connectScreen) runningLines(width int) []string {
	if !s.running {
		return nil
	}
	st := s.a.styles
	what := "Asking Lattice (" + s.a.link.Client.Primary.Region.Label() + ") whose key this is"
	switch {
	case s.stage != 0:
		what = s.stage.String()
	case s.a.handoff != nil:
		what += ", then handing it to Nango"
	case s.a.remembered.CheckSCIM:
		what += ", and its SCIM API"
	}
	esc := "esc cancels"
	if s.waitingForSCIM() {
		esc = "esc skips SCIM"
	}
	lines := []string{wrap(s.a.spin.View()+" "+what+"… "+st.Muted.Render(esc), width)}
	if s.waitNote != "" {
		lines = append(lines, st.Warn.Render(wrap(s.waitNote, width)))
	}
	return lines
}

// deadPanel is the panel while the link cannot take a key: its question
// or failure, and the ways on. A small window keeps the question or the
// failure whole when it can by saying the ways on in fewer words (the help
// line names x too).
func (s *connectScreen) deadPanel(width int) string {
	st := s.a.styles
	h := s.a.handoff
	note := ""
	if s.note != "" {
		note = st.Muted.Render(wrap(s.note, width))
	}
	ways := wrap(s.deadLinkWays(false), width)
	var lines []string
	if !s.compact(width) {
		lines = h.sessionLines(st, width, 0, s.storedKey)
	} else {
		room := s.a.frame.panelRoom() - height(note)
		whole := h.sessionLines(st, width, 1<<10, s.storedKey)
		if height(strings.Join(whole, "\n"))+height(ways) > room {
			ways = wrap(s.deadLinkWays(true), width)
		}
		lines = h.sessionLines(st, width, max(room-height(ways), 1), s.storedKey)
	}
	lines = append(lines, st.Bold.Render(ways))
	if note != "" {
		lines = append(lines, note)
	}
	return strings.Join(lines, "\n")
}

// deadLinkWays are the ways on while the link cannot take a key: the same
// link again when what failed may pass, another link, no app, quitting
// (the help line has q). short is the same in
// fewer words, for a small window.
func (s *connectScreen) deadLinkWays(short bool) string {
	noApp := "Or press x to connect a key for this machine only (no app)."
	if short {
		noApp = "Or press x to go on without the app."
	}
	switch {
	case s.a.handoff.undecided():
		return noApp
	case s.a.handoff.reading():
		if short {
			return noApp
		}
		return "The key is asked for once the link is read. " + noApp
	case s.a.handoff.passing() && short:
		return "Press r to try again, or x (no app)."
	case s.a.handoff.passing():
		return "Press r to try this link again, paste another Connect link, or press x to connect a key " +
			"for this machine only (no app)."
	case short:
		return "Paste the new link here, or press x."
	}
	return "Paste another Connect link, or press x to connect a key for this machine only (no app)."
}
