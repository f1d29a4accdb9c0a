package config

import (
	"errors"
	"fmt"
	"time"
)

// LockWait is how long a write waits for another lattice-link to finish.
var LockWait = 2 * time.Second

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

// StoreKey stores key for profile and then writes st, both under the
// folder's lock (folder nil: no lock, no state). The key goes first: a crash
// between the two leaves the new key with the old details, never a detail
// without its key. A failed state write is reported after the key is safe.
func StoreKey(folder *Folder, store Store, profile, key string, st *State, seq uint64) error {
	return locked(folder, func() error {
		if err := store.Set(profile, key); err != nil {
			return err
		}
		if folder == nil {
			return nil
		}
		if err := folder.SaveState(st, seq); err != nil {
			return &StateError{err}
		}
		return nil
	})
}

// ForgetKey deletes profile's key and writes st, under the lock. A profile
// without a key is ErrNoKey.
func ForgetKey(folder *Folder, store Store, profile string, st *State, seq uint64) error {
	return locked(folder, func() error {
		if err := store.Delete(profile); err != nil {
			return err
		}
		if folder == nil {
			return nil
		}
		if err := folder.SaveState(st, seq); err != nil {
			return &StateError{err}
		}
		return nil
	})
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
