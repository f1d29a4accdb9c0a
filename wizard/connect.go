package wizard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/lattice"
)

// connectScreen takes the key in a masked input and checks it with Lattice.
// The key lives only in the input and in the running check, never in a
// message that is shown.
type connectScreen struct {
	input   textinput.Model
	spinner spinner.Model
	ascii   bool

	checking bool
	checkID  int
	cancel   context.CancelFunc
	waitNote string // why the check is still waiting, e.g. a 429

	note      string // what arrived in the input, or why a paste was cut
	outcome   string // the last check's result: what happened and what to do
	outcomeSt lipgloss.Style
}

func newConnectScreen(ascii bool) connectScreen {
	in := textinput.New()
	in.Prompt = "Key  "
	in.Placeholder = "paste your Lattice API key"
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	if ascii {
		in.EchoCharacter = '*'
	}
	in.CharLimit = 4 * lattice.MaxKeyLength
	sp := spinner.New(spinner.WithSpinner(spinner.Dot))
	if ascii {
		sp.Spinner = spinner.Line
	}
	return connectScreen{input: in, spinner: sp, ascii: ascii}
}

func (s *connectScreen) setStyles(st Styles) {
	s.input.SetStyles(st.Input)
	s.spinner.Style = st.Accent
}

// Messages of a running check. id ties them to the check that sent them, so
// a cancelled check's late answer is ignored.
type (
	checkWaitMsg struct {
		id     int
		wait   lattice.Wait
		events <-chan tea.Msg
	}
	checkDoneMsg struct {
		id       int
		key      string
		identity lattice.Identity
		err      error
		scim     *lattice.SCIM
		scimErr  error
	}
	savedMsg struct {
		id    int
		where string
		err   error
	}
)

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
		s.waitNote = fmt.Sprintf("%s: waiting %s, then trying again (attempt %d of 3)…",
			msg.wait.Reason, roundDuration(msg.wait.Duration), msg.wait.Attempt)
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
	case spinner.TickMsg:
		if !s.checking {
			return nil
		}
		var cmd tea.Cmd
		s.spinner, cmd = s.spinner.Update(msg)
		return cmd
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
		s.note = fmt.Sprintf("received %d characters, ending %s", utf8.RuneCountInString(key),
			strings.TrimLeft(lattice.Fingerprint(key), "•"))
		if s.ascii {
			s.note = strings.Replace(s.note, "ending ", "ending ...", 1)
		} else {
			s.note = strings.Replace(s.note, "ending ", "ending …", 1)
		}
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
	s.outcome = ""
	if warn {
		s.outcome, s.outcomeSt = "The key has characters Lattice keys do not usually have; checking it anyway.", m.styles.Warn
	}
	s.stop()
	ctx, cancel := context.WithCancel(context.Background())
	s.checking, s.cancel, s.waitNote = true, cancel, ""
	s.checkID++
	s.input.Blur()
	return tea.Batch(runCheck(ctx, s.checkID, m.opts.Client, key, m.scim.check), s.spinner.Tick)
}

// stop cancels a running check, if any.
func (s *connectScreen) stop() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.checking = false
}

// runCheck verifies the key (and SCIM, when asked) in the background. Waits
// on the way are reported as they happen; the last message is the result.
func runCheck(ctx context.Context, id int, client *lattice.Client, key string, scim bool) tea.Cmd {
	events := make(chan tea.Msg, 8)
	go func() {
		hooked := lattice.WithWaitHook(ctx, func(w lattice.Wait) {
			select {
			case events <- checkWaitMsg{id: id, wait: w, events: events}:
			default:
			}
		})
		done := checkDoneMsg{id: id, key: key}
		done.identity, done.err = client.Verify(hooked, key)
		if done.err == nil && scim {
			r, err := client.CheckSCIM(hooked, key, done.identity.Endpoint)
			done.scim, done.scimErr = &r, err
		}
		select {
		case events <- done:
		case <-ctx.Done():
		}
	}()
	return listen(events)
}

func listen(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg { return <-events }
}

func (m *Model) finishCheck(msg checkDoneMsg) tea.Cmd {
	s := &m.connect
	if msg.err != nil {
		s.stop()
		if errors.Is(msg.err, context.Canceled) {
			return nil
		}
		s.outcome, s.outcomeSt = describeError(msg.err, m.opts.Client), m.styles.Err
		return s.input.Focus()
	}
	m.done = doneScreen{identity: msg.identity, scim: msg.scim, scimErr: msg.scimErr,
		fingerprint: lattice.Fingerprint(msg.key), ascii: m.opts.ASCII}
	if m.opts.Store == nil {
		s.stop()
		return m.showDone()
	}
	store, profile, id := m.opts.Store, m.opts.Profile, msg.id
	key := msg.key
	return func() tea.Msg {
		err := store.Set(profile, key)
		return savedMsg{id: id, where: store.Where(), err: err}
	}
}

func (m *Model) finishSave(msg savedMsg) tea.Cmd {
	s := &m.connect
	s.stop()
	if msg.err != nil {
		s.outcome = "Lattice accepted the key, but it could not be stored: " + msg.err.Error() +
			"\nNothing was saved. Fix that, then press enter to try again, or use --store file."
		s.outcomeSt = m.styles.Err
		return s.input.Focus()
	}
	m.done.storedIn = msg.where
	return m.showDone()
}

func (m *Model) showDone() tea.Cmd {
	m.Result.Connected = true
	m.connect.input.SetValue("") // the key is no longer needed on screen's side
	m.connect.note = ""
	m.screen = onDone
	m.bodyKey = ""
	m.vp.GotoTop()
	return nil
}

// describeError says what happened and what to do next. It never contains
// the key, and Lattice's own text never reaches it.
func describeError(err error, client *lattice.Client) string {
	var e *lattice.Error
	if !errors.As(err, &e) {
		return "The check failed: " + err.Error()
	}
	region := ""
	if client != nil {
		region = client.Primary.Region.Label()
	}
	switch e.Kind {
	case lattice.Rejected:
		where := "It may be mistyped, revoked, or from the other region."
		if client != nil && client.Alternate != nil {
			where = "It may be mistyped or revoked (it was tried in both the US and EMEA regions)."
		}
		return "Lattice rejected this key (401). " + where +
			"\nCopy it again from Admin › Settings › API Keys, or generate a new one, and paste it here."
	case lattice.Forbidden:
		return "Lattice knows this key but would not say who owns it (403).\n" +
			"Keys carry the rights of the person who created them: create one from an admin account."
	case lattice.RateLimited:
		return fmt.Sprintf("Lattice is limiting requests (429) and asked to wait %s.\nWait a moment, then press enter to try again.",
			roundDuration(e.RetryAfter))
	case lattice.ServerError:
		return fmt.Sprintf("Lattice answered with a server error (%d), three times in a row.\n"+
			"The problem is on Lattice's side: try again in a few minutes.", e.Status)
	case lattice.Unreachable:
		return fmt.Sprintf("Could not reach Lattice (%s, %s): %s.\n", e.Host, region, e.Detail) +
			"Check your connection. Behind a proxy, set HTTPS_PROXY; it is honoured."
	default:
		return "Unexpected answer from " + e.Host + ": " + e.Detail + ".\n" +
			"Check --region and --api-url. If it goes on, Lattice's API may have changed."
	}
}

func (s connectScreen) view(st Styles, width int, client *lattice.Client) string {
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
		line := s.spinner.View() + " Checking with " + region + "… " + st.Muted.Render("esc cancels")
		if s.ascii {
			line = strings.ReplaceAll(line, "…", "...")
		}
		lines = append(lines, line)
		if s.waitNote != "" {
			lines = append(lines, st.Warn.Render(s.waitNote))
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
