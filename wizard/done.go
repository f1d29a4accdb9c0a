package wizard

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/lattice"
)

// doneScreen says who the key belongs to, where it was stored, and how
// scripts use it.
type doneScreen struct {
	identity    lattice.Identity
	scim        *lattice.SCIM
	scimErr     error
	fingerprint string
	storedIn    string

	// After a rotation: the old key, in memory only, and its fingerprint;
	// v checks that Lattice now rejects it.
	oldKey       string
	replaced     string
	revoking     bool
	revokeID     int
	revokeResult string
	revokeOK     bool
	spin         string
}

// key changes whenever what the screen shows changes.
func (d doneScreen) key() string { return d.fingerprint + d.storedIn + d.revokeResult }

// fact is one line of what the Done screen tells; warn marks a problem.
type fact struct {
	label, value string
	warn         bool
}

// facts are what is known about the connected key, for the screen and for
// plain mode alike.
func (d doneScreen) facts() []fact {
	u := d.identity.User
	owner := u.Name
	if u.Email != "" {
		owner += " <" + u.Email + ">"
	}
	facts := []fact{{label: "Owner", value: owner}}
	if u.IsAdmin {
		facts = append(facts, fact{label: "Role", value: "Admin"})
	} else {
		facts = append(facts, fact{label: "Role", value: "Not an admin: the key can do only what " + firstName(u) + " can", warn: true})
	}
	ep := d.identity.Endpoint
	facts = append(facts,
		fact{label: "Region", value: ep.Region.Label() + " · " + ep.Host()},
		fact{label: "Key", value: d.fingerprint + "  (match it in Admin › Settings › API Keys)"})
	if d.identity.SwitchedRegion {
		facts = append(facts, fact{value: "This key belongs to the " + ep.Region.Label() +
			" region; that is remembered for this profile.", warn: true})
	}
	switch {
	case d.scimErr != nil:
		facts = append(facts, fact{label: "SCIM", value: "could not be checked: " + d.scimErr.Error(), warn: true})
	case d.scim != nil && d.scim.Enabled:
		facts = append(facts, fact{label: "SCIM", value: "enabled, and this key works with it"})
	case d.scim != nil:
		facts = append(facts, fact{label: "SCIM", warn: true, value: fmt.Sprintf(
			"not available (%d): turn it on in Admin › Settings › Platform › Integrations", d.scim.Status)})
	}
	if d.storedIn != "" {
		facts = append(facts, fact{label: "Stored in", value: d.storedIn})
	} else {
		facts = append(facts, fact{label: "Stored in", value: "nowhere: this run keeps no key", warn: true})
	}
	return facts
}

func (d doneScreen) view(st Styles, width int) string {
	const check = "✓"
	width -= 4 // the padding

	var b strings.Builder
	if d.replaced != "" {
		b.WriteString(st.OK.Render(check+" Rotated: the new key is stored") + "\n\n")
	} else {
		b.WriteString(st.OK.Render(check+" Connected to Lattice") + "\n\n")
	}
	for _, f := range d.facts() {
		value := f.value
		if f.warn {
			value = st.Warn.Render(value)
		}
		b.WriteString(row(st, f.label, value, width) + "\n")
	}
	if d.replaced != "" {
		b.WriteString("\n" + st.Bold.Render("Now revoke the old key "+d.replaced+" in Lattice") + "\n")
		b.WriteString(wrap("Admin › Settings › API Keys: find the key ending "+strings.TrimLeft(d.replaced, "•")+
			" and revoke it. Then press v to check that Lattice rejects it.", width) + "\n")
		switch {
		case d.revoking:
			b.WriteString(d.spin + " checking the old key with Lattice…\n")
		case d.revokeOK:
			b.WriteString(st.OK.Render(wrap(check+" "+d.revokeResult, width)) + "\n")
		case d.revokeResult != "":
			b.WriteString(st.Warn.Render(wrap(d.revokeResult, width)) + "\n")
		}
	}
	b.WriteString("\n" + st.Bold.Render("Scripts can use it now:") + "\n")
	b.WriteString("  lattice-link status      " + st.Muted.Render("check that the key still works") + "\n")
	b.WriteString("  lattice-link token       " + st.Muted.Render("print the key for a script, e.g.") + "\n")
	b.WriteString(st.Muted.Render(`    curl -H "Authorization: Bearer $(lattice-link token)" \`) + "\n")
	b.WriteString(st.Muted.Render("      "+d.identity.Endpoint.URL+"/v1/me") + "\n")
	return lipgloss.NewStyle().Padding(1, 2).Render(strings.TrimRight(b.String(), "\n"))
}

func firstName(u lattice.User) string {
	if u.PreferredName != "" {
		return u.PreferredName
	}
	if f := strings.Fields(u.Name); len(f) > 0 {
		return f[0]
	}
	return "its owner"
}

func (m *Model) updateDone(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Quit), msg.String() == "enter":
		return m.quit(false)
	case key.Matches(msg, m.keys.VerifyRevoked):
		return m.checkRevoked()
	default:
		m.scroll(msg)
	}
	return nil
}

func isRevokedMsg(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case checkWaitMsg:
		return msg.purpose == checkRevoked
	case checkDoneMsg:
		return msg.purpose == checkRevoked
	}
	return false
}

// checkRevoked asks Lattice about the old key, at the host the new one
// works on: after a rotation it should be rejected.
func (m *Model) checkRevoked() tea.Cmd {
	d := &m.done
	if d.oldKey == "" || d.revoking {
		return nil
	}
	d.revoking, d.revokeResult = true, ""
	d.revokeID++
	ep := d.identity.Endpoint
	req := checkRequest{purpose: checkRevoked, id: d.revokeID, key: d.oldKey, at: &ep}
	return tea.Batch(runCheck(context.Background(), m.opts.Client, req), m.spinner.Tick)
}

func (m *Model) updateDoneMsg(msg tea.Msg) tea.Cmd {
	d := &m.done
	switch msg := msg.(type) {
	case checkWaitMsg:
		if msg.id == d.revokeID && d.revoking {
			return listen(msg.events)
		}
	case checkDoneMsg:
		if msg.id != d.revokeID || !d.revoking {
			return nil
		}
		d.revoking = false
		switch lattice.KindOf(msg.err) {
		case lattice.Rejected:
			d.revokeResult, d.revokeOK = "Lattice now rejects the old key "+d.replaced+": the rotation is complete.", true
			d.oldKey = "" // nothing left to check: let go of the old key
		case 0:
			d.revokeResult = "The old key " + d.replaced + " still works. Revoke it in Lattice " +
				"(Admin › Settings › API Keys), then press v again."
		default:
			d.revokeResult = "Could not check the old key: " + lattice.Explain(msg.err, m.opts.Client)
		}
	}
	return nil
}
