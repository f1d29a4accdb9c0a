package wizard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/sanitize"
)

// connectScreen takes the key in a masked input and checks it with Lattice.
// The key lives only in the input and in the running check, never in a
// message that is shown.
type connectScreen struct {
	input textinput.Model

	checking bool
	checkID  int
	cancel   context.CancelFunc
	waitNote string // why the check is still waiting, e.g. a 429

	note      string // what arrived in the input, or why a paste was cut
	outcome   string // the last check's result: what happened and what to do
	outcomeSt lipgloss.Style
}

func newConnectScreen() connectScreen {
	in := textinput.New()
	in.Prompt = "Key  "
	in.Placeholder = "paste your Lattice API key"
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	in.CharLimit = 4 * lattice.MaxKeyLength
	return connectScreen{input: in}
}

func (s *connectScreen) setStyles(st Styles) {
	s.input.SetStyles(st.Input)
}

// savedMsg reports whether the checked key and its metadata were stored.
type savedMsg struct {
	id    int
	key   string // in memory only, like every key the wizard holds
	where string
	state *config.State // the state written with the key
	err   error
}

func isCheckMsg(msg tea.Msg) bool {
	switch msg.(type) {
	case checkWaitMsg, checkDoneMsg, savedMsg:
		return true
	}
	return false
}

func (m *Model) updateConnect(msg tea.Msg) tea.Cmd {
	s := &m.connect
	switch msg := msg.(type) {
	case checkWaitMsg:
		if msg.id != s.checkID || !s.checking {
			return nil
		}
		s.waitNote = waitNote(msg.wait)
		return listen(msg.events)
	case checkDoneMsg:
		if msg.id != s.checkID || !s.checking {
			return nil
		}
		return m.finishCheck(msg)
	case savedMsg:
		if msg.id != s.checkID {
			return nil
		}
		return m.finishSave(msg)
	case tea.PasteMsg:
		if s.checking || !s.input.Focused() {
			return nil
		}
		s.paste(msg.Content)
		return nil
	case tea.KeyPressMsg:
		return m.connectKey(msg)
	}
	if s.input.Focused() {
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return cmd
	}
	return nil
}

func (m *Model) connectKey(msg tea.KeyPressMsg) tea.Cmd {
	s := &m.connect
	if s.checking {
		if msg.String() == "esc" {
			s.stop()
			s.outcome, s.outcomeSt = "Check cancelled. Press enter to try again.", m.styles.Muted
			return s.input.Focus()
		}
		return nil
	}
	if !s.input.Focused() { // e, tab or enter on a blurred input
		if msg.String() == "enter" && s.input.Value() != "" {
			return m.startCheck()
		}
		return s.input.Focus()
	}
	switch msg.String() {
	case "enter":
		return m.startCheck()
	case "esc":
		s.input.Blur()
		return nil
	case "shift+tab":
		s.input.Blur()
		return m.back()
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	s.describeInput()
	return cmd
}

// paste takes pasted text: only its first non-empty line, since a key is one
// line and a second line is most likely something else copied along with it.
func (s *connectScreen) paste(text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	first, nonEmpty := "", 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			if nonEmpty == 0 {
				first = strings.TrimSpace(l)
			}
			nonEmpty++
		}
	}
	s.input.SetValue(first)
	s.input.CursorEnd()
	s.describeInput()
	if nonEmpty > 1 {
		s.note += fmt.Sprintf(" (the paste had %d lines: kept the first)", nonEmpty)
	}
}

// describeInput acknowledges what is in the input without revealing it.
func (s *connectScreen) describeInput() {
	key, _, err := lattice.NormalizeKey(s.input.Value())
	switch {
	case s.input.Value() == "":
		s.note = ""
	case err != nil:
		s.note = fmt.Sprintf("%d characters", utf8.RuneCountInString(s.input.Value()))
	default:
		s.note = fmt.Sprintf("received %d characters, ending …%s", utf8.RuneCountInString(key),
			strings.TrimLeft(lattice.Fingerprint(key), "•"))
	}
}

// startCheck checks the key in the input with Lattice, in a tea.Cmd.
func (m *Model) startCheck() tea.Cmd {
	s := &m.connect
	key, warn, err := lattice.NormalizeKey(s.input.Value())
	if err != nil {
		s.outcome, s.outcomeSt = err.Error(), m.styles.Err
		return s.input.Focus()
	}
	if m.stored != "" && key == m.stored {
		s.outcome, s.outcomeSt = "That is the key already stored. Generate a new key in Lattice "+
			"(Admin › Settings › API Keys) and paste the new one.", m.styles.Err
		return s.input.Focus()
	}
	s.outcome = ""
	if warn {
		s.outcome, s.outcomeSt = "The key has characters Lattice keys do not usually have; checking it anyway.", m.styles.Warn
	}
	s.stop()
	ctx, cancel := context.WithCancel(context.Background())
	s.checking, s.cancel, s.waitNote = true, cancel, ""
	s.checkID++
	s.input.Blur()
	req := checkRequest{purpose: checkConnect, id: s.checkID, key: key, scim: m.scim.check}
	return tea.Batch(runCheck(ctx, m.opts.Client, req), m.spinner.Tick)
}

// stop cancels a running check, if any.
func (s *connectScreen) stop() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.checking = false
}

func (m *Model) finishCheck(msg checkDoneMsg) tea.Cmd {
	s := &m.connect
	if msg.err != nil {
		s.stop()
		if errors.Is(msg.err, context.Canceled) {
			return nil
		}
		s.outcome, s.outcomeSt = lattice.Explain(msg.err, m.opts.Client), m.styles.Err
		return s.input.Focus()
	}
	m.done = doneScreen{identity: msg.identity, scim: msg.scim, scimErr: msg.scimErr,
		fingerprint: lattice.Fingerprint(msg.key)}
	if m.opts.Store == nil {
		s.stop()
		return m.showDone()
	}
	return m.saveKey(msg)
}

// saveKey stores a key Lattice accepted, with its details, as a tea.Cmd.
func (m *Model) saveKey(msg checkDoneMsg) tea.Cmd {
	m.collect()
	change := ConnectedChange(m.opts.Profile, m.stored, msg.key, msg.identity, m.opts.Client, m.opts.Store)
	m.stateSeq++
	store, folder, base, id, key, seq := m.opts.Store, m.opts.Folder, m.state.Clone(), msg.id, msg.key, m.stateSeq
	return func() tea.Msg {
		next, err := change.Apply(folder, store, base, seq)
		return savedMsg{id: id, key: key, where: store.Where(), state: next, err: err}
	}
}

// ConnectedChange stores key, which Lattice accepted, in place of stored.
func ConnectedChange(profile, stored, key string, id lattice.Identity, client *lattice.Client, store config.Store) config.KeyChange {
	ep, u := id.Endpoint, id.User
	apiURL := ""
	if client.Alternate == nil { // a pinned host: status must use it too
		apiURL = ep.URL
	}
	return config.KeyChange{Profile: profile, Expected: stored, Key: key, Record: func(p *config.Profile) {
		p.Connected(lattice.Fingerprint(key), config.Owner{Name: u.Name, Email: u.Email, IsAdmin: u.IsAdmin},
			string(ep.Region), apiURL, store.Kind(), time.Now().UTC())
	}}
}

func (m *Model) finishSave(msg savedMsg) tea.Cmd {
	s := &m.connect
	s.stop()
	if msg.state != nil {
		m.state = msg.state
	}
	switch {
	case errors.Is(msg.err, config.ErrReplaced):
		s.outcome, s.outcomeSt = "Lattice accepted the key, but "+msg.err.Error()+".", m.styles.Err
		return s.input.Focus()
	case msg.err != nil && msg.state == nil:
		s.outcome = "Lattice accepted the key, but it could not be stored: " + sanitize.Line(msg.err.Error(), 300) +
			"\nNothing was saved. Fix that and press enter to try again, or use --store file."
		s.outcomeSt = m.styles.Err
		return s.input.Focus()
	case msg.err != nil:
		m.flash, m.flashStyle = sanitize.Line(msg.err.Error(), 300), m.styles.Warn
	}
	if m.stored != "" {
		m.done.oldKey, m.done.replaced = m.stored, lattice.Fingerprint(m.stored)
	}
	m.stored = msg.key
	m.done.storedIn = msg.where
	if m.opts.StoreNote != "" {
		m.done.storedIn += "\n" + m.opts.StoreNote
	}
	return m.showDone()
}

func (m *Model) showDone() tea.Cmd {
	m.Result.Connected = true
	m.connect.input.SetValue("") // the key is not needed on screen any more
	m.connect.note = ""
	m.screen = onDone
	m.bodyKey = ""
	m.vp.GotoTop()
	return nil
}

func (s connectScreen) view(st Styles, width int, client *lattice.Client, spin string) string {
	s.input.SetWidth(max(width-len(s.input.Prompt)-2, 8))
	lines := []string{s.input.View()}
	if s.note != "" {
		lines = append(lines, st.Muted.Render(s.note))
	}
	if s.checking {
		region := "Lattice"
		if client != nil {
			region = "Lattice (" + client.Primary.Region.Label() + ")"
		}
		lines = append(lines, spin+" Checking with "+region+"… "+st.Muted.Render("esc cancels"))
		if s.waitNote != "" {
			lines = append(lines, st.Warn.Render(wrap(s.waitNote, width)))
		}
	} else if s.outcome != "" {
		lines = append(lines, s.outcomeSt.Render(wrap(s.outcome, width)))
	}
	return truncateLines(strings.Join(lines, "\n"), width)
}

// demoKeys lists the stand-in's keys under the Connect step's text.
func (m *Model) demoKeys(width int) string {
	st := m.styles
	var b strings.Builder
	b.WriteString(st.Warn.Render("Demo: nothing leaves this machine. Type or paste one of these keys:") + "\n")
	for _, k := range m.opts.DemoKeys {
		b.WriteString("  " + k.Key + "  " + st.Muted.Render(k.What) + "\n")
	}
	return lipgloss.NewStyle().PaddingLeft(2).Render(wrap(strings.TrimRight(b.String(), "\n"), width-4))
}

// DemoKey is a key the built-in stand-in knows, and what it does.
type DemoKey struct{ Key, What string }
