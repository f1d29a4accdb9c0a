package config

import (
	"errors"
	"fmt"
	"time"
)

// LockWait is how long a write waits for another lattice-link to finish.
var LockWait = 2 * time.Second

// ErrReplaced says the stored key changed after this run read it: another
// lattice-link stored or forgot a key meanwhile. Nothing was changed.
var ErrReplaced = errors.New("another lattice-link changed the stored key while this one was working, " +
	"so nothing was changed here; run lattice-link status to see which key is stored")

// Connected records in the profile a key Lattice has just accepted. When it
// replaces another key, the rotation is recorded by fingerprint.
func (p *Profile) Connected(fingerprint string, owner Owner, region, apiURL, store string, now time.Time) {
	if p.Fingerprint != "" && p.Fingerprint != fingerprint {
		p.Rotations = append(p.Rotations, Rotation{From: p.Fingerprint, To: fingerprint, At: now})
	}
	p.Fingerprint, p.Owner, p.Region, p.APIURL, p.Store = fingerprint, owner, region, apiURL, store
	p.CreatedAt, p.CheckedAt, p.CheckResult = now, now, "valid"
}

// Forgotten clears the profile's key details, keeping the wizard's answers
// and the rotation history.
func (p *Profile) Forgotten() {
	*p = Profile{Answers: p.Answers, AccessRequestedAt: p.AccessRequestedAt, Subdomain: p.Subdomain,
		CheckSCIM: p.CheckSCIM, Rotations: p.Rotations}
}

// KeyChange is one change of a profile's stored key: Key replaces Expected,
// the key this run found stored ("" for none); an empty Key forgets it.
// Record notes the change in the profile.
type KeyChange struct {
	Profile  string
	Expected string
	Key      string
	Record   func(*Profile)
}

// Apply makes the change under the folder's lock, as a compare-and-swap: if
// the stored key is no longer Expected, it changes nothing and returns
// ErrReplaced. The state is re-read under the lock, so another run's record
// is never lost, and written after the key: a crash between the two leaves
// the new key with the old details, never details without their key. A
// failed state write comes back as a *StateError after the key is safe.
// Without a folder (the demo), base is the state changed. seq orders the
// write against the wizard's own snapshots (see Folder.SaveState).
func (c KeyChange) Apply(folder *Folder, store Store, base *State, seq uint64) (*State, error) {
	var next *State
	err := locked(folder, func() error {
		current, err := store.Get(c.Profile)
		if err != nil && !errors.Is(err, ErrNoKey) {
			return err
		}
		if current != c.Expected {
			return ErrReplaced
		}
		next = base.Clone()
		if folder != nil {
			if fresh, _, lerr := folder.LoadState(); lerr == nil {
				next = fresh
			}
		}
		c.Record(next.Profile(c.Profile))
		if c.Key == "" {
			err = store.Delete(c.Profile)
			if errors.Is(err, ErrNoKey) {
				err = nil
			}
		} else {
			err = store.Set(c.Profile, c.Key)
		}
		if err != nil {
			next = nil
			return err
		}
		if folder == nil {
			return nil
		}
		if err := folder.SaveState(next, seq); err != nil {
			return &StateError{err}
		}
		return nil
	})
	return next, err
}

func locked(folder *Folder, fn func() error) error {
	if folder == nil {
		return fn()
	}
	unlock, err := folder.Lock(LockWait)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}

// StateError says the key was handled but state.json could not be written.
type StateError struct{ Err error }

func (e *StateError) Error() string {
	return fmt.Sprintf("the key is stored, but its details could not be written: %v", e.Err)
}
func (e *StateError) Unwrap() error { return e.Err }

// IsStateOnly reports whether err is only a failed state write.
func IsStateOnly(err error) bool {
	var se *StateError
	return errors.As(err, &se)
}
