package config

import (
	"errors"
	"time"
)

// LockWait is how long a write waits for another lattice-link to finish.
var LockWait = 2 * time.Second

// ErrReplaced says the stored key changed after this run read it: another
// lattice-link stored or forgot a key meanwhile. Nothing was changed.
var ErrReplaced = errors.New("another lattice-link changed the stored key while this one was working, " +
	"so nothing was changed here")

// Connected records in the profile a key Lattice has just accepted. When it
// replaces another key, the rotation is recorded by fingerprint.
func (p *Profile) Connected(fingerprint string, owner Owner, region string, store StoreKind, now time.Time) {
	if p.Fingerprint != "" && p.Fingerprint != fingerprint {
		p.Rotations = append(p.Rotations, Rotation{From: p.Fingerprint, To: fingerprint, At: now, FromRegion: p.Region,
			Revoked: p.CheckResult == "rejected"})
	}
	p.Fingerprint, p.Owner, p.Region, p.Store = fingerprint, owner, region, store
	p.CreatedAt, p.CheckedAt, p.CheckResult = now, now, "valid"
	p.Progress = Progress{} // the guide is done
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
// Everywhere forgets whatever key is stored, in every store, without
// comparing (a key found in two stores has no one Expected). Record notes
// the change in the profile.
type KeyChange struct {
	Profile    string
	Expected   string
	Key        string
	Everywhere bool
	Record     func(*Profile)
}

// Committed is a key change that was made.
type Committed struct {
	// State is the state written, or meant to be when StateErr is set.
	State *State
	// StateErr: the key changed, but state.json could not be read or
	// written, so it still describes the key as it was (the next run
	// repairs it).
	StateErr error
	// Doubt: the store reported an error, but reading it again showed the
	// change had been made (a folder that could not be flushed after the
	// rename, say): the change may not survive a power cut.
	Doubt error
	// Cleared is every store that held a key for the profile before.
	Cleared []Place
}

// Commit makes the change under the folder's lock, as a compare-and-swap:
// if the stored key is no longer Expected, it changes nothing and returns
// ErrReplaced. The key is written first, then Record is applied to the
// state as it is on disk at that moment (another run's record is never
// lost): a crash between the two leaves the new key with the old details,
// which the next run notices and repairs. What is reported after a failed
// write comes from reading the store again: an error means the change was
// not made, or, as *UnsureError, that the store cannot say. Do not call it
// while holding the folder's Lock.
func (c KeyChange) Commit(folder *Folder, store Store) (Committed, error) {
	if folder == nil {
		return Committed{}, errors.New("config: KeyChange.Commit without a folder (use NewMemoryFolder to keep nothing on disk)")
	}
	unlock, err := folder.Lock(LockWait)
	if err != nil {
		return Committed{}, err
	}
	defer unlock()
	current, err := look(store, c.Profile)
	var two *TwoKeysError
	switch {
	case c.Everywhere && errors.As(err, &two):
	case err != nil && !errors.Is(err, ErrNoKey):
		return Committed{}, err
	case !c.Everywhere && current != c.Expected:
		return Committed{}, ErrReplaced
	}
	var done Committed
	if s, ok := store.(*Stores); ok {
		done.Cleared = s.Places(c.Profile)
	} else if current != "" {
		done.Cleared = []Place{{Kind: store.Kind(), Where: store.Where()}}
	}
	if werr := c.write(store); werr != nil {
		// Read again: the write may have been made though an error came
		// back (a failed flush after the rename, a keyring that answered late).
		now, rerr := reread(store, c.Profile)
		problem, _ := IsKeyring(werr)
		switch {
		case problem == KeyringLocked || problem == KeyringAbsent:
			return Committed{}, werr // refused outright: nothing was written
		case rerr != nil && !errors.Is(rerr, ErrNoKey):
			return Committed{}, &UnsureError{Err: werr}
		case now != c.Key:
			return Committed{}, werr
		}
		done.Doubt = werr
	}
	done.State, err = folder.modify(func(s *State) {
		if c.Record != nil {
			c.Record(s.Profile(c.Profile))
		}
	})
	if err != nil {
		done.StateErr = err
	}
	return done, nil
}

func (c KeyChange) write(store Store) error {
	if c.Key != "" {
		return store.Set(c.Profile, c.Key)
	}
	if err := store.Delete(c.Profile); err != nil && !errors.Is(err, ErrNoKey) {
		return err
	}
	return nil
}

// look is the profile's key, read from every store that may hold it.
func look(store Store, profile string) (string, error) {
	if s, ok := store.(*Stores); ok {
		loc, err := s.Locate(profile)
		if err != nil {
			return "", err
		}
		return loc.Key, nil
	}
	return store.Get(profile)
}

// reread reads the profile's key after a failed write, from a store that
// can be asked to wait again for a keyring that went silent.
func reread(store Store, profile string) (string, error) {
	if r, ok := store.(interface{ Reread(string) (string, error) }); ok {
		return r.Reread(profile)
	}
	return store.Get(profile)
}

// UnsureError says a write failed and the store could then not be read, so
// whether the change was made is not known.
type UnsureError struct{ Err error }

func (e *UnsureError) Error() string {
	return "it is not known whether the key was changed: " + e.Err.Error() + ", and the store could not be read again"
}
func (e *UnsureError) Unwrap() error { return e.Err }
