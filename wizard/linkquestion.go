package wizard

import (
	"errors"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
)

// The two questions a Connect link can raise before a key is asked for.
// A link does not choose where a verified key goes: when its apiURL names
// a Nango API that is neither Nango Cloud nor the one named for this run,
// nothing is sent there, not even the session's token, until the user
// approves that host. And when the link allows several Lattice
// integrations, the user picks the one the key is for, as Nango's own
// Connect UI lets them. Both are answered with a key press, never with a
// paste (see app.withPaste), and the Connect step takes no key meanwhile.

// approving says the link's API host waits for the user's approval.
func (h *handoffState) approving() bool {
	return h != nil && h.target == nil && h.err == nil && h.Client.NeedsApproval()
}

// choosing says the user is to pick one of several Lattice integrations.
func (h *handoffState) choosing() bool { return h != nil && len(h.choices) > 0 }

// reading says the link's session is being read, no question open.
func (h *handoffState) reading() bool {
	return h != nil && h.target == nil && h.err == nil && !h.undecided()
}

// undecided says the link waits for the user's answer to one of the two.
func (h *handoffState) undecided() bool { return h.approving() || h.choosing() }

// noteChoices takes a session that offers several Lattice integrations as
// the question it is; false for any other answer.
func (h *handoffState) noteChoices(err error) bool {
	var e *nango.Error
	if !errors.As(err, &e) || (e.Kind != nango.SeveralIntegrations && e.Kind != nango.UnknownIntegration) || len(e.Choices) == 0 {
		return false
	}
	h.choices, h.target, h.err = e.Choices, nil, nil
	keys := make([]string, min(len(e.Choices), 9))
	for i := range keys {
		keys[i] = strconv.Itoa(i + 1)
	}
	h.pick = bind("1–"+keys[len(keys)-1], "choose the integration", keys...)
	return true
}

// answer takes a key press as the answer to the open question: a approves
// the host, a digit picks an integration. The session is then read, for the
// screen to: its answers go to the Connect step.
func (h *handoffState) answer(k tea.KeyPressMsg, to Screen) (tea.Cmd, bool) {
	switch {
	case h.approving() && key.Matches(k, h.approve):
		h.Client.ApproveHost()
		return lookupSession(h, to), true
	case h.choosing() && key.Matches(k, h.pick):
		i := int(k.String()[0] - '1')
		if i < 0 || i >= len(h.choices) {
			return nil, false
		}
		h.Client.ChooseIntegration(h.choices[i].UniqueKey)
		h.choices = nil
		return lookupSession(h, to), true
	}
	return nil, false
}

// questionKeys are the keys that answer the open question, for the help.
func (h *handoffState) questionKeys() []*key.Binding {
	switch {
	case h.approving():
		return list(&h.approve)
	case h.choosing():
		return list(&h.pick)
	}
	return nil
}

// questionKeysShort are the same keys worded for the help line, short
// enough that it keeps them at 40 columns; the full help and the panel say
// what they do.
func (h *handoffState) questionKeysShort() []*key.Binding {
	switch {
	case h.approving():
		return list(relabel(h.approve, "a", "approve"))
	case h.choosing():
		return list(relabel(h.pick, h.pick.Help().Key, "choose"))
	}
	return nil
}

// questionLines put the open question in words: the host as it is (ASCII,
// cleaned), or the integrations offered, one a line.
func (h *handoffState) questionLines(st Styles, width int) []string {
	if h.approving() {
		host := h.Client.Link().Host()
		return []string{st.Warn.Render(wrap(link.HostQuestion(host), width)),
			st.Bold.Render(wrap("Press a to send the key to "+host+".", width))}
	}
	lines := []string{st.Warn.Render(wrap("The link offers more than one Lattice integration. Which one is this key for?", width))}
	for i, c := range h.choices[:min(len(h.choices), 9)] {
		name := c.UniqueKey
		if c.DisplayName != "" && c.DisplayName != c.UniqueKey { // beside it, not in parentheses: it may have its own
			name += "  " + st.Muted.Render(c.DisplayName)
		}
		lines = append(lines, truncateLines("  "+strconv.Itoa(i+1)+"  "+name, width))
	}
	return lines
}

// questionShort is the open question in few words, for a small window:
// the keys that answer it and what each one picks (the host, with the
// warning that it is the user's to trust; the integrations).
func (h *handoffState) questionShort() string {
	if h.approving() {
		host := h.Client.Link().Host()
		return "A link does not decide where your key goes: you do. Press a only if " + host +
			" is the app's own Nango (not Nango Cloud)."
	}
	var picks []string
	for i, c := range h.choices[:min(len(h.choices), 9)] {
		picks = append(picks, strconv.Itoa(i+1)+" for "+c.UniqueKey)
	}
	return "Press " + strings.Join(picks, ", ") + ": the link offers more than one Lattice integration."
}
