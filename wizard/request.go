package wizard

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/link"
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

// SaveFileName is where `s` saves the email, in the current folder; a name
// that is taken gets a number instead of being overwritten (link.SaveEmail,
// which plain mode uses too).
const SaveFileName = link.EmailFileName

// requestScreen fills in the request-access email: the answers as inputs,
// the email rendered live below the step's text. Copying, saving or opening
// the email is not sending it: the screen then asks, and only a yes is
// remembered as a request.
type requestScreen struct {
	guideStep
	fields    [fieldCount]textinput.Model
	focus     int // the focused field, or -1
	version   int // bumped on every edit, so the preview is rebuilt only then
	previewAt int // the preview's first line in the body
	askSent   bool
	// picked says the Tool field holds a choice that ↑/↓ put there: what
	// is typed next replaces it rather than running on after it.
	picked bool
	sentAt pending[time.Time] // when the user said it was sent, until that is remembered
	// drawn are the fields' lines as Panel last drew them, and for what.
	drawn [fieldCount]struct{ key, line string }

	edit, copy, save, mail, sent, notSent key.Binding
	nextField, prevField, leave           key.Binding
}

func newRequest(g guideStep) Screen {
	s := &requestScreen{guideStep: g, focus: -1,
		edit:      bind("e/tab", "edit the answers", "e", "tab"),
		copy:      bind("c", "copy email", "c"),
		save:      bind("s", "save email", "s"),
		mail:      bind("o", "mail app", "o"),
		sent:      bind("y", "yes, sent", "y"),
		notSent:   bind("n", "not yet", "n"),
		nextField: bind("tab/enter", "next field", "tab", "enter", "down"),
		prevField: bind("shift+tab", "previous field", "shift+tab", "up"),
		leave:     bind("esc", "done editing", "esc"),
	}
	a := g.a.remembered.Answers
	placeholders := [fieldCount]string{
		"e.g. Acme Inc.", "e.g. Grace Hopper",
		"e.g. sync reviews and goals into our data warehouse",
		"↑/↓ for common choices, or type one", "e.g. within two weeks",
	}
	values := [fieldCount]string{a.Company, a.Name, a.UseCase, a.Tool, a.Timeline}
	for i := range s.fields {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = placeholder(g.a, placeholders[i])
		in.CharLimit = 2000
		in.SetValue(values[i])
		in.SetStyles(g.a.styles.Input)
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

func (s *requestScreen) Focused() bool    { return s.focus >= 0 }
func (s *requestScreen) Revision() string { return strconv.Itoa(s.version) }

func (s *requestScreen) focusField(i int) tea.Cmd {
	s.blurField()
	s.focus = (i + fieldCount) % fieldCount
	return s.fields[s.focus].Focus()
}

func (s *requestScreen) blurField() {
	s.picked = false
	if s.focus >= 0 {
		s.fields[s.focus].Blur()
	}
	s.focus = -1
}

// blur leaves the fields when the screen is left, remembering the answers.
func (s *requestScreen) blur() { s.blurField() }

func (s *requestScreen) Update(msg tea.Msg) (tea.Cmd, action) {
	switch msg := msg.(type) {
	case copiedMsg:
		return s.noteCopied(msg), nil
	case savedFileMsg:
		return s.noteSaved(msg), nil
	case rememberedMsg:
		s.sentAt.done()
		return nil, nil
	}
	if s.Focused() {
		return s.updateField(msg)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, pass
	}
	if s.askSent && key.Matches(k, keyMap.Help) {
		return nil, pass // the help opens over the question, which stays asked
	}
	if s.askSent {
		s.askSent = false
		if key.Matches(k, s.sent) {
			now := time.Now()
			note := "Noted: you asked Lattice for API access today. The next run asks whether they approved."
			if s.a.link.Demo {
				note = "Noted for this run (the demo keeps nothing)."
			}
			s.a.frame.flash(note, flashOK)
			l := s.a.link
			return s.sentAt.set(now, s.a.rememberFor(s, func() (*config.State, error) { return l.MarkRequested(now) })), nil
		}
		if key.Matches(k, s.notSent) {
			s.a.frame.flash("Not noted as sent. Send it when you are ready; the email stays here.", flashInfo)
			return nil, nil
		}
	}
	email := steps.ComposeEmail(s.answers())
	switch {
	case key.Matches(k, s.edit):
		s.a.frame.scrollTo(s.previewAt) // keep the email in sight while typing
		return s.focusField(firstEmpty(s.answers())), nil
	case key.Matches(k, s.copy):
		text, copyNative := email.Text(), s.a.opts.CopyNative
		return tea.Batch(tea.SetClipboard(text), func() tea.Msg {
			if copyNative == nil {
				return copiedMsg{to: s, nativeErr: os.ErrNotExist}
			}
			return copiedMsg{to: s, nativeErr: copyNative(text)}
		}), nil
	case key.Matches(k, s.save):
		text := email.Text()
		return func() tea.Msg { return saveEmail(s, text) }, nil
	case key.Matches(k, s.mail):
		if s.a.opts.SSH {
			s.a.frame.flash("Over SSH a mail app would open on the remote machine: press c to copy the email instead.", flashWarn)
			return nil, nil
		}
		return s.a.open(email.MailtoURL(), s.ask), nil
	}
	return s.navigate(msg, "")
}

// ask puts the question "did you send it?" in sight.
func (s *requestScreen) ask() tea.Cmd {
	s.askSent = true
	return nil
}

// updateField handles a message while a field has focus.
func (s *requestScreen) updateField(msg tea.Msg) (tea.Cmd, action) {
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case paging(kp):
			return nil, pass // the text scrolls; the field has no use for it
		case key.Matches(kp, s.leave), kp.String() == "enter" && s.focus == fieldCount-1:
			s.blurField()
			a := s.answers() // the fields show them meanwhile
			l := s.a.link
			return s.a.remember(func() (*config.State, error) { return l.SaveAnswers(a) }), nil
		case s.focus == fieldTool && (kp.String() == "up" || kp.String() == "down"):
			s.cycleTool(kp.String() == "down")
			return nil, nil
		case key.Matches(kp, s.nextField):
			return s.focusField(s.focus + 1), nil
		case key.Matches(kp, s.prevField):
			return s.focusField(s.focus - 1), nil
		}
	}
	if kp, ok := msg.(tea.KeyPressMsg); ok || isPaste(msg) {
		if s.picked && (!ok || kp.Text != "") {
			s.fields[s.focus].SetValue("") // typing over a picked choice replaces it
		}
		s.picked = false
	}
	before := s.fields[s.focus].Value()
	var cmd tea.Cmd
	s.fields[s.focus], cmd = s.fields[s.focus].Update(msg)
	if s.fields[s.focus].Value() != before {
		s.version++
	}
	_, isKey := msg.(tea.KeyPressMsg)
	return cmd, handled(isKey || isPaste(msg))
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
	s.picked = true
	s.version++
}

func (s *requestScreen) Keys() ([]*key.Binding, [][]*key.Binding) {
	if s.Focused() {
		own := list(&s.nextField, &s.prevField, &s.leave, &keyMap.CtrlC)
		return own, [][]*key.Binding{own, keyMap.Arrows.pages()}
	}
	if s.askSent {
		// "y sent", short, so that at 40 columns the line keeps both answers.
		return list(relabel(s.sent, "y", "sent"), &s.notSent, &keyMap.Help, &keyMap.Quit),
			[][]*key.Binding{list(&s.sent, &s.notSent), list(&keyMap.Help, &keyMap.Quit), keyMap.Scroll.all()}
	}
	// next first, as on the other steps: a narrow help line drops the keys
	// from the middle, then the first, and without next nothing says how to
	// go on once the email is sent (at 40 columns the panel says e).
	short := list(&s.next, &s.edit, &s.copy, &s.save, &s.mail, &keyMap.Back, &keyMap.Help, &keyMap.Quit)
	return short, [][]*key.Binding{list(&s.edit, &s.copy, &s.save, &s.mail),
		list(&s.next, &keyMap.Back, &s.jump, &keyMap.Help, &keyMap.Quit), keyMap.Scroll.all()}
}

func (s *requestScreen) Body(width int) string {
	body := s.markdown(width)
	s.previewAt = strings.Count(body, "\n") + 2
	return body + "\n\n" + s.preview(min(width, maxTextWidth))
}

// Panel is the fields. On a short terminal only the focused field is shown,
// or a one-line hint when none is.
func (s *requestScreen) Panel(width int) string {
	st := s.a.styles
	if s.askSent {
		return st.Bold.Render(wrap("Did you send the email to "+steps.AccessEmail+"?", width)) + "\n" +
			st.Muted.Render("y yes, sent · n not yet")
	}
	var lines []string
	if at := s.sentAt.or(s.a.remembered.AccessRequestedAt); !at.IsZero() {
		lines = append(lines, truncateLines(st.Muted.Render("You sent this request "+link.Ago(at)+"."), width))
	}
	short := s.a.frame.short()
	if short && s.focus < 0 {
		hint := "e: fill in the answers"
		if len(s.answers().Missing()) == 0 { // answered: what is left is sending it
			hint = "c copies the email, s saves it, e edits it"
		}
		return truncateLines(strings.Join(append(lines, st.Muted.Render(wrap(hint, width))), "\n"), width)
	}
	for i := range s.fields {
		if short && i != s.focus {
			continue
		}
		lines = append(lines, s.fieldLine(i, width))
	}
	if s.focus == fieldTool {
		lines = append(lines, truncateLines(st.Muted.Render("↑/↓ common choices, or type the tool's name"), width))
	}
	return strings.Join(lines, "\n")
}

// fieldLine is a field with its label, cut to width. The fields not being
// typed in are drawn again only when their answer, the width or the theme
// changes: on every key only the focused one is.
func (s *requestScreen) fieldLine(i, width int) string {
	st := s.a.styles
	k := fmt.Sprintf("%d/%v/%s", width, st.IsDark, s.fields[i].Value())
	if i != s.focus && s.drawn[i].key == k {
		return s.drawn[i].line
	}
	label := st.FieldName.Render(fieldLabels[i])
	inWidth := max(width-12, 10)
	if i == s.focus {
		label = st.Accent.Width(10).Render(fieldLabels[i])
		fitInput(&s.fields[i], inWidth) // it scrolls with the cursor
	}
	in := s.fields[i]
	if i != s.focus {
		// The answer from its start, cut with a mark below: without a
		// width the input forgets how far it had scrolled.
		in.SetWidth(0)
		in.SetCursor(in.Position())
		in.SetWidth(inWidth)
	}
	in.Placeholder = cut(in.Placeholder, inWidth) // the input cuts it without a mark
	line := truncateLines(label+" "+in.View(), width)
	if i == s.focus {
		k = "" // the cursor moves: never reused
	}
	s.drawn[i].key, s.drawn[i].line = k, line
	return line
}

// preview is the email as it will be sent, under the step's text, set off
// by a bar. It is rebuilt on every edit, so it is plain wrapping, no boxes.
func (s *requestScreen) preview(width int) string {
	st := s.a.styles
	a := s.answers()
	e := steps.ComposeEmail(a)
	inner := max(width-6, 20)
	bar := st.Rule.Render("│") + " "
	var b strings.Builder
	b.WriteString(st.Bold.Render("The email") + "\n\n")
	text := st.Muted.Render("To:      ") + e.To + "\n" + st.Muted.Render("Subject: ") + e.Subject + "\n\n" +
		strings.TrimRight(e.Body, "\n")
	for _, line := range strings.Split(wrap(text, inner), "\n") {
		b.WriteString(bar + line + "\n")
	}
	if missing := a.Missing(); len(missing) > 0 {
		b.WriteString("\n" + st.Muted.Render(wrap("Still to answer: "+strings.Join(missing, ", ")+
			". The email works as it is; the [brackets] show what to fill in.", inner+2)))
	}
	return indent(strings.TrimRight(b.String(), "\n"), 2)
}

// Messages from the email actions.
type (
	copiedMsg struct {
		to        *requestScreen
		nativeErr error
	}
	savedFileMsg struct {
		to   *requestScreen
		path string
		err  error
	}
)

func (m copiedMsg) owner() Screen    { return m.to }
func (m savedFileMsg) owner() Screen { return m.to }

// saveEmail writes the email to a new file in the current folder, never
// through a link and never over an existing file: a taken name gets a
// number.
func saveEmail(to *requestScreen, text string) savedFileMsg {
	path, err := link.SaveEmail(text)
	return savedFileMsg{to: to, path: path, err: err}
}

func firstEmpty(a steps.Answers) int {
	for i, v := range []string{a.Company, a.Name, a.UseCase, a.Tool, a.Timeline} {
		if strings.TrimSpace(v) == "" {
			return i
		}
	}
	return 0
}

func (s *requestScreen) noteCopied(msg copiedMsg) tea.Cmd {
	if msg.nativeErr == nil {
		s.a.frame.flash("Copied the email to the clipboard. Paste it into a new message and send it.", flashOK)
	} else {
		// Two paragraphs: what happened, then what to do, which a short
		// window keeps first.
		s.a.frame.flash("Copied the email through your terminal: the system clipboard did not answer.\n"+
			"Nothing to paste? Press s to save it instead. In tmux, copying needs set -g set-clipboard on.", flashWarn)
	}
	return s.ask()
}

func (s *requestScreen) noteSaved(msg savedFileMsg) tea.Cmd {
	if msg.err != nil {
		s.a.frame.flash("Could not save the email: "+sanitize.Line(msg.err.Error(), 300)+". It is still here: copy it with c.", flashErr)
		return nil
	}
	// The file's name first, where a narrow window keeps it whole: the
	// folder is what may be cut.
	path := sanitize.Line(msg.path, 0)
	s.a.frame.flash("Saved "+filepath.Base(path)+" in "+filepath.Dir(path)+".\nSend it to "+steps.AccessEmail+".", flashOK)
	return s.ask()
}
