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
func (p *Profile) Connected(fingerprint string, owner Owner, region, store string, now time.Time) {
	if p.Fingerprint != "" && p.Fingerprint != fingerprint {
		p.Rotations = append(p.Rotations, Rotation{From: p.Fingerprint, To: fingerprint, At: now})
	}
	p.Fingerprint, p.Owner, p.Region, p.Store = fingerprint, owner, region, store
	p.CreatedAt, p.CheckedAt, p.CheckResult = now, now, "valid"
}

// Forgotten clears the profile's key details, keeping the wizard's answers,
// the rotation history and the hand-offs to apps (they describe the apps'
// connections, not the key kept here).
func (p *Profile) Forgotten() {
	*p = Profile{Answers: p.Answers, AccessRequestedAt: p.AccessRequestedAt, Subdomain: p.Subdomain,
		CheckSCIM: p.CheckSCIM, Rotations: p.Rotations, Handoffs: p.Handoffs}
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

// Commit makes the change under the folder's lock, as a compare-and-swap:
// if the stored key is no longer Expected, it changes nothing and returns
// ErrReplaced. The key is written first, then Record is applied to the
// state as it is on disk at that moment (another run's record is never
// lost): a crash between the two leaves the new key with the old details,
// never details without their key. When only the state could not be read or
// written, the key is changed and the error is a *StateError. It returns
// the state written. Do not call it while holding the folder's Lock.
func (c KeyChange) Commit(folder *Folder, store Store) (*State, error) {
	if folder == nil {
		return nil, errors.New("config: KeyChange.Commit without a folder (use NewMemoryFolder to keep nothing on disk)")
	}
	unlock, err := folder.Lock(LockWait)
	if err != nil {
		return nil, err
	}
	defer unlock()
	current, err := store.Get(c.Profile)
	if err != nil && !errors.Is(err, ErrNoKey) {
		return nil, err
	}
	if current != c.Expected {
		return nil, ErrReplaced
	}
	if c.Key == "" {
		if err := store.Delete(c.Profile); err != nil && !errors.Is(err, ErrNoKey) {
			return nil, err
		}
	} else if err := store.Set(c.Profile, c.Key); err != nil {
		return nil, err
	}
	st, err := folder.modify(func(s *State) {
		if c.Record != nil {
			c.Record(s.Profile(c.Profile))
		}
	})
	if err != nil {
		return st, &StateError{err}
	}
	return st, nil
}

// StateError says the key was changed but state.json could not be read or
// written.
type StateError struct{ Err error }

func (e *StateError) Error() string {
	// Said for a key stored and for one forgotten alike.
	return fmt.Sprintf("the key change is done, but its details could not be recorded: %v", e.Err)
}
func (e *StateError) Unwrap() error { return e.Err }

// IsStateOnly reports whether err is only a failed state write.
func IsStateOnly(err error) bool {
	var se *StateError
	return errors.As(err, &se)
}
