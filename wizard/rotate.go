package wizard

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
)

// The rotation's parts of the Connect screen: what it says a rotation does,
// and the question it asks before a new key that is another person's, or
// no longer an admin's, replaces the stored one.

// rotating says this Connect is a rotation: a key is stored and a new one
// replaces it (not handed to an app).
func (s *connectScreen) rotating() bool { return s.a.stored != "" && s.a.handoff == nil }

// Revision changes when the text does: a stored key makes it the
// rotation's, a Connect link the hand-off's.
func (s *connectScreen) Revision() string {
	return fmt.Sprint(lattice.Fingerprint(s.a.stored), s.a.remembered.CheckResult, s.a.handoff != nil,
		s.a.handoff != nil && s.a.handoff.Keep)
}

// rotationText says what a rotation does, in the order it does it. An old
// key that Lattice rejected at its last check (rejected) has nothing left
// to revoke.
func rotationText(old string, rejected bool) string {
	revoke := "3. Then revoke the old key in Lattice (" + link.KeysPage + "). " +
		"The next screen checks that Lattice rejects it.\n"
	if rejected {
		revoke = "3. Lattice rejected the old key at its last check, so there is nothing to revoke.\n"
	}
	return "# Rotate the key\n\n" +
		"Paste the **new** key you generated in Lattice and press **enter**.\n\n" +
		"1. Lattice checks the new key. The old key " + old + " stays stored meanwhile: " +
		"if the check fails, nothing changes.\n" +
		"2. Once Lattice accepts it, the new key replaces the old one here. " +
		"If it is another person's key, or no longer an admin's, you are asked first.\n" + revoke
}

// ownerQuestion is a rotation that link held back for the user's yes
// (link.Pending): the old key stays stored and usable until y; n keeps it.
type ownerQuestion struct {
	p        link.Pending
	key, old string // the new key and the stored one, in memory only
	note     string // why a key pressed was not an answer
	storing  bool   // y was pressed: the new key is being stored

	yes, no key.Binding
}

// ask puts the held-back rotation to the user in place of the input.
func (s *connectScreen) ask(msg connectedMsg, p link.Pending) {
	s.input.Blur()
	s.outcome, s.note = "", ""
	s.question = &ownerQuestion{p: p, key: msg.key, old: msg.old,
		yes: bind("y", "replace", "y"),
		no:  bind("n", "keep", "n", "esc")}
}

// answer takes y or n. Storing cannot be cancelled: once the store is
// written, the screen must not say that nothing was.
func (s *connectScreen) answer(msg tea.KeyPressMsg) (tea.Cmd, action) {
	q := s.question
	switch {
	case q.storing:
		return nil, pass // help, quit and the scroll keys still work
	case s.a.withPaste() && key.Matches(msg, q.yes, q.no):
		q.note = "Keys that come with a paste are not taken as answers: press y or n."
		return nil, nil
	case key.Matches(msg, q.yes):
		q.storing, q.note = true, ""
		ctx, id := s.job.start()
		l := s.a.link
		return tea.Batch(work(ctx, s, id, func(ctx context.Context) tea.Msg {
			res, err := l.Confirm(ctx, q.p, q.key, q.old)
			return connectedMsg{to: s, id: id, res: res, key: q.key, old: q.old, err: err}
		}), s.a.spin.Tick), nil
	case key.Matches(msg, q.no):
		s.question = nil
		s.input.SetValue("") // the new key is not wanted: not kept on screen either
		s.note = ""
		s.setOutcome(q.p.KeptWords(), flashInfo)
		return s.input.Focus(), nil
	}
	return nil, pass
}

func (q *ownerQuestion) keys() ([]*key.Binding, [][]*key.Binding) {
	if q.storing {
		own := list(&keyMap.Help, &keyMap.CtrlC)
		return own, [][]*key.Binding{own, keyMap.Arrows.all()}
	}
	own := list(&q.yes, &q.no, &keyMap.Help, &keyMap.Quit)
	return own, [][]*key.Binding{list(&q.yes, &q.no), list(&keyMap.Help, &keyMap.Quit), keyMap.Scroll.all()}
}

// panel shows both keys' owners and roles and asks. A narrow or short
// window gets the question first and the owners without their emails: the
// frame cuts a panel from its end.
func (q *ownerQuestion) panel(s *connectScreen, width int) string {
	st := s.a.styles
	compact := s.a.frame.short() || width < 60
	var rows []string
	for _, f := range q.p.Facts(compact) {
		line := wrap(padRight(f.Label, 8)+f.Value, width)
		if f.Warn {
			line = st.Warn.Render(line)
		}
		rows = append(rows, line)
	}
	ask := q.p.Question() + " Press y to replace it, n to keep " + q.p.OldPrint + "."
	switch {
	case q.storing:
		ask = s.a.spin.View() + " Replacing " + q.p.OldPrint + " with " + q.p.Fingerprint + "…"
	case compact:
		ask = q.p.Question() // the help line under it has y and n
	}
	asking := []string{st.Bold.Render(wrap(ask, width))}
	if q.note != "" {
		asking = append(asking, st.Warn.Render(wrap(q.note, width)))
	}
	head := st.Warn.Render(wrap(q.p.Headline(), width))
	if compact {
		head = st.Warn.Render(wrap(q.p.Why(), width))
		return strings.Join(append(append(asking, rows...), head), "\n")
	}
	return strings.Join(append(append([]string{head}, rows...), asking...), "\n")
}

// padRight pads a label to n columns, with one space at least.
func padRight(s string, n int) string { return s + strings.Repeat(" ", max(n-len(s), 1)) }
