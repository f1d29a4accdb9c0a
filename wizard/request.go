package wizard

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// The request-access fields, in the order tab visits them.
const (
	fieldCompany = iota
	fieldName
	fieldUseCase
	fieldTool
	fieldTimeline
	fieldCount
)

var fieldLabels = [fieldCount]string{"Company", "Your name", "Use case", "Tool", "Timeline"}

// SaveFileName is where `s` saves the email, in the current folder.
const SaveFileName = "lattice-api-access-request.txt"

// requestScreen fills in the request-access email: the answers as inputs,
// the email rendered live below the step's text.
type requestScreen struct {
	fields    [fieldCount]textinput.Model
	focus     int // the focused field, or -1
	version   int // bumped on every edit, so the preview is rebuilt only then
	previewAt int // the preview's first line in the viewport
}

func newRequestScreen(a steps.Answers) requestScreen {
	s := requestScreen{focus: -1}
	placeholders := [fieldCount]string{
		"e.g. Acme Inc.", "e.g. Grace Hopper",
		"e.g. sync reviews and goals into our data warehouse",
		"↑/↓ for common choices, or type one", "e.g. within two weeks",
	}
	values := [fieldCount]string{a.Company, a.Name, a.UseCase, a.Tool, a.Timeline}
	for i := range s.fields {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = placeholders[i]
		in.CharLimit = 2000
		in.SetValue(values[i])
		s.fields[i] = in
	}
	return s
}

func (s *requestScreen) setStyles(st Styles) {
	for i := range s.fields {
		s.fields[i].SetStyles(st.Input)
	}
}

func (s *requestScreen) answers() steps.Answers {
	v := func(i int) string { return s.fields[i].Value() }
	return steps.Answers{Company: v(fieldCompany), Name: v(fieldName), UseCase: v(fieldUseCase),
		Tool: v(fieldTool), Timeline: v(fieldTimeline)}
}

func (s *requestScreen) focused() bool { return s.focus >= 0 }

func (s *requestScreen) focusField(i int) tea.Cmd {
	s.blur()
	s.focus = (i + fieldCount) % fieldCount
	return s.fields[s.focus].Focus()
}

func (s *requestScreen) blur() {
	if s.focus >= 0 {
		s.fields[s.focus].Blur()
	}
	s.focus = -1
}

// update handles a message while a field has focus.
func (s *requestScreen) update(msg tea.Msg, k keyMap) tea.Cmd {
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case kp.String() == "esc":
			s.blur()
			return nil
		case s.focus == fieldTool && (kp.String() == "up" || kp.String() == "down"):
			s.cycleTool(kp.String() == "down")
			return nil
		case kp.String() == "enter" && s.focus == fieldCount-1:
			s.blur()
			return nil
		case kp.String() == "enter", key.Matches(kp, k.NextField):
			return s.focusField(s.focus + 1)
		case key.Matches(kp, k.PrevField):
			return s.focusField(s.focus - 1)
		}
	}
	before := s.fields[s.focus].Value()
	var cmd tea.Cmd
	s.fields[s.focus], cmd = s.fields[s.focus].Update(msg)
	if s.fields[s.focus].Value() != before {
		s.version++
	}
	return cmd
}

// cycleTool steps through the common answers to the third-party question.
func (s *requestScreen) cycleTool(forward bool) {
	f := &s.fields[fieldTool]
	i := -1
	for j, c := range steps.ToolChoices {
		if c == f.Value() {
			i = j
		}
	}
	n := len(steps.ToolChoices)
	switch {
	case forward:
		i = (i + 1) % n
	case i <= 0:
		i = n - 1
	default:
		i--
	}
	f.SetValue(steps.ToolChoices[i])
	f.CursorEnd()
	s.version++
}

// view is the panel of fields. On a short terminal only the focused field
// is shown, or a one-line hint when none is.
func (s requestScreen) view(st Styles, width int, short bool, requestedAt time.Time) string {
	var lines []string
	if !requestedAt.IsZero() {
		lines = append(lines, st.Muted.Render("You sent this request "+ago(requestedAt)+"."))
	}
	switch {
	case short && s.focus < 0:
		lines = append(lines, st.Muted.Render("tab: fill in the answers · c copy · s save · o mail app"))
	default:
		for i := range s.fields {
			if short && i != s.focus {
				continue
			}
			in := s.fields[i]
			label := st.FieldName.Render(fieldLabels[i])
			if i == s.focus {
				label = st.Accent.Width(10).Render(fieldLabels[i])
			}
			in.SetWidth(max(width-12, 10))
			lines = append(lines, label+" "+in.View())
		}
		if s.focus < 0 {
			lines = append(lines, st.Muted.Render("tab to edit the answers · c copy · s save · o open in mail app"))
		} else if s.focus == fieldTool {
			lines = append(lines, st.Muted.Render("↑/↓ common choices · tab next · esc done"))
		} else {
			lines = append(lines, st.Muted.Render("tab next · shift+tab previous · esc done"))
		}
	}
	return truncateLines(strings.Join(lines, "\n"), width)
}

// preview is the email as it will be sent, under the step's text, set off
// by a bar. It is rebuilt on every edit, so it is plain wrapping, no boxes.
func (s requestScreen) preview(st Styles, width int) string {
	a := s.answers()
	e := steps.ComposeEmail(a)
	inner := max(width-6, 20)
	bar := st.Rule.Render("│") + " "
	var b strings.Builder
	b.WriteString(st.Bold.Render("The email") + "\n\n")
	text := st.Muted.Render("To:      ") + e.To + "\n" + st.Muted.Render("Subject: ") + e.Subject + "\n\n" +
		strings.TrimRight(e.Body, "\n")
	for _, line := range strings.Split(ansi.Wrap(text, inner, ""), "\n") {
		b.WriteString(bar + line + "\n")
	}
	if missing := a.Missing(); len(missing) > 0 {
		b.WriteString("\n" + st.Muted.Render(ansi.Wrap("Still to answer: "+strings.Join(missing, ", ")+
			". The email works as it is; the [brackets] show what to fill in.", inner+2, "")))
	}
	return indent(strings.TrimRight(b.String(), "\n"), 2)
}

// Messages from the email actions.
type (
	copiedMsg    struct{ nativeErr error }
	savedFileMsg struct {
		path string
		err  error
	}
)

func (m *Model) updateRequestKeys(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	email := steps.ComposeEmail(m.request.answers())
	switch {
	case key.Matches(msg, m.keys.Edit):
		m.vp.SetYOffset(m.request.previewAt) // keep the email in sight while typing
		return true, m.request.focusField(firstEmpty(m.request.answers()))
	case key.Matches(msg, m.keys.Copy):
		text := email.Text()
		copyNative := m.opts.CopyNative
		return true, tea.Batch(tea.SetClipboard(text), func() tea.Msg {
			if copyNative == nil {
				return copiedMsg{nativeErr: os.ErrNotExist}
			}
			return copiedMsg{nativeErr: copyNative(text)}
		})
	case key.Matches(msg, m.keys.Save):
		text := email.Text()
		return true, func() tea.Msg {
			path, err := filepath.Abs(SaveFileName)
			if err == nil {
				err = os.WriteFile(path, []byte(text), 0o644)
			}
			return savedFileMsg{path: path, err: err}
		}
	case key.Matches(msg, m.keys.Open):
		if m.opts.SSH {
			m.flash, m.flashStyle = "Over SSH a mail app would open on the remote machine: press c to copy the email instead.", m.styles.Warn
			return true, nil
		}
		return true, m.open(email.MailtoURL())
	}
	return false, nil
}

func firstEmpty(a steps.Answers) int {
	for i, v := range []string{a.Company, a.Name, a.UseCase, a.Tool, a.Timeline} {
		if strings.TrimSpace(v) == "" {
			return i
		}
	}
	return 0
}

func (m *Model) noteCopied(msg copiedMsg) tea.Cmd {
	if msg.nativeErr == nil {
		m.flash, m.flashStyle = "Copied the email to the clipboard. Paste it into a new message and send it.", m.styles.OK
	} else {
		m.flash, m.flashStyle = "Sent the email to your terminal's clipboard (OSC 52). Nothing to paste? "+
			"Enable OSC 52 in your terminal (tmux: set -g set-clipboard on), or press s to save it.", m.styles.Warn
	}
	return m.markRequested()
}

func (m *Model) noteSavedFile(msg savedFileMsg) tea.Cmd {
	if msg.err != nil {
		m.flash, m.flashStyle = "Could not save the email: "+sanitize.Line(msg.err.Error(), 300)+". It is still here: copy it with c.", m.styles.Err
		return nil
	}
	m.flash, m.flashStyle = "Saved the email to "+sanitize.Line(msg.path, 0), m.styles.OK
	return m.markRequested()
}
