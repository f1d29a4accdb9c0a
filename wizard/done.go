package wizard

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
)

// doneScreen says who the key belongs to, where it is kept and how scripts
// use it. After a rotation it holds the old key, in memory only, until
// Lattice confirms it is revoked.
type doneScreen struct {
	base
	res link.Connected

	revoking     job // asking Lattice whether the old key is revoked
	revokeResult string
	revokeOK     bool

	verify, finish key.Binding
}

func newDone(a *app, res link.Connected) *doneScreen {
	return &doneScreen{base: base{a}, res: res,
		verify: bind("v", "check old key is revoked", "v"),
		finish: bind("q", "finish", "q")}
}

// revokedMsg is Lattice's answer about the old key.
type revokedMsg struct {
	to      *doneScreen
	id      int
	revoked bool
	err     error
}

func (m revokedMsg) owner() Screen { return m.to }

func (d *doneScreen) busy() bool       { return d.revoking.busy() }
func (d *doneScreen) stop()            { d.revoking.stop() }
func (d *doneScreen) Revision() string { return d.revokeResult + d.a.spin.View() }

// summary is the line left on the screen after the wizard; after a
// rotation it keeps the reminder to revoke the old key until Lattice has
// confirmed that it is revoked.
func (d *doneScreen) summary() string {
	s := d.res.Summary(d.a.link.Demo)
	old := lattice.Fingerprint(d.res.Old)
	switch {
	case d.revokeOK:
		s += "\n  Lattice rejects the old key " + old + " now: it is revoked."
	case d.res.Rotated():
		s += "\n  " + d.res.RevokeWords(old)
	}
	return s
}
func (d *doneScreen) Title() string {
	if d.res.Rotated() {
		return "Done · rotated"
	}
	return "Done"
}

func (d *doneScreen) Keys() ([]*key.Binding, [][]*key.Binding) {
	own := list(&d.finish, &keyMap.Help)
	if !d.revocable() {
		return own, [][]*key.Binding{own, keyMap.Scroll.all()}
	}
	// The help line names v in few words, so that a 40-column window keeps
	// the one thing this screen asks for; the full help says it whole.
	short := list(relabel(d.verify, "v", "check revocation"), &d.finish, &keyMap.Help)
	return short, [][]*key.Binding{list(&d.verify, &d.finish, &keyMap.Help), keyMap.Scroll.all()}
}

func (d *doneScreen) Update(msg tea.Msg) (tea.Cmd, action) {
	switch msg := msg.(type) {
	case waitMsg:
		return d.revoking.waited(msg), nil
	case revokedMsg:
		if d.revoking.done(msg.id) {
			return nil, d.noteRevoked(msg)
		}
		return nil, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, d.verify) && d.revocable():
			return d.checkRevoked(), nil
		case key.Matches(msg, d.finish):
			return nil, finish{}
		case msg.String() == "enter":
			d.a.frame.flash("Press q to finish; a summary stays on your screen.", flashInfo)
			return nil, nil
		}
	}
	return nil, pass
}

// losesAdmin says the rotation replaced an admin's key with a key that is
// not an admin's (the user was asked first).
func (d *doneScreen) losesAdmin() bool {
	return d.res.Rotated() && link.OwnerShift{Before: d.res.Before.Owner, After: d.res.Identity.User}.LosesAdmin()
}

// revocable says there is an old key whose revocation v can check: one
// Lattice did not already reject.
func (d *doneScreen) revocable() bool {
	return d.res.Old != "" && !d.res.OldRejected() && !d.revokeOK
}

// checkRevoked asks Lattice about the old key, at the host the new one
// works on: after a rotation it should be rejected.
func (d *doneScreen) checkRevoked() tea.Cmd {
	if d.revoking.running {
		return nil
	}
	d.revokeResult = ""
	ctx, id := d.revoking.start()
	l, old, ep := d.a.link, d.res.Old, d.res.Identity.Endpoint
	return tea.Batch(work(ctx, d, id, func(ctx context.Context) tea.Msg {
		revoked, err := l.CheckRevoked(ctx, old, ep)
		return revokedMsg{to: d, id: id, revoked: revoked, err: err}
	}), d.a.spin.Tick)
}

func (d *doneScreen) noteRevoked(msg revokedMsg) action {
	old := lattice.Fingerprint(d.res.Old)
	switch {
	case msg.err != nil:
		d.revokeResult = "Could not check the old key: " + d.a.link.Explain(msg.err, link.Stored, false)
	case msg.revoked:
		d.revokeResult, d.revokeOK = "Lattice now rejects the old key "+old+": the rotation is complete.", true
		// The old key stays in memory: Lattice rejects it now, and the
		// screen and summary still describe the rotation.
		return linked{d.summary()}
	default:
		d.revokeResult = "The old key " + old + " still works. Revoke it in Lattice " +
			"(" + link.KeysPage + "), then press v again."
	}
	return nil
}

func (d *doneScreen) Body(width int) string {
	const check = "✓"
	st := d.a.styles
	width = min(width, maxTextWidth) - 4 // the padding
	var b strings.Builder
	if d.res.Rotated() {
		b.WriteString(st.OK.Render(check+" Rotated: the new key is stored") + "\n\n")
	} else {
		b.WriteString(st.OK.Render(check+" Connected to Lattice") + "\n\n")
	}
	b.WriteString(factRows(st, d.facts(), width))
	if d.res.OldRejected() { // Lattice rejected the old key before: nothing to ask of the user
		b.WriteString("\n" + wrap(d.res.RevokeWords(lattice.Fingerprint(d.res.Old)), width) + "\n")
	} else if d.res.Old != "" || d.revokeOK {
		heading := "Now revoke the old key " + lattice.Fingerprint(d.res.Old) + " in Lattice"
		if d.revokeOK {
			heading = "The old key is revoked"
		}
		old := lattice.Fingerprint(d.res.Old)
		how := link.KeysPage + ": find the key ending " + strings.TrimLeft(old, "•") +
			" and revoke it. Then press v to check that Lattice rejects it."
		if d.losesAdmin() && !d.revokeOK { // the user said yes to this, but it may be the only admin key
			heading = "Revoke the old key " + old + " once nothing needs it"
			how = "It is an admin's key and the new one is not: what needs an admin's access stops working " +
				"when it is revoked. Then, in " + link.KeysPage + ", find the key ending " + strings.TrimLeft(old, "•") +
				" and revoke it, and press v to check that Lattice rejects it."
		}
		b.WriteString("\n" + st.Bold.Render(wrap(heading, width)) + "\n")
		if !d.revokeOK {
			b.WriteString(wrap(how, width) + "\n")
		}
		switch {
		case d.revoking.running:
			b.WriteString(d.a.spin.View() + " checking the old key with Lattice…\n")
		case d.revokeOK:
			b.WriteString(st.OK.Render(wrap(check+" "+d.revokeResult, width)) + "\n")
		case d.revokeResult != "":
			b.WriteString(st.Warn.Render(wrap(d.revokeResult, width)) + "\n")
		}
	}
	b.WriteString("\n" + d.scripts(width))
	return lipgloss.NewStyle().Padding(1, 2).Render(strings.TrimRight(b.String(), "\n"))
}

// facts are link's facts about the key, as demoFacts shows them.
func (d *doneScreen) facts() []link.Fact {
	return demoFacts(d.a.link.Demo, d.res.Facts(), d.res.Identity.Endpoint.Region)
}

// demoFacts are facts as the demo shows them: the region's host is the
// stand-in's, on a port that changes every run, so it is named as such.
func demoFacts(demo bool, facts []link.Fact, region lattice.Region) []link.Fact {
	if !demo {
		return facts
	}
	for i, f := range facts {
		if f.Label == "Region" {
			facts[i].Value = region.Label() + " · the demo's stand-in for Lattice"
		}
	}
	return facts
}

// envKeyWords say which key scripts get while LATTICE_API_KEY is set.
func envKeyWords(fp string) string {
	return "LATTICE_API_KEY is set here (" + fp + "): lattice-link token and status use that key, " +
		"not the one stored, until it is unset."
}

// scripts says how scripts use the key; in the demo nothing was stored, so
// it says what works there instead.
func (d *doneScreen) scripts(width int) string {
	st := d.a.styles
	if d.a.link.Demo { // the Stored in row says that nothing was stored
		return st.Bold.Render("Scripts, after a real connect:") + "\n" + wrap(
			"lattice-link status checks the key and lattice-link token prints it (run lattice-link without --demo). "+
				"Try lattice-link --demo again to walk another key.", width)
	}
	command := func(cmd, what string) string {
		if width < 56 { // the description goes under the command
			return "  " + cmd + "\n    " + st.Muted.Render(what) + "\n"
		}
		return "  " + cmd + strings.Repeat(" ", max(24-len(cmd), 1)) + st.Muted.Render(what) + "\n"
	}
	var b strings.Builder
	if env := d.a.opts.EnvKey; env != "" {
		b.WriteString(st.Warn.Render(wrap(envKeyWords(env), width)) + "\n")
	} else {
		b.WriteString(st.Bold.Render("Scripts can use it now:") + "\n")
	}
	b.WriteString(command("lattice-link status", "check that the key still works"))
	// The example is shown whole or not at all: a shell line cut with "…"
	// cannot be copied.
	example := []string{`key=$(lattice-link token)`, `curl -H "Authorization: Bearer $key" \`,
		"  " + d.res.Identity.Endpoint.URL + "/v1/me"}
	for _, l := range example {
		if ansi.StringWidth("    "+l) > width {
			example = nil
			break
		}
	}
	if example == nil {
		b.WriteString(command("lattice-link token", "print the key for a script"))
	} else {
		b.WriteString(command("lattice-link token", "print the key for a script, e.g."))
	}
	for _, l := range example {
		b.WriteString(st.Muted.Render("    "+l) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
