package wizard

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// homeScreen is what a re-run shows when a key is stored: the key's live
// status and what can be done with it.
type homeScreen struct {
	checking bool
	checkID  int
	cancel   context.CancelFunc
	waitNote string

	status   string // the last check, in words
	statusSt lipgloss.Style
	rejected bool // Lattice rejected the stored key: rotation is the way out

	confirmForget bool
	message       string // the result of forgetting, or why it failed
}

// forgotMsg reports whether the stored key was forgotten.
type forgotMsg struct {
	state *config.State
	err   error
}

// recheck checks the stored key with Lattice.
func (m *Model) recheck() tea.Cmd {
	h := &m.home
	if h.cancel != nil {
		h.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.checking, h.cancel, h.waitNote = true, cancel, ""
	h.checkID++
	h.status = ""
	req := checkRequest{purpose: checkStored, id: h.checkID, key: m.stored}
	return tea.Batch(runCheck(ctx, m.opts.Client, req), m.spinner.Tick)
}

func (m *Model) updateHome(msg tea.Msg) tea.Cmd {
	h := &m.home
	switch msg := msg.(type) {
	case checkWaitMsg:
		if msg.id == h.checkID && h.checking {
			h.waitNote = waitNote(msg.wait)
			return listen(msg.events)
		}
	case checkDoneMsg:
		if msg.id != h.checkID || !h.checking {
			return nil
		}
		h.checking, h.cancel, h.waitNote = false, nil, ""
		return m.noteStoredCheck(msg)
	case forgotMsg:
		if msg.err != nil {
			h.message = "Could not forget the key: " + sanitize.Line(msg.err.Error(), 300)
			return nil
		}
		m.state = msg.state
		fp := lattice.Fingerprint(m.stored)
		m.home, m.stored = homeScreen{}, ""
		m.flash, m.flashStyle = "Forgot the key "+fp+". It still works until you revoke it in Lattice "+
			"(Admin › Settings › API Keys).", m.styles.Warn
		m.screen, m.step, m.history = onStep, steps.Prerequisites, nil
		return m.enterStep()
	case tea.KeyPressMsg:
		return m.homeKey(msg)
	}
	return nil
}

func (m *Model) homeKey(msg tea.KeyPressMsg) tea.Cmd {
	h := &m.home
	if h.confirmForget {
		h.confirmForget = false
		if msg.String() == "y" {
			return m.forget()
		}
		h.message = "Kept the key."
		return nil
	}
	h.message = ""
	switch {
	case key.Matches(msg, m.keys.Rotate):
		m.screen, m.step, m.history = onStep, steps.Connect, nil
		return m.enterStep()
	case key.Matches(msg, m.keys.Recheck):
		return m.recheck()
	case key.Matches(msg, m.keys.Guide):
		m.screen, m.step, m.history = onStep, steps.Prerequisites, nil
		return m.enterStep()
	case key.Matches(msg, m.keys.Forget):
		h.confirmForget = true
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
	case key.Matches(msg, m.keys.Quit):
		return m.quit(false)
	default:
		m.scroll(msg)
	}
	return nil
}

// noteStoredCheck shows the result of checking the stored key and
// remembers it.
func (m *Model) noteStoredCheck(msg checkDoneMsg) tea.Cmd {
	h := &m.home
	p := m.profile()
	if errors.Is(msg.err, context.Canceled) {
		return nil
	}
	h.rejected = false
	switch lattice.KindOf(msg.err) {
	case 0:
		u := msg.identity.User
		p.Owner = config.Owner{Name: u.Name, Email: u.Email, IsAdmin: u.IsAdmin}
		p.CheckedAt, p.CheckResult = time.Now().UTC(), "valid"
		h.status, h.statusSt = "valid: Lattice accepted it just now", m.styles.OK
		if msg.identity.SwitchedRegion {
			p.Region = string(msg.identity.Endpoint.Region)
			h.status += " (in the " + msg.identity.Endpoint.Region.Label() + " region)"
		}
	case lattice.Rejected, lattice.Forbidden:
		p.CheckedAt, p.CheckResult = time.Now().UTC(), "rejected"
		h.rejected = true
		h.status, h.statusSt = "REJECTED: Lattice no longer accepts this key. Press r to replace it.", m.styles.Err
	default:
		h.status, h.statusSt = "could not check: "+lattice.Explain(msg.err, m.opts.Client), m.styles.Warn
		return nil
	}
	return m.persist()
}

// forget removes the stored key and its details, as a tea.Cmd.
func (m *Model) forget() tea.Cmd {
	m.collect()
	change := config.KeyChange{Profile: m.opts.Profile, Expected: m.stored, Record: (*config.Profile).Forgotten}
	m.stateSeq++
	store, folder, base, seq := m.opts.Store, m.opts.Folder, m.state.Clone(), m.stateSeq
	return func() tea.Msg {
		next, err := change.Apply(folder, store, base, seq)
		if config.IsStateOnly(err) {
			err = nil // forgotten, with stale details left: still forgotten
		}
		return forgotMsg{state: next, err: err}
	}
}

// view shows the stored key's fingerprint as computed from the key itself:
// state.json can lag behind the store after a crash between the two writes.
func (h homeScreen) view(st Styles, p *config.Profile, fp string, client *lattice.Client, where, spin string, width int) string {
	width -= 4 // the padding
	row := func(label, value string) string { return row(st, label, value, width) }
	var b strings.Builder
	b.WriteString(st.Bold.Render("Lattice is linked on this machine.") + "\n\n")
	rows := []string{row("Key", fp+st.Muted.Render("  (match it in Admin › Settings › API Keys)"))}
	if p.Owner.Name != "" || p.Owner.Email != "" {
		owner := p.Owner.Name
		if p.Owner.Email != "" {
			owner += " <" + p.Owner.Email + ">"
		}
		if p.Owner.IsAdmin {
			owner += st.Muted.Render(" · admin")
		} else {
			owner += st.Warn.Render(" · not an admin")
		}
		rows = append(rows, row("Owner", owner))
	}
	region := p.Region
	if region == "" && client != nil {
		region = string(client.Primary.Region)
	}
	host := ""
	if client != nil {
		host = " · " + client.Primary.Host()
	}
	rows = append(rows, row("Region", strings.ToUpper(region)+host))
	stored := where
	if !p.CreatedAt.IsZero() {
		stored = ago(p.CreatedAt) + ", in " + where
	}
	rows = append(rows, row("Stored", stored))
	if n := len(p.Rotations); n > 0 {
		rows = append(rows, row("Rotated", plural(n, "time")+", last "+ago(p.Rotations[n-1].At)))
	}
	switch {
	case h.checking:
		line := spin + " checking with Lattice…"
		if h.waitNote != "" {
			line += "\n" + st.Warn.Render(h.waitNote)
		}
		rows = append(rows, row("Status", line))
	case h.status != "":
		rows = append(rows, row("Status", h.statusSt.Render(h.status)))
	}
	if !p.CheckedAt.IsZero() && !h.checking && h.status == "" {
		rows = append(rows, row("Checked", ago(p.CheckedAt)))
	}
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	return lipgloss.NewStyle().Padding(1, 2).Render(strings.TrimRight(b.String(), "\n"))
}

// panel is the question or message under the status, kept in sight.
func (h homeScreen) panel(st Styles, fp string, width int) string {
	switch {
	case h.confirmForget:
		return st.Warn.Render(wrap("Forget the stored key "+fp+"? It keeps working until you revoke it "+
			"in Lattice. Press y to forget it, any other key to keep it.", width))
	case h.message != "":
		return st.Warn.Render(wrap(h.message, width))
	}
	return ""
}

func isHomeMsg(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case checkWaitMsg:
		return msg.purpose == checkStored
	case checkDoneMsg:
		return msg.purpose == checkStored
	case forgotMsg:
		return true
	}
	return false
}
