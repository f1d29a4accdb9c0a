package wizard

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// Work that talks to Lattice runs in a goroutine started by a tea.Cmd. Its
// waits (a 429, a retry) and its result come back as messages addressed to
// the screen that started it; id ties them to that run, so a cancelled
// run's late answer is ignored.

// job is a screen's one cancellable check: whether it runs, which run it
// is, how to cancel it and why it is waiting. A screen starts it, hands
// its results to current or done, and shows running and waitNote.
type job struct {
	running  bool
	id       int
	cancel   context.CancelFunc
	waitNote string // why the check is still waiting, e.g. a 429
	// stage is what the check waits on now, when it has said (see
	// link.Stage); 0 before it has.
	stage link.Stage
}

// start cancels the run before, if any, and begins a new one.
func (j *job) start() (ctx context.Context, id int) {
	j.stop()
	ctx, j.cancel = context.WithCancel(context.Background())
	j.running, j.waitNote, j.stage = true, "", 0
	j.id++
	return ctx, j.id
}

// stop cancels the run, if any.
func (j *job) stop() {
	if j.cancel != nil {
		j.cancel()
		j.cancel = nil
	}
	j.running = false
}

func (j *job) busy() bool { return j.running }

// current says whether a message with this id is from the run going on:
// a late answer of a cancelled or replaced run is not.
func (j *job) current(id int) bool { return j.running && id == j.id }

// done takes a result in: false for a stale one, which is then ignored.
func (j *job) done(id int) bool {
	if !j.current(id) {
		return false
	}
	j.stop()
	return true
}

// waited notes a wait of the current run and listens for what comes next.
func (j *job) waited(msg waitMsg) tea.Cmd {
	if !j.current(msg.id) {
		return nil
	}
	j.waitNote = link.WaitLine(msg.wait)
	return listen(msg.events)
}

// staged notes what the current run waits on now, and listens on.
func (j *job) staged(msg stageMsg) tea.Cmd {
	if !j.current(msg.id) {
		return nil
	}
	j.stage = msg.stage
	return listen(msg.events)
}

// stageMsg says a running check goes on to wait on another part (SCIM,
// Nango). Only screens whose work reports stages (Connect) get one.
type stageMsg struct {
	to     Screen
	id     int
	stage  link.Stage
	events <-chan tea.Msg
}

func (m stageMsg) owner() Screen { return m.to }

// waitMsg says a running check is waiting before it tries again.
type waitMsg struct {
	to     Screen
	id     int
	wait   lattice.Wait
	events <-chan tea.Msg
}

func (m waitMsg) owner() Screen { return m.to }

// work runs fn in the background and reports its waits and its result.
func work(ctx context.Context, to Screen, id int, fn func(context.Context) tea.Msg) tea.Cmd {
	events := make(chan tea.Msg, 8)
	return func() tea.Msg {
		go func() {
			hooked := lattice.WithWaitHook(ctx, func(w lattice.Wait) {
				select {
				case events <- waitMsg{to: to, id: id, wait: w, events: events}:
				default:
				}
			})
			hooked = link.WithStageHook(hooked, func(s link.Stage) {
				select {
				case events <- stageMsg{to: to, id: id, stage: s, events: events}:
				default:
				}
			})
			msg := fn(hooked)
			select {
			case events <- msg:
			case <-ctx.Done():
			}
		}()
		return <-events
	}
}

func listen(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg { return <-events }
}

// storedMsg is the stored key, read once at start.
type storedMsg struct {
	key string
	err error
}

// readStored reads the stored key off the first frame's path.
func readStored(l *link.Link) tea.Cmd {
	return func() tea.Msg {
		key, err := l.Stored()
		return storedMsg{key: key, err: err}
	}
}

// rememberedMsg reports a write of what the guide remembers: the state
// link wrote (nil when the write failed). The root takes it as the
// wizard's copy, then hands the message on to the screen that saved (to,
// when set), so that it stops showing its pending choice.
type rememberedMsg struct {
	to    Screen
	state *config.State
	err   error
}

func (m rememberedMsg) owner() Screen { return m.to }

// remember runs one of link's Save operations as a tea.Cmd. The state the
// save returns becomes the wizard's copy, so what another run wrote
// meanwhile is taken in too; nothing writes that copy before. The write is
// counted as it is handed out, so quitting waits for it.
func (a *app) remember(save func() (*config.State, error)) tea.Cmd { return a.rememberFor(nil, save) }

// rememberFor is remember for a screen that shows its choice at once (see
// pending) and is told when the write is done.
func (a *app) rememberFor(to Screen, save func() (*config.State, error)) tea.Cmd {
	a.writes.Add(1)
	return func() tea.Msg {
		defer a.writes.Done()
		st, err := save()
		return rememberedMsg{to: to, state: st, err: err}
	}
}

// pending is a choice a screen shows while the write that remembers it is
// under way: from the key that made it until link's state (or the error,
// and then the old value) comes back. Writes can overlap (a toggle pressed
// twice), so it is shown until the last one is back.
type pending[T any] struct {
	value    T
	inFlight int
}

// set shows v until its write is back; the Cmd is that write.
func (p *pending[T]) set(v T, write tea.Cmd) tea.Cmd {
	p.value = v
	p.inFlight++
	return write
}

// done notes that one of the writes is back.
func (p *pending[T]) done() { p.inFlight = max(p.inFlight-1, 0) }

// or is the pending choice while a write is under way, else what the
// wizard's copy of the state says.
func (p *pending[T]) or(remembered T) T {
	if p.inFlight > 0 {
		return p.value
	}
	return remembered
}

// quitAfterWrites ends the program once the writes handed out so far are
// done (each waits at most for the folder's lock), so a choice made just
// before q is not lost.
func (a *app) quitAfterWrites() tea.Cmd {
	return func() tea.Msg {
		a.writes.Wait()
		return tea.QuitMsg{}
	}
}

// noteStored takes the stored key in: the home screen starts its check,
// and a run that opened on the guide's start learns that a key is stored.
func (m *Model) noteStored(msg storedMsg) tea.Cmd {
	a := m.app
	a.stored, a.storeRead = msg.key, true
	a.storeErr = ""
	a.keyAccepted = a.keyAccepted || msg.key != ""
	if msg.err != nil {
		a.storeErr = sanitize.Line(msg.err.Error(), 300)
		m.flash("Could not read the stored key: "+a.storeErr, flashErr)
	}
	h, onHome := m.current.(*homeScreen)
	switch {
	case onHome && msg.key == "" && msg.err == nil:
		// state.json remembers a key Lattice accepted (home opened for it),
		// so access is approved, and that key still works until revoked.
		key := "The key " + a.remembered.Fingerprint
		if a.remembered.Fingerprint == "" {
			key = "The key"
		}
		a.keyAccepted = a.keyAccepted || a.remembered.Fingerprint != ""
		m.flash(key+" is no longer stored on this machine, so the guide starts again. It still works in "+
			"Lattice until you revoke it in "+link.KeysPage+".", flashWarn)
		return m.goTo(steps.GuideStart)
	case onHome:
		return h.Enter()
	case msg.key != "" && m.onGuide && m.step == steps.GuideStart && len(m.history) == 0 && a.opts.Start == steps.GuideStart:
		return m.show(newHome(a))
	}
	return nil
}
