package wizard

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/lattice"
)

// purpose says which screen a check belongs to.
type purpose int

const (
	checkConnect purpose = iota // the key typed on the Connect step
	checkStored                 // the stored key, on the home screen
	checkRevoked                // the old key after a rotation: it should now fail
)

// A check runs in a goroutine started by a tea.Cmd. Its waits (a 429, a
// retry) and its result come back as messages; id ties them to the check
// that sent them, so a cancelled check's late answer is ignored.
type (
	checkWaitMsg struct {
		purpose purpose
		id      int
		wait    lattice.Wait
		events  <-chan tea.Msg
	}
	checkDoneMsg struct {
		purpose  purpose
		id       int
		key      string
		identity lattice.Identity
		err      error
		scim     *lattice.SCIM
		scimErr  error
	}
)

// checkRequest is what to check and how.
type checkRequest struct {
	purpose purpose
	id      int
	key     string
	scim    bool              // also check SCIM
	at      *lattice.Endpoint // only this host: no region fallback
}

// runCheck verifies a key in the background and reports as it goes.
func runCheck(ctx context.Context, client *lattice.Client, r checkRequest) tea.Cmd {
	events := make(chan tea.Msg, 8)
	go func() {
		hooked := lattice.WithWaitHook(ctx, func(w lattice.Wait) {
			select {
			case events <- checkWaitMsg{purpose: r.purpose, id: r.id, wait: w, events: events}:
			default:
			}
		})
		done := checkDoneMsg{purpose: r.purpose, id: r.id, key: r.key}
		if r.at != nil {
			done.identity, done.err = client.VerifyAt(hooked, r.key, *r.at)
		} else {
			done.identity, done.err = client.Verify(hooked, r.key)
		}
		if done.err == nil && r.scim {
			s, err := client.CheckSCIM(hooked, r.key, done.identity.Endpoint)
			done.scim, done.scimErr = &s, err
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

// waitNote says why a check is still waiting.
func waitNote(w lattice.Wait) string {
	return fmt.Sprintf("%s: waiting %s, then trying again (attempt %d of 3)…",
		w.Reason, lattice.HumanDuration(w.Duration), w.Attempt)
}
