package wizard

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
)

// The home screen's reminder to revoke the keys rotations replaced, and v,
// the user's word that they did: this run holds no copy of those keys, so
// Lattice cannot be asked (Done's v asks it while the rotation's run still
// holds the old key).

// saidRevokedMsg is the user's word, written.
type saidRevokedMsg struct {
	to      *homeScreen
	keys    []string
	profile config.Profile
	err     error
}

func (m saidRevokedMsg) owner() Screen { return m.to }

// toRevoke are the keys rotations replaced that may still work in Lattice:
// what the Revoke row names and v asks about.
func (h *homeScreen) toRevoke() []string {
	fp := h.a.remembered.Fingerprint
	if h.a.stored != "" {
		fp = lattice.Fingerprint(h.a.stored)
	}
	return slices.DeleteFunc(link.Unrevoked(h.a.remembered), func(f string) bool { return f == fp })
}

// withRevoked is own with v, when a key is to be revoked, before g: a
// narrow help line drops guide and forget before it, and keeps the keys
// before it (r, c, h) longer.
func (h *homeScreen) withRevoked(own []*key.Binding) []*key.Binding {
	if len(h.toRevoke()) == 0 {
		return own
	}
	return slices.Insert(own, slices.Index(own, &h.guide), &h.revoked)
}

// revokeRow is the Revoke row's text: which keys, and what to do.
func revokeRow(keys []string) string {
	return "the replaced key " + strings.Join(keys, ", ") + ": Lattice did not confirm it revoked. Revoke it in " +
		link.KeysPage + ", then press" + nbSpace + "v." // "v." alone on a line reads as a stray letter
}

// revokeQuestion asks for the user's word, saying why it is asked for;
// where to revoke is in the Revoke row above, so the question fits 40×10.
func revokeQuestion(keys []string) string {
	return "Did you revoke " + strings.Join(keys, " and ") + " in Lattice? lattice-link cannot ask Lattice " +
		"(it no longer holds that key), so it takes your word. Press y if it is revoked, any other key if not yet."
}

// answerRevoked takes the answer to revokeQuestion: y writes it (link
// reads state.json again under its lock), any other key keeps the reminder.
func (h *homeScreen) answerRevoked(msg tea.KeyPressMsg) tea.Cmd {
	h.confirmRevoked = false
	keys := h.toRevoke()
	if !key.Matches(msg, h.yesRevoked) || len(keys) == 0 {
		h.message = "The reminder stays: once " + strings.Join(keys, " and ") + " is revoked in Lattice, press v."
		return nil
	}
	l := h.a.link
	return func() tea.Msg {
		p, err := l.SaidRevoked(keys)
		return saidRevokedMsg{to: h, keys: keys, profile: p, err: err}
	}
}

// saidRevoked shows what was written: the Revoke row goes, and a line says
// why.
func (h *homeScreen) saidRevoked(msg saidRevokedMsg) {
	if msg.err != nil { // the reminder stays, as state.json has it
		h.a.frame.flash("Could not remember that: "+sanitize.Line(msg.err.Error(), 200), flashWarn)
		return
	}
	h.a.remembered = msg.profile
	h.a.frame.flash("Noted: "+strings.Join(msg.keys, " and ")+" is revoked. lattice-link and its status no longer remind you of it.",
		flashOK)
}
