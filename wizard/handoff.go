package wizard

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// Handoff is an app's Nango Connect link given to the wizard: the Connect
// step hands a key Lattice accepted to the app instead of storing it
// (unless Keep), and says for whom the link was made before a key is typed.
type Handoff struct {
	Client *nango.Client
	Keep   bool
	// DemoLink names the demo's Connect link, for the Connect step.
	DemoLink string
}

// handOffText is the Connect step's text with an app's Connect link: the
// key goes to the app once Lattice accepts it, and is not stored here
// unless keep (--keep) says so.
func handOffText(keep bool) string {
	kept := "It is not stored on this machine."
	if keep {
		kept = "A copy is kept on this machine too (--keep)."
	}
	return "# Connect for an app\n\n" +
		"Paste the key you copied from Lattice and press **enter**. The key never appears on screen: " +
		"you see only how many characters arrived and its last four.\n\n" +
		"Lattice checks the key first, and only a key it accepts goes to the app, through its Connect link (below). " +
		kept + "\n"
}

// handoffState is what the wizard knows about the link: read once at
// start, so an expired or foreign link shows before a key is typed.
type handoffState struct {
	Handoff
	target *nango.Target
	err    error
	// choices are the Lattice integrations the link offers when it offers
	// several, until the user picks one (see linkquestion.go).
	choices []nango.Integration
	// approve and pick answer the link's questions.
	approve, pick key.Binding
}

// newHandoffState is the wizard's state for a Connect link given.
func newHandoffState(h Handoff) *handoffState {
	return &handoffState{Handoff: h, approve: bind("a", "send the key to that host", "a")}
}

// sessionMsg is the Connect session, read at start.
type sessionMsg struct {
	to     Screen
	state  *handoffState // the link it was read for: a replaced link's answer is dropped
	target nango.Target
	err    error
}

func (m sessionMsg) owner() Screen { return m.to }

// lookupSession reads the Connect session for the screen that shows it.
// Nango's client bounds the wait, so it always ends: the session, or an
// error that says what to do.
func lookupSession(h *handoffState, to Screen) tea.Cmd {
	if h == nil || h.approving() { // nothing goes to an unapproved host
		return nil
	}
	c := h.Client
	return func() tea.Msg {
		t, err := c.Lookup(context.Background())
		return sessionMsg{to: to, state: h, target: t, err: err}
	}
}

// noteSession takes the session in; false for an answer about a link that
// is no longer the one given.
func (h *handoffState) noteSession(msg sessionMsg) bool {
	if msg.state != h {
		return false
	}
	if h.noteChoices(msg.err) {
		return true
	}
	if msg.err != nil {
		h.target, h.err = nil, msg.err
		return true
	}
	h.target, h.err = &msg.target, nil
	return true
}

// passing says the session could not be read for a reason that may pass
// (Nango unreachable, slow or busy): the same link may work when tried
// again.
func (h *handoffState) passing() bool {
	var e *nango.Error
	if h == nil || !errors.As(h.err, &e) {
		return false
	}
	switch e.Kind {
	case nango.Unreachable, nango.Timeout, nango.ServerError, nango.RateLimited:
		return true
	}
	return false
}

// retry reads the session again, for the screen that shows it.
func (h *handoffState) retry(to Screen) tea.Cmd {
	h.target, h.err = nil, nil
	return lookupSession(h, to)
}

// resolved says the session has been read: shown, or failed. A question
// to the user is not resolved.
func (h *handoffState) resolved() bool { return h.target != nil || h.err != nil }

// usable says the link can take a key: its session was read and allows it.
func (h *handoffState) usable() bool { return h.target != nil }

// revision changes when the session is read, for the screens' Revision.
func (h *handoffState) revision() string {
	if h == nil {
		return "no link"
	}
	return fmt.Sprintf("%p %p %v %v %d", h, h.target, h.err != nil, h.approving(), len(h.choices))
}

// sessionLines say, above the key input, where the key will go. room > 0
// asks for them in that many lines at most, for a small window: a question
// or a failure whole when it fits, else in few words that keep the key
// that answers it and what to do; the session whole when it fits, else
// without the user's email, cut at its end when even that does not fit.
// stored says the key handed over is the one stored here, which stays
// stored.
func (h *handoffState) sessionLines(st Styles, width, room int, stored bool) []string {
	compact := room > 0
	var lines []string
	if h.DemoLink != "" && !compact {
		lines = append(lines, st.Warn.Render(wrap("Demo Connect link: "+h.DemoLink, width)))
	}
	switch {
	case h.undecided() && compact:
		if whole := h.questionLines(st, width); lipgloss.Height(strings.Join(whole, "\n")) <= room { // it fits whole
			return append(lines, whole...)
		}
		return append(lines, st.Warn.Render(fitMessage(h.questionShort(), width, room)))
	case h.undecided():
		return append(lines, h.questionLines(st, width)...)
	case h.err != nil && compact:
		// Three lines at least, even when that leaves the ways on below
		// the panel's end: what happened, who can fix it and that the key
		// went nowhere come first (the help line keeps x).
		return append(lines, st.Err.Render(fitNango(h.err, width, max(room, 3))))
	case h.err != nil:
		return append(lines, st.Err.Render(wrap(link.ExplainNango(h.err, false), width)))
	case h.target == nil:
		return append(lines, st.Muted.Render(wrap("Reading the Connect link ("+h.Client.Link().String()+")…", width)))
	}
	line := h.sessionLine(false, stored)
	if compact {
		if !h.sessionFits(width, room, stored, false) {
			line = h.sessionLine(true, stored)
		}
		return append(lines, st.Accent.Render(fitMessage(line, width, room)))
	}
	return append(lines, st.Accent.Render(wrap(line, width)))
}

// sessionLine is the session read in one line: for whom, the integration
// and the host, and whether the key stays here. brief leaves out the
// user's email, for a small window.
func (h *handoffState) sessionLine(brief, stored bool) string {
	line := "Nango: " + h.whom(brief)
	if h.target.Session.IsReconnecting {
		line += " · reconnect: replaces the app's key"
	}
	switch {
	case stored:
		line += " · the key stays stored here"
	case !h.Keep:
		line += " · not stored here"
	}
	return line
}

// sessionFits says the session read, brief or not, takes no more than
// room lines at width.
func (h *handoffState) sessionFits(width, room int, stored, brief bool) bool {
	return h.target != nil && lipgloss.Height(wrap(h.sessionLine(brief, stored), width)) <= room
}

// codeWords is Nango's error code as its words quote it, " (unknown_…)",
// or the integrations a link allows, " (github, slack)": a small window
// leaves them out.
var codeWords = regexp.MustCompile(` \([a-z][a-z0-9_-]*(, [a-z][a-z0-9_-]*)*\)`)

// fitNango is a link's failure in the lines there are: whole when it
// fits. Else, a line at least for each, what happened (without Nango's
// code), who can fix it (the advice's "Ask …" sentence, or the advice) and
// whether the key was sent, in that order, each cut with "…" when long.
func fitNango(err error, width, lines int) string {
	text := link.ExplainNango(err, false)
	paras := strings.Split(text, "\n")
	if lipgloss.Height(wrap(strings.Join(paras, "\n"), width)) <= lines || len(paras) < 2 {
		return fitMessage(text, width, lines)
	}
	what, sent := codeWords.ReplaceAllString(paras[0], ""), paras[1]
	if sent == link.NotSent {
		sent, _, _ = strings.Cut(sent, ":")
		sent += "."
	}
	short := []string{what}
	if len(paras) > 2 {
		short = append(short, askSentence(strings.Join(paras[2:], " ")))
	}
	return fitMessage(strings.Join(append(short, sent), "\n"), width, lines)
}

// askSentence is the sentence of advice that says whom to ask ("Ask the
// app for a new Connect link."), or the advice whole when none does.
func askSentence(advice string) string {
	for _, s := range strings.SplitAfter(advice, ". ") {
		if strings.HasPrefix(s, "Ask ") {
			return strings.TrimSpace(s)
		}
	}
	return advice
}

// forWhom says, in one line, for whom the session read was made and where
// the key goes: "for Grace Hopper <grace@…> at Acme · integration lattice at HOST".
func (h *handoffState) forWhom() string { return h.whom(false) }

// whom is forWhom; brief leaves out the user's email.
func (h *handoffState) whom(brief bool) string {
	var who []string
	for _, f := range link.SessionFacts(*h.target, h.Client.Link().Host()) {
		switch {
		case f.Label == "For" && brief && strings.HasSuffix(f.Value, ">"):
			if name, _, _ := strings.Cut(f.Value, " <"); name != f.Value {
				who = append(who, name)
				continue
			}
			who = append(who, f.Value)
		case f.Label == "For" || f.Label == "Org":
			who = append(who, f.Value)
		}
	}
	line := "for " + strings.Join(who, " at ")
	if len(who) == 0 {
		line = "for the app's user"
	}
	return line + " · integration " + h.target.Integration.UniqueKey + " at " + h.Client.Link().Host()
}

// handedOffMsg is the end of a hand-off: the key with the app, or why not.
type handedOffMsg struct {
	to  *connectScreen
	id  int
	res link.HandedOff
	key string // in memory only
	err error
	// changed says the stored key was to be handed over, but the store
	// holds another now (key, "" for none): nothing was sent. remembered
	// is then state.json's record, read again too.
	changed    bool
	remembered config.Profile
}

func (m handedOffMsg) owner() Screen { return m.to }

// handOff runs the hand-off of key as the connect screen's check. When
// key is the stored one, the store is read again first: a wizard left open
// while another run rotated or forgot the key must not hand over the key
// it read at start.
func (s *connectScreen) handOff(ctx context.Context, id int, key string) tea.Cmd {
	l, h, expected, stored := s.a.link, s.a.handoff, s.a.stored, s.storedKey
	return work(ctx, s, id, func(ctx context.Context) tea.Msg {
		if stored { // read and compared under the store's lock, in one step
			now, err := l.HoldsNow(key)
			if err != nil {
				return handedOffMsg{to: s, id: id, err: err}
			}
			if now.Changed {
				return handedOffMsg{to: s, id: id, key: now.Key, changed: true, remembered: now.Remembered}
			}
		}
		res, err := l.HandOff(ctx, h.Client, key, h.Keep, expected)
		return handedOffMsg{to: s, id: id, res: res, key: key, err: err}
	})
}

func (s *connectScreen) finishHandOff(msg handedOffMsg) (tea.Cmd, action) {
	stored := s.storedKey
	s.storedKey = false
	if msg.changed { // back home, to show and check the key stored now
		s.note = ""
		s.a.stored, s.a.remembered = msg.key, msg.remembered
		s.a.frame.flash("The key stored here changed since this screen was shown (another lattice-link run "+
			"rotated or forgot it). Nothing was sent to the app.", flashWarn)
		if msg.key == "" {
			return nil, goTo{steps.GuideStart}
		}
		return nil, show{screen: newHome(s.a)}
	}
	if msg.err != nil && stored {
		s.note = ""
	}
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) {
			return nil, nil
		}
		s.setOutcome(s.a.link.ExplainHandOff(msg.err, link.Typed, false), flashErr)
		return s.input.Focus(), nil
	}
	if kept := msg.res.Kept; kept != nil { // stored here too (--keep): remember what link wrote
		s.a.stored, s.a.storeNote = msg.key, sanitize.Line(kept.StoreNote, 300)
		if kept.State != nil {
			s.a.remembered = *kept.State.Profile(s.a.profileName())
		} else {
			s.a.remembered.Fingerprint = msg.res.Fingerprint
		}
	}
	s.input.SetValue("")
	s.note = ""
	done := &handedOffScreen{base: base{s.a}, res: msg.res, finish: bind("q", "finish", "q")}
	return nil, show{done, msg.res.Summary(s.a.link.Demo)}
}

// handedOffScreen is Done for a hand-off: the connection the app got, and
// whether a copy of the key stayed here.
type handedOffScreen struct {
	base
	res    link.HandedOff
	finish key.Binding
}

func (d *handedOffScreen) Title() string { return "Done · handed to the app" }

func (d *handedOffScreen) Update(msg tea.Msg) (tea.Cmd, action) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, d.finish) {
		return nil, finish{}
	}
	return nil, pass
}

func (d *handedOffScreen) Keys() ([]*key.Binding, [][]*key.Binding) {
	own := list(&d.finish, &keyMap.Help)
	return own, [][]*key.Binding{own, keyMap.Scroll.all()}
}

func (d *handedOffScreen) Body(width int) string {
	st := d.a.styles
	width = min(width, maxTextWidth) - 4
	var b strings.Builder
	b.WriteString(st.OK.Render("✓ Handed to the app through Nango") + "\n\n")
	b.WriteString(factRows(st, demoFacts(d.a.link.Demo, d.res.Facts(), d.res.Checked.Identity.Endpoint.Region), width))
	if w := d.res.ReplacedWords(); w != "" { // a reconnect: the app's old key is still valid
		b.WriteString("\n" + st.Warn.Render(wrap(w, width)) + "\n")
	}
	note := "The app uses the connection id above; Lattice checked the key just before it was sent. " +
		"lattice-link status lists this hand-off."
	if d.a.link.Demo {
		note = "Demo: nothing left this machine, and nothing was remembered."
	}
	b.WriteString("\n" + wrap(note, width))
	return lipgloss.NewStyle().Padding(1, 2).Render(strings.TrimRight(b.String(), "\n"))
}
