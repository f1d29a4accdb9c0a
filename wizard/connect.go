package wizard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
)

// connectScreen takes the key in a masked input and connects it: checked
// with Lattice, stored only when Lattice accepts it. With a key stored, it
// is the rotation: the new key replaces the old one. The key lives only in
// the input and in the running check, never in anything shown.
type connectScreen struct {
	guideStep
	input textinput.Model
	job

	note    string // what is in the input, described without revealing it
	outcome string // the last check's result: what happened and what to do
	outKind flashKind

	// storedKey says the check running hands over the key stored here.
	storedKey bool
	// heldForLink says the input let go of focus because the link could
	// not take a key yet.
	heldForLink bool
	// question is a rotation waiting for the user's yes (rotate.go).
	question *ownerQuestion
	// skipSCIM is closed by esc while the check waits for SCIM's answer:
	// the key Lattice accepted is then connected, SCIM not checked.
	skipSCIM chan struct{}

	submit, leave, edit, cancelCheck, skip, noApp, retry key.Binding
}

func newConnect(g guideStep) Screen {
	in := textinput.New()
	in.Prompt = "Key  "
	in.Placeholder = placeholder(g.a, "paste your Lattice API key")
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	in.CharLimit = 4 * lattice.MaxKeyLength
	in.SetStyles(g.a.styles.Input)
	return &connectScreen{guideStep: g, input: in,
		submit:      bind("enter", "check key", "enter"),
		leave:       bind("esc", "leave input", "esc"),
		edit:        bind("e/tab", "back to the input", "e", "tab"),
		cancelCheck: bind("esc", "cancel check", "esc"),
		skip:        bind("esc", "skip SCIM", "esc"),
		noApp:       bind("x", "connect for this machine only", "x"),
		retry:       bind("r", "try the link again", "r"),
	}
}

// connectedMsg is the end of a connect: the key stored, or why not.
type connectedMsg struct {
	to  *connectScreen
	id  int
	res link.Connected
	key string // in memory only, like every key the wizard holds
	old string // the stored key it replaces, "" for none
	err error
}

func (m connectedMsg) owner() Screen { return m.to }

func (s *connectScreen) setStyles(st Styles) { s.input.SetStyles(st.Input) }
func (s *connectScreen) Focused() bool       { return s.input.Focused() }
func (s *connectScreen) blur()               { s.input.Blur() }

func (s *connectScreen) Title() string {
	if s.a.handoff != nil {
		return s.guideStep.Title() + " · for an app"
	}
	if s.a.stored != "" {
		return "Rotate · replace " + lattice.Fingerprint(s.a.stored)
	}
	return s.guideStep.Title()
}

// Enter focuses the input, unless a check runs or the link given cannot
// take a key.
func (s *connectScreen) Enter() tea.Cmd {
	if s.deadLink() {
		s.heldForLink = true // focused once the link can take a key
		return nil
	}
	if s.running {
		return nil
	}
	return s.input.Focus()
}

func (s *connectScreen) Update(msg tea.Msg) (tea.Cmd, action) {
	switch msg := msg.(type) {
	case waitMsg:
		return s.waited(msg), nil
	case stageMsg:
		return s.staged(msg), nil
	case connectedMsg:
		if !s.done(msg.id) {
			if msg.err != nil {
				return nil, nil
			}
			// Cancelled while the key was being written: it is stored, and
			// the screen must not go on saying the check was cancelled.
			s.stop()
			s.a.frame.flash("The check had already finished: Lattice accepted the key and it is stored.", flashInfo)
		}
		return s.finish(msg)
	case handedOffMsg:
		if !s.done(msg.id) {
			if msg.err != nil || msg.changed {
				return nil, nil
			}
			// Cancelled after Nango had taken the key: the app has it.
			s.stop()
			s.a.frame.flash("The hand-off had already finished: the app has the key.", flashInfo)
		}
		return s.finishHandOff(msg)
	case sessionMsg:
		return s.noteSession(msg), nil
	case handStoredMsg: // from the home screen: the key stored here goes to the app
		if s.a.handoff != nil && s.a.stored != "" && !s.running {
			s.input.SetValue("")
			s.note = "Handing over the key stored here, " + lattice.Fingerprint(s.a.stored) + "."
			s.storedKey = true
			return s.check(s.a.stored), nil
		}
		return nil, nil
	case tea.PasteMsg:
		switch {
		case s.question != nil:
			s.question.note = "Answer first: press y to replace " + s.question.p.OldPrint + ", n to keep it."
		case s.running:
		case s.input.Focused():
			return s.paste(msg.Content), nil
		case s.deadLink(): // the one thing to paste now is another link
			return s.pasteLink(msg.Content), nil
		}
		return nil, nil
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	if s.input.Focused() {
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return cmd, pass
	}
	return nil, pass
}

func (s *connectScreen) key(msg tea.KeyPressMsg) (tea.Cmd, action) {
	if s.question != nil {
		return s.answer(msg)
	}
	if s.running {
		if s.waitingForSCIM() && key.Matches(msg, s.skip) {
			// Lattice accepted the key: esc stops waiting for SCIM only,
			// it never throws the key away now.
			if s.skipSCIM != nil {
				close(s.skipSCIM)
				s.skipSCIM = nil
			}
			return nil, nil
		}
		if key.Matches(msg, s.cancelCheck) {
			sent := s.a.handoff != nil && s.stage >= link.StageNango && s.stage != link.StageSCIM
			s.stop()
			if sent { // the key was on its way to Nango: whether it arrived is not known here
				s.setOutcome("Stopped while the key was being sent to Nango: the app may have it. Ask the app "+
					"whether it is connected before you send it again.", flashWarn)
			} else {
				s.setOutcome("Check cancelled. Press enter to try again.", flashInfo)
			}
			return s.input.Focus(), nil
		}
		// While it runs the text still scrolls and the help still opens.
		return nil, handled(!key.Matches(msg, keyMap.CtrlC, keyMap.Help, keyMap.Arrows.Up, keyMap.Arrows.Down,
			keyMap.Arrows.PageUp, keyMap.Arrows.PageDown))
	}
	if key.Matches(msg, s.submit) && s.a.withPaste() {
		// A paste can carry an enter after a fake end of paste, with a key
		// of someone else's: the user presses enter.
		s.setOutcome("Enter came with the paste, so the key was not checked yet: press enter to check it.", flashInfo)
		return nil, nil
	}
	if !s.input.Focused() && s.a.handoff.undecided() {
		for _, b := range s.a.handoff.questionKeys() {
			if key.Matches(msg, *b) && s.a.withPaste() { // an answer is pressed, never pasted
				s.note = "Keys that come with a paste are not taken as answers: press the key again."
				return nil, nil
			}
		}
		if cmd, ok := s.a.handoff.answer(msg, s); ok {
			return cmd, nil
		}
	}
	if !s.input.Focused() {
		switch {
		case s.deadLink() && key.Matches(msg, s.noApp):
			return s.dropLink(), nil
		case s.a.handoff.passing() && key.Matches(msg, s.retry):
			s.note = ""
			return s.a.handoff.retry(s), nil
		case s.deadLink() && (key.Matches(msg, s.submit) || key.Matches(msg, s.edit)):
			return nil, nil // no key can go to this link: the panel says what can be done
		case key.Matches(msg, s.submit) && s.input.Value() != "":
			return s.submitKey(), nil
		case key.Matches(msg, s.edit), key.Matches(msg, s.submit):
			return s.input.Focus(), nil
		}
		return s.navigate(msg, s.step.Link)
	}
	switch {
	case paging(msg):
		return nil, pass // the text scrolls; the input has no use for it
	case key.Matches(msg, s.submit):
		return s.submitKey(), nil
	case key.Matches(msg, s.leave):
		s.input.Blur()
		return nil, nil
	case msg.String() == "shift+tab":
		s.input.Blur()
		return nil, goBack{}
	}
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if s.input.Value() != before {
		s.outcome = "" // it was about the key that was there before
		s.describe()
	}
	return cmd, nil
}

// waitingForSCIM says the check running waits for SCIM's answer only:
// Lattice accepted the key.
func (s *connectScreen) waitingForSCIM() bool { return s.running && s.stage == link.StageSCIM }

// paste takes pasted text: only its first non-empty line, since a key is one
// line and a second line is most likely something else copied along with
// it; a Bearer prefix, quotes and spaces are dropped at once, so the mask
// shows as many dots as the key that will be sent has characters.
//
// An app's Nango Connect link pasted here is taken as such, before any key:
// the key then goes to that app (see handoff.go). It is a credential too,
// so it is never shown, only the last four characters of its token.
func (s *connectScreen) paste(text string) tea.Cmd {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	first, nonEmpty := "", 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			if nonEmpty == 0 {
				first = l
			}
			nonEmpty++
		}
	}
	if cmd, ok := s.takeLink(first); ok {
		return cmd
	}
	switch key, _, err := lattice.NormalizeKey(first); {
	case err == nil:
		first = key
	case errors.Is(err, lattice.ErrKeyTooLong), errors.Is(err, lattice.ErrKeyAddress):
		// Not a key, and the input would cut it at its limit without a
		// word: nothing goes into it, and the user is told why.
		s.input.SetValue("")
		s.note = ""
		s.setOutcome(pasteRefused(utf8.RuneCountInString(first), err), flashErr)
		return nil
	default:
		first = strings.TrimSpace(first)
	}
	s.input.SetValue(first)
	s.input.CursorEnd()
	s.outcome = ""
	s.describe()
	if nonEmpty > 1 {
		s.note += fmt.Sprintf(" (the paste had %d lines: kept the first)", nonEmpty)
	}
	return nil
}

// pasteRefused says why a paste was not taken as a key, with its length.
func pasteRefused(n int, err error) string {
	msg := err.Error()
	return "The paste (" + link.Plural(n, "character") + ") was not taken: " + msg + "."
}

// describe acknowledges what is in the input without revealing it.
func (s *connectScreen) describe() {
	v := s.input.Value()
	key, _, err := lattice.NormalizeKey(v)
	switch {
	case v == "":
		s.note = ""
	case err != nil:
		s.note = link.Plural(utf8.RuneCountInString(v), "character") + " so far"
	default:
		s.note = fmt.Sprintf("received %s, ending …%s", link.Plural(utf8.RuneCountInString(key), "character"),
			strings.TrimLeft(lattice.Fingerprint(key), "•"))
	}
}

func (s *connectScreen) setOutcome(text string, kind flashKind) { s.outcome, s.outKind = text, kind }

// submitKey connects the key in the input, in a tea.Cmd.
func (s *connectScreen) submitKey() tea.Cmd {
	if cmd, ok := s.takeLink(s.input.Value()); ok { // typed, or pasted without bracketed paste
		return cmd
	}
	if s.a.handoff != nil && strings.TrimSpace(s.input.Value()) == "" {
		// The habitual enter after a pasted link: not an error, and said
		// once (the note under the input may say it already).
		if s.note != pasteKeyForApp {
			s.setOutcome(pasteKeyForApp, flashInfo)
		}
		return s.input.Focus()
	}
	key, warn, err := lattice.NormalizeKey(s.input.Value())
	if err != nil {
		s.setOutcome(err.Error(), flashErr)
		return s.input.Focus()
	}
	s.outcome = ""
	if warn {
		s.setOutcome("The key has characters Lattice keys do not usually have; checking it anyway.", flashWarn)
	}
	return s.check(key)
}

// check connects key, or hands it to the app when a Connect link was given.
func (s *connectScreen) check(key string) tea.Cmd {
	ctx, id := s.job.start()
	s.input.Blur()
	l, expected, scim := s.a.link, s.a.stored, s.a.remembered.CheckSCIM
	if s.a.handoff != nil {
		return tea.Batch(s.handOff(ctx, id, key), s.a.spin.Tick)
	}
	s.skipSCIM = make(chan struct{})
	return tea.Batch(work(link.WithSCIMSkip(ctx, s.skipSCIM), s, id, func(ctx context.Context) tea.Msg {
		res, err := l.Connect(ctx, key, expected, scim)
		return connectedMsg{to: s, id: id, res: res, key: key, old: expected, err: err}
	}), s.a.spin.Tick)
}

func (s *connectScreen) finish(msg connectedMsg) (tea.Cmd, action) {
	s.question = nil
	if p, ok := link.AsPending(msg.err); ok { // nothing stored: the user is asked first
		s.ask(msg, p)
		return nil, nil
	}
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) {
			return nil, nil
		}
		s.setOutcome(s.a.link.Explain(msg.err, link.Typed, false), flashErr)
		return s.input.Focus(), nil
	}
	if msg.res.StateErr != nil {
		s.a.frame.flash(msg.res.StateErr.Error(), flashWarn)
	}
	s.a.stored, s.a.storeNote = msg.key, sanitize.Line(msg.res.StoreNote, 300)
	if msg.res.State != nil { // what the connect wrote
		s.a.remembered = *msg.res.State.Profile(s.a.profileName())
	} else {
		s.a.remembered.Fingerprint = msg.res.Fingerprint
	}
	s.input.SetValue("") // the key is not needed on screen any more
	s.note = ""
	done := newDone(s.a, msg.res)
	return nil, show{done, done.summary()}
}

func (s *connectScreen) Keys() ([]*key.Binding, [][]*key.Binding) {
	if s.question != nil {
		return s.question.keys()
	}
	switch {
	case s.running:
		own := list(&s.cancelCheck, &keyMap.Help, &keyMap.CtrlC)
		if s.waitingForSCIM() {
			own[0] = &s.skip
		}
		return own, [][]*key.Binding{own, keyMap.Arrows.all()}
	case s.input.Focused():
		own := list(&s.submit, &s.leave, &keyMap.CtrlC)
		return own, [][]*key.Binding{own, keyMap.Arrows.pages()}
	case s.deadLink():
		own := append(s.a.handoff.questionKeys(), &s.noApp)
		nav := list(&keyMap.Back, &s.jump, &keyMap.Help, &keyMap.Quit)
		if s.a.handoff.choosing() { // the digits choose: no jumping to a step meanwhile
			nav = list(&keyMap.Back, &keyMap.Help, &keyMap.Quit)
		}
		short := append(s.a.handoff.questionKeysShort(), relabel(s.noApp, "x", "no app"))
		if s.a.handoff.passing() {
			own = append(own, &s.retry)
			short = append(list(relabel(s.retry, "r", "try again")), short...)
		}
		return append(short, &keyMap.Back, &keyMap.Help, &keyMap.Quit), [][]*key.Binding{own, nav, keyMap.Scroll.all()}
	}
	// back before edit: a narrow help line drops from the middle, and back
	// is the way out of a rotation started by mistake.
	short := list(&s.submit, &keyMap.Back, &s.edit, &keyMap.Help, &keyMap.Quit)
	return short, [][]*key.Binding{list(&s.submit, &s.edit), list(&keyMap.Back, &s.jump, &keyMap.Help, &keyMap.Quit),
		keyMap.Scroll.all()}
}

func (s *connectScreen) Body(width int) string {
	body := s.markdown(width)
	switch {
	case s.rotating():
		body = s.a.md.text(rotationText(lattice.Fingerprint(s.a.stored), s.a.remembered.CheckResult == "rejected"), width, s.a.styles.IsDark)
	case s.a.handoff != nil: // the key goes to the app: the guide's words about storing it do not hold
		body = s.a.md.text(handOffText(s.a.handoff.Keep), width, s.a.styles.IsDark)
	}
	if len(s.a.opts.DemoKeys) > 0 {
		body += "\n\n" + s.demoKeys(min(width, maxTextWidth))
	}
	return body
}

// demoKeys lists the stand-in's keys under the Connect step's text.
func (s *connectScreen) demoKeys(width int) string {
	st := s.a.styles
	var b strings.Builder
	b.WriteString(st.Warn.Render(wrap("Demo: nothing leaves this machine. Type or paste one of these keys:", width-4)) + "\n")
	widest := 0
	for _, k := range s.a.opts.DemoKeys {
		widest = max(widest, len(k.Key))
	}
	// The descriptions in one column, or each under its key when there is
	// no room for the column.
	stacked := widest+4+24 > width-4
	for _, k := range s.a.opts.DemoKeys {
		line := "  " + k.Key + strings.Repeat(" ", widest-len(k.Key)+2) + st.Muted.Render(k.What)
		if stacked {
			line = "  " + k.Key + "\n" + st.Muted.Render(wrap(k.What, width-10)) // indented below
			line = strings.ReplaceAll(line, "\n", "\n      ")
		}
		b.WriteString(truncateLines(line, width-4) + "\n")
	}
	return lipgloss.NewStyle().PaddingLeft(2).Render(strings.TrimRight(b.String(), "\n"))
}

// styleOf is the style of a kind of message.
func styleOf(st Styles, kind flashKind) lipgloss.Style {
	switch kind {
	case flashOK:
		return st.OK
	case flashWarn:
		return st.Warn
	case flashErr:
		return st.Err
	}
	return st.Muted
}
