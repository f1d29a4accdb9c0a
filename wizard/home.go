package wizard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// homeScreen is what a re-run shows when a key is stored: the key's live
// status and what can be done with it. Its own keys are letters, so it
// scrolls with the arrows only.
type homeScreen struct {
	base
	job                 // the check with Lattice
	status *link.Status // the last check

	confirmForget bool
	// confirmHand asks, in the panel that is always in sight, whether to
	// hand the key to the app named there: at a small size the session's
	// lines can be below the fold when h is pressed.
	confirmHand bool
	// confirmRevoked asks for the user's word that the keys rotations
	// replaced are revoked in Lattice (homerevoke.go).
	confirmRevoked bool
	checks         int    // the checks that answered this run: "check again" shows that one ran
	message        string // why forgetting failed

	rotate, recheck, guide, forget, yes, hand, handYes, revoked, yesRevoked, finish key.Binding
	// handOther, keep and notYet are r and "any other key" as the help
	// words them with a Connect link, while asking to forget or hand over,
	// and while asking whether the old key is revoked.
	handOther, keep, notYet key.Binding
}

// handStoredMsg asks the Connect step to hand the stored key to the app
// whose Connect link was given.
type handStoredMsg struct{}

func newHome(a *app) *homeScreen {
	rotate := bind("r", "rotate", "r")
	return &homeScreen{base: base{a},
		rotate:  rotate,
		recheck: bind("c", "check again", "c"),
		guide:   bind("g", "guide", "g"),
		forget:  bind("f", "forget", "f"),
		yes:     bind("y", "forget", "y"), // short: with "other keys keep it" and "? help", the line fits 40 columns
		hand:    bind("h", "hand it to the app", "h"),
		handYes: bind("h", "send it", "h"), // short, as y's
		// short: with the other keys, the line fits 80 columns
		revoked:    bind("v", "revoked it", "v"),
		yesRevoked: bind("y", "revoked", "y"), // short, as y's
		finish:     keyMap.Quit,               // q leaves as done: the key stays linked
		handOther:  *relabel(rotate, "r", "hand it a new key"),
		keep:       *relabel(keyMap.Quit, "other keys", "keep it"), // short: the line fits 40 columns
		notYet:     *relabel(keyMap.Quit, "other keys", "not yet"),
	}
}

// statusMsg is a check of the stored key; forgotMsg, forgetting it.
type (
	statusMsg struct {
		to     *homeScreen
		id     int
		status link.Status
	}
	forgotMsg struct {
		to  *homeScreen
		res link.Forgotten
		err error
	}
)

func (m statusMsg) owner() Screen { return m.to }
func (m forgotMsg) owner() Screen { return m.to }

func (h *homeScreen) Revision() string {
	// Pointers, not contents: a new check result or session is a new value.
	return fmt.Sprintf("%v %p %s %s %v %v %s %s %v", h.running, h.status, h.waitNote, h.a.spin.View(),
		h.a.storeRead, h.a.stored != "", h.a.handoff.revision(), h.a.storeErr, h.toRevoke())
}

// unreadable says a key is remembered for the profile but the store could
// not give it: nothing can be done with it until that is fixed.
func (h *homeScreen) unreadable() bool { return h.a.storeRead && h.a.storeErr != "" }

func (h *homeScreen) Title() string {
	if h.unreadable() {
		return "Key unreadable · profile " + h.a.profileName()
	}
	if h.rejected() {
		return "Key rejected · profile " + h.a.profileName()
	}
	return "Linked · profile " + h.a.profileName()
}

// Enter checks the stored key with Lattice, once the store has been read.
func (h *homeScreen) Enter() tea.Cmd {
	if !h.a.storeRead || h.a.stored == "" || h.running || h.status != nil {
		return nil
	}
	return h.check()
}

func (h *homeScreen) check() tea.Cmd {
	ctx, id := h.start()
	l, key := h.a.link, h.a.stored
	return tea.Batch(work(ctx, h, id, func(ctx context.Context) tea.Msg {
		return statusMsg{to: h, id: id, status: l.CheckStatus(ctx, key, false, false)}
	}), h.a.spin.Tick)
}

func (h *homeScreen) Update(msg tea.Msg) (tea.Cmd, action) {
	switch msg := msg.(type) {
	case waitMsg:
		return h.waited(msg), nil
	case statusMsg:
		if errors.Is(msg.status.Err, context.Canceled) || !h.done(msg.id) {
			return nil, nil
		}
		h.status = &msg.status
		h.checks++
		if msg.status.Remembered.Fingerprint != "" {
			h.a.remembered = msg.status.Remembered
		}
		return nil, nil
	case tea.PasteMsg:
		if h.confirmForget { // a paste is no answer to "forget it?"
			h.confirmForget = false
			h.message = "Kept the key: a paste is not an answer here."
		}
		return nil, nil
	case saidRevokedMsg:
		h.saidRevoked(msg)
		return nil, nil
	case forgotMsg:
		if msg.err != nil {
			h.message = "Could not forget the key: " + h.a.link.Explain(msg.err, link.Stored, false)
			return nil, nil
		}
		h.a.stored = ""
		if msg.res.State != nil { // what the forget wrote
			h.a.remembered = *msg.res.State.Profile(h.a.profileName())
		} else {
			h.a.remembered.Fingerprint = ""
		}
		after := ". It still works until you revoke it in Lattice (" + link.KeysPage + ")."
		if h.rejected() {
			after = ", which Lattice no longer accepted."
		}
		if w := link.UnrevokedWords(msg.res.Before); w != "" { // forgetting does not lose them
			after += " " + w
		}
		h.a.forgotNote = "Forgot the key " + msg.res.Fingerprint + after
		return nil, goTo{steps.GuideStart}
	case tea.KeyPressMsg:
		return h.key(msg)
	}
	return nil, pass
}

func (h *homeScreen) key(msg tea.KeyPressMsg) (tea.Cmd, action) {
	asking := h.confirmForget || h.confirmHand || h.confirmRevoked
	if h.a.withPaste() && (asking || h.changesSomething(msg)) {
		// Nothing that comes with a paste forgets the key, hands it over or
		// answers a question; moving and quitting still work.
		h.confirmForget, h.confirmHand, h.confirmRevoked = false, false, false
		h.message = "Keys that come with a paste are not taken as answers: nothing changed. Press the key again."
		return nil, nil
	}
	if asking && key.Matches(msg, keyMap.Help) {
		return nil, pass // the help opens over the question, which stays asked
	}
	if h.confirmRevoked {
		return h.answerRevoked(msg), nil
	}
	if h.confirmForget {
		h.confirmForget = false
		if key.Matches(msg, h.yes) {
			l, key := h.a.link, h.a.stored
			return func() tea.Msg {
				res, err := l.Forget(key)
				return forgotMsg{to: h, res: res, err: err}
			}, nil
		}
		h.message = "Kept the key."
		return nil, nil
	}
	if h.confirmHand {
		h.confirmHand = false
		if !key.Matches(msg, h.handYes) {
			h.message = "Nothing was sent to the app."
			return nil, nil
		}
		if why := h.cannotHand(); why != "" { // the store or the link changed meanwhile
			h.message = why
			return nil, nil
		}
		return func() tea.Msg { return handStoredMsg{} }, goTo{steps.Connect}
	}
	if !h.a.withPaste() { // the note about a paste stays while its keys arrive
		h.message = ""
	}
	if cmd, ok := h.a.handoff.answer(msg, h.a.connectStep); ok { // a question about the link
		return cmd, nil
	}
	ready := h.a.storeRead && h.a.stored != ""
	switch {
	case key.Matches(msg, h.rotate) && ready:
		return nil, goTo{steps.RotateAt}
	case key.Matches(msg, h.recheck) && ready:
		return h.check(), nil
	case key.Matches(msg, h.guide):
		return nil, goTo{steps.GuideStart}
	case key.Matches(msg, h.forget) && ready:
		h.confirmForget = true
		return nil, nil
	case key.Matches(msg, h.revoked) && len(h.toRevoke()) > 0:
		h.confirmRevoked = true
		return nil, nil
	case key.Matches(msg, h.hand) && ready && h.a.handoff != nil:
		if why := h.cannotHand(); why != "" {
			h.message = why
			return nil, nil
		}
		h.confirmHand = true
		return nil, nil
	case key.Matches(msg, h.finish):
		return nil, finish{}
	}
	return nil, pass
}

func (h *homeScreen) Keys() ([]*key.Binding, [][]*key.Binding) {
	// A question's keys: its yes, "other keys" and the help, like every frame.
	switch {
	case h.confirmForget:
		return list(&h.yes, &h.keep, &keyMap.Help), [][]*key.Binding{list(&h.yes, &h.keep, &keyMap.Help)}
	case h.confirmHand:
		return list(&h.handYes, &h.keep, &keyMap.Help), [][]*key.Binding{list(&h.handYes, &h.keep, &keyMap.Help)}
	case h.confirmRevoked:
		return list(&h.yesRevoked, &h.notYet, &keyMap.Help), [][]*key.Binding{list(&h.yesRevoked, &h.notYet, &keyMap.Help)}
	}
	if h.unreadable() { // no key to rotate, check, forget or hand over
		own := h.withRevoked(list(&h.guide, &keyMap.Help, &h.finish))
		return own, [][]*key.Binding{own, keyMap.Arrows.all()}
	}
	own := list(&h.rotate, &h.recheck, &h.guide, &h.forget, &keyMap.Help, &h.finish)
	if h.unchecked() { // checking again is what to do: first, so a narrow line keeps it
		own = list(&h.recheck, &h.rotate, &h.guide, &h.forget, &keyMap.Help, &h.finish)
	}
	if h.a.handoff != nil { // r then takes a new key for the app, not a rotation
		own = list(&h.handOther, &h.recheck, &h.guide, &h.forget, &keyMap.Help, &h.finish)
		if h.cannotHand() == "" { // h is offered only when it can work
			own = append(list(&h.hand), own...)
		}
		own = h.withRevoked(own)
		full := append(h.a.handoff.questionKeys(), own...)
		return append(h.a.handoff.questionKeysShort(), own...), [][]*key.Binding{full, keyMap.Arrows.all()}
	}
	own = h.withRevoked(own)
	return own, [][]*key.Binding{own, keyMap.Arrows.all()}
}

// changesSomething says k would forget the key, hand it over or answer a
// question about the Connect link: what a paste must never do.
func (h *homeScreen) changesSomething(k tea.KeyPressMsg) bool {
	if key.Matches(k, h.forget, h.hand, h.revoked) {
		return true
	}
	for _, b := range h.a.handoff.questionKeys() {
		if key.Matches(k, *b) {
			return true
		}
	}
	return false
}

// unchecked says the last check could not tell whether Lattice takes the
// key (Lattice unreachable, say).
func (h *homeScreen) unchecked() bool {
	return h.status != nil && h.status.Err != nil && !h.rejected() && lattice.KindOf(h.status.Err) != lattice.Forbidden
}

// rejected says the last check found that Lattice no longer takes the key.
func (h *homeScreen) rejected() bool {
	if h.status == nil {
		return false
	}
	k := lattice.KindOf(h.status.Err)
	return k == lattice.Rejected
}

// Body shows the stored key's fingerprint as computed from the key itself:
// state.json can lag behind the store after a crash between the two writes.
func (h *homeScreen) Body(width int) string {
	st := h.a.styles
	p := h.a.remembered
	width = min(width, maxTextWidth) - 4 // the padding
	row := func(label, value string) string { return row(st, label, value, width) }
	var b strings.Builder
	fp := p.Fingerprint
	if h.a.stored != "" {
		fp = lattice.Fingerprint(h.a.stored)
	}
	days, rotateDue := h.a.link.Age(p.CreatedAt, time.Now())
	saidR := h.a.storeRead && !h.unreadable() && (h.rejected() || rotateDue) // the headline says what r does
	switch {
	case !h.a.storeRead:
		b.WriteString(st.Bold.Render("A key is stored for this profile.") + "\n\n")
	case h.unreadable(): // the reason stays in sight, not only in a flash
		b.WriteString(st.Err.Render(wrap("The stored key could not be read: "+h.a.storeErr, width)) + "\n" +
			wrap("Fix that, then run lattice-link again. Until then nothing here can use the key.", width) + "\n\n")
	case h.rejected():
		what := "press r to replace it."
		if h.a.handoff != nil { // r takes a new key for the app
			what = "press r to hand the app a new key."
		}
		b.WriteString(st.Err.Render(wrap("This key no longer works (revoked or expired): "+what, width)) + "\n\n")
	case rotateDue: // said first: a small window shows only the first rows
		b.WriteString(st.Bold.Render("Lattice is linked on this machine.") + "\n" +
			st.Warn.Render(wrap("The key is "+link.Plural(days, "day")+" old: press r to rotate it.", width)) + "\n\n")
	default:
		b.WriteString(st.Bold.Render("Lattice is linked on this machine.") + "\n\n")
	}
	// The key's status first: it is what the screen is for, and a small
	// window shows only its first rows.
	var rows []string
	switch {
	case !h.a.storeRead:
	case h.running:
		line := h.a.spin.View() + " checking with Lattice…"
		if h.waitNote != "" {
			line += "\n" + st.Warn.Render(h.waitNote)
		}
		rows = append(rows, row("Status", line))
	case h.status != nil:
		rows = append(rows, row("Status", h.statusLine()))
	case !p.CheckedAt.IsZero():
		rows = append(rows, row("Checked", link.Ago(p.CheckedAt)))
	}
	rows = append(rows, row("Key", fp+st.Muted.Render("  (match it in "+link.KeysPage+")")))
	if p.Owner.Name != "" || p.Owner.Email != "" {
		owner := link.Owner(p.Owner.Name, p.Owner.Email)
		if p.Owner.IsAdmin {
			owner += st.Muted.Render(" · admin")
		} else {
			owner += st.Warn.Render(" · not an admin")
		}
		rows = append(rows, row("Owner", owner))
	}
	ep := h.a.link.Client.Primary
	if h.status != nil && h.status.Valid() {
		ep = h.status.Checked.Identity.Endpoint
	}
	rows = append(rows, row("Region", ep.Region.Label()+" · "+ep.Host()))
	where := h.a.link.Where()
	switch {
	case !h.a.storeRead:
		where = "reading the " + storeWord(string(p.Store)) + "…"
	case !p.CreatedAt.IsZero():
		where = link.Ago(p.CreatedAt) + ", in " + where
	}
	rows = append(rows, row("Stored", where))
	if env := h.a.opts.EnvKey; env != "" {
		rows = append(rows, row("Scripts", st.Warn.Render(envKeyWords(env))))
	}
	if h.a.storeNote != "" { // the store is not the one asked for: say why
		rows = append(rows, row("", st.Warn.Render(h.a.storeNote)))
	}
	if rotateDue {
		age := link.Plural(days, "day") + ": Lattice keys never expire, so rotate them on a schedule."
		if !saidR {
			age += " Press r to rotate."
		}
		rows = append(rows, row("Age", st.Warn.Render(age)))
	}
	if n := len(p.Rotations); n > 0 {
		rows = append(rows, row("Rotated", link.Plural(n, "time")+", last "+link.Ago(p.Rotations[n-1].At)))
	}
	// A key a rotation replaced works until it is revoked.
	if old := h.toRevoke(); len(old) > 0 {
		rows = append(rows, row("Revoke", st.Warn.Render(revokeRow(old))))
	}
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	if h.a.handoff != nil { // a Connect link was given: h hands this key over
		b.WriteString("\n" + strings.Join(h.a.handoff.sessionLines(st, width, 0, true), "\n") + "\n")
		b.WriteString(st.Muted.Render(wrap(h.handWords(), width)) + "\n")
	}
	return lipgloss.NewStyle().Padding(1, 2).Render(strings.TrimRight(b.String(), "\n"))
}

func (h *homeScreen) statusLine() string {
	st, s := h.a.styles, h.status
	switch lattice.KindOf(s.Err) {
	case 0:
		if s.Err == nil {
			return st.OK.Render("valid: Lattice accepted it at " + h.checkedWhen())
		}
	case lattice.Rejected:
		return st.Err.Render("REJECTED at " + h.checkedWhen() + ": Lattice no longer accepts this key.")
	case lattice.Forbidden:
		return st.Warn.Render("Lattice knows this key but refused to say whose it is (403).")
	}
	// Link's sentence says what stopped the check ("Could not reach …").
	return st.Warn.Render("not checked. " + h.a.link.Explain(s.Err, link.Stored, false))
}

// checkedWhen says when the last check answered, and which check of this
// run it was, so that c shows a new check even when Lattice answers at once.
func (h *homeScreen) checkedWhen() string {
	s := h.status.CheckedAt.Local().Format("15:04:05")
	if h.checks > 1 {
		s += fmt.Sprintf(" (check %d of this run)", h.checks)
	}
	return s
}

func storeWord(kind string) string {
	if kind == "file" {
		return "credentials file"
	}
	return "keyring"
}

// Panel is the question or message under the status, kept in sight.
func (h *homeScreen) Panel(width int) string {
	st := h.a.styles
	fp := lattice.Fingerprint(h.a.stored)
	switch {
	case h.confirmForget && h.rejected():
		return st.Warn.Render(wrap("Forget the stored key "+fp+"? Lattice no longer accepts it. "+
			"Press y to forget it, any other key to keep it.", width))
	case h.confirmForget:
		return st.Warn.Render(wrap("Forget the stored key "+fp+"? It keeps working until you revoke it "+
			"in Lattice. Press y to forget it, any other key to keep it.", width))
	case h.confirmRevoked:
		return st.Warn.Render(wrap(revokeQuestion(h.toRevoke()), width))
	case h.confirmHand: // for whom and where first: the help line has the keys
		return st.Warn.Render(wrap("Hand "+fp+" to the app? Nango: "+h.a.handoff.forWhom()+
			". Press h again to send it, any other key to keep it.", width))
	case h.message != "":
		return st.Warn.Render(wrap(h.message, width))
	}
	return ""
}
