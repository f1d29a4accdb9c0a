package link

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// Found is the profile's stored key and where it is.
type Found struct {
	Key         string // "" when no key is stored
	Fingerprint string
	Kind        config.StoreKind
	Where       string
	// Repaired is what this run repaired in state.json, which described
	// another key than the one stored (a run cut short between writing the
	// key and recording it): said once, by the face that sees it first.
	Repaired *Repaired
}

// Repaired says state.json's record of the profile was set right.
type Repaired struct {
	// Was is the fingerprint the record described ("" when it described
	// none); Now the stored key's ("" when none is stored).
	Was, Now string
	// Interrupted: Now replaced Was in a run that ended before recording
	// it, so Was may still work: the user is to revoke it.
	Interrupted bool
}

// ErrDirtyKey says a store holds a "key" with control characters or
// escape sequences: no Lattice key has them, so it was put there by
// something else, and it is neither shown nor sent.
var ErrDirtyKey = errors.New("the stored key has control characters or escape sequences, which no Lattice key has, " +
	"so it is not used")

// Lookup reads the profile's key from wherever it is stored and, when
// state.json no longer describes it, repairs the record: the owner is left
// for the next live check to fill in, the age becomes unknown (rather than
// the old key's), and a replaced key is recorded as an interrupted rotation
// so the user is still told to revoke it.
func (l *Link) Lookup() (Found, error) {
	f, store, sure, err := l.look()
	if err != nil {
		return Found{}, err
	}
	if sure {
		f.Repaired = l.repair(store, f)
	}
	return f, nil
}

// look reads the profile's key; sure says every store that might hold one
// answered.
func (l *Link) look() (Found, config.Store, bool, error) {
	store, err := l.Store()
	if err != nil {
		return Found{}, nil, false, err
	}
	var key string
	sure := true // every store that might hold a key answered
	if s, ok := store.(*config.Stores); ok {
		var loc config.Location
		loc, err = s.Locate(l.Profile)
		key, sure = loc.Key, loc.Unread == nil
		if err == nil && loc.In == nil {
			err = config.ErrNoKey
		}
	} else {
		key, err = store.Get(l.Profile)
	}
	switch {
	case errors.Is(err, config.ErrNoKey):
		key = ""
	case err != nil:
		return Found{}, nil, false, err
	case sanitize.Line(key, 0) != key:
		return Found{}, nil, false, ErrDirtyKey
	}
	f := Found{Key: key, Kind: store.Kind(), Where: store.Where()}
	if key != "" {
		f.Fingerprint = lattice.Fingerprint(key)
	}
	return f, store, sure, nil
}

// Holding is what the store holds now and state.json's record of it.
type Holding struct {
	Key        string // "" when no key is stored
	Remembered config.Profile
	// Changed says the key is not the one the face showed: it is not to
	// be used for what the user asked about the one shown.
	Changed bool
}

// HoldsNow reads the stored key and its record together under the
// folder's lock, so that no connect, rotation or forget of another run
// falls between the read and the comparison with expected, the key the
// face read and showed ("" for none). The keys themselves are compared,
// not fingerprints, which two keys can share.
func (l *Link) HoldsNow(expected string) (Holding, error) {
	unlock, err := l.Folder.Lock(2 * time.Second)
	if err != nil {
		return Holding{}, err
	}
	defer unlock()
	f, _, _, err := l.look()
	if err != nil {
		return Holding{}, err
	}
	p, _, err := l.Remembered()
	if err != nil {
		return Holding{}, err
	}
	return Holding{Key: f.Key, Remembered: p, Changed: f.Key != expected}, nil
}

// repair sets state.json's record right when it describes another key than
// f, under the folder's lock (a run that holds it may be between its two
// writes right now: then this one leaves the record to it).
func (l *Link) repair(store config.Store, f Found) *Repaired {
	l.mu.Lock()
	said := l.repaired
	l.mu.Unlock()
	if said != nil || l.Demo {
		return said
	}
	p, _, err := l.Remembered()
	if err != nil || p.Fingerprint == f.Fingerprint {
		if err == nil && f.Key != "" && p.Store != f.Kind && p.Fingerprint == f.Fingerprint {
			_, _ = l.Folder.Update(l.Profile, func(p *config.Profile) { p.Store = f.Kind }) // only a hint
		}
		return nil
	}
	unlock, err := l.Folder.Lock(200 * time.Millisecond)
	if err != nil {
		return nil
	}
	defer unlock()
	key, err := store.Get(l.Profile)
	if err != nil && !errors.Is(err, config.ErrNoKey) || key != f.Key {
		return nil
	}
	var r *Repaired
	_, err = l.Folder.Update(l.Profile, func(p *config.Profile) {
		if p.Fingerprint == f.Fingerprint {
			return
		}
		r = &Repaired{Was: p.Fingerprint, Now: f.Fingerprint}
		if f.Key == "" {
			p.Forgotten()
			return
		}
		if p.Fingerprint != "" {
			r.Interrupted = true
			p.Rotations = append(slices.Clone(p.Rotations), config.Rotation{From: p.Fingerprint, To: f.Fingerprint,
				At: time.Now().UTC(), FromRegion: p.Region, Interrupted: true})
		}
		p.Fingerprint, p.Store = f.Fingerprint, f.Kind
		p.Owner, p.CreatedAt, p.CheckedAt, p.CheckResult = config.Owner{}, time.Time{}, time.Time{}, ""
	})
	if err != nil || r == nil {
		return nil
	}
	l.mu.Lock()
	l.repaired = r
	l.mu.Unlock()
	return r
}

// Repaired is what this run repaired in state.json, nil when nothing.
func (l *Link) Repaired() *Repaired {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.repaired
}

// Words says what was repaired and what to do, for every face.
func (r *Repaired) Words() string {
	switch {
	case r.Now == "":
		return fmt.Sprintf("state.json described the key %s, which is no longer stored; its record is cleared now.", r.Was)
	case r.Interrupted:
		return fmt.Sprintf("The last change of the key was cut short: %s is stored, but state.json still described %s. "+
			"The record describes %s now (its age is not known). If %s was replaced, revoke it in Lattice (%s).",
			r.Now, r.Was, r.Now, r.Was, KeysPage)
	}
	return fmt.Sprintf("state.json did not describe the stored key %s; now it does (its age is not known).", r.Now)
}

// LastRotationInterrupted is the key a rotation cut short replaced, when
// the stored key came from it: the user may never have been told to
// revoke it. "" otherwise, and once it is known revoked.
func LastRotationInterrupted(p config.Profile) string {
	if n := len(p.Rotations); n > 0 {
		if r := p.Rotations[n-1]; r.Interrupted && r.To == p.Fingerprint && !r.Revoked {
			return r.From
		}
	}
	return ""
}

// Unrevoked are the keys rotations replaced that Lattice was never seen to
// reject since (config.Rotation.Revoked): they may still work, to be revoked
// in Lattice. The stored key is never among them.
func Unrevoked(p config.Profile) []string {
	var keys []string
	for _, r := range p.Rotations {
		if !r.Revoked && r.From != p.Fingerprint && !slices.Contains(keys, r.From) {
			keys = append(keys, r.From)
		}
	}
	return keys
}

// UnrevokedWords tells, when a key is forgotten, of the keys its
// rotations replaced that may still work; "" when there are none.
func UnrevokedWords(p config.Profile) string {
	keys := Unrevoked(p)
	if len(keys) == 0 {
		return ""
	}
	return "A key a rotation replaced before it, " + strings.Join(keys, ", ") +
		", may still work too: Lattice did not confirm it revoked. Revoke it in " + KeysPage + "."
}

// storeNote says why a key is not where it was asked to be.
func storeNote(store config.Store) string {
	s, ok := store.(*config.Stores)
	if !ok {
		return ""
	}
	if fb := s.Fallback(); fb != nil && store.Kind() == config.FileStore {
		note := fmt.Sprintf("The OS keyring is not available (%s), so the key is kept in %s.", keyringReason(fb), store.Where())
		if fb.Problem == config.KeyringAbsent {
			return note // there is no keyring to insist on
		}
		return note + " Use --store keyring to insist on the keyring."
	}
	return ""
}

// keyringReason is why the keyring could not be used, in a few words.
func keyringReason(e *config.KeyringError) string {
	switch e.Problem {
	case config.KeyringLocked:
		return "it is locked"
	case config.KeyringSilent:
		return fmt.Sprintf("it did not answer within %s", config.KeyringTimeout)
	case config.KeyringAbsent:
		return "there is none here"
	}
	return sanitize.Line(e.Err.Error(), 200)
}

// UnsureError says Lattice accepted the key but the store could not say
// whether it was stored.
type UnsureError struct {
	Fingerprint string
	Err         error
}

func (e *UnsureError) Error() string {
	return "Lattice accepted the key " + e.Fingerprint + ", but " + e.Err.Error()
}
func (e *UnsureError) Unwrap() error { return e.Err }

// Progress is where the user got to in the guide and what they answered
// on the way (the answers themselves are kept by SaveAnswers): nothing
// secret, so that a re-run resumes there.
type Progress struct {
	Step     steps.ID
	Approved bool // "is API access approved?" was answered yes
}

// SaveProgress remembers where the user got to and returns the state it
// wrote.
func (l *Link) SaveProgress(pr Progress) (*config.State, error) {
	return l.remember(func(p *config.Profile) {
		p.Progress = config.Progress{Step: steps.Get(pr.Step).Name, Approved: pr.Approved}
	})
}

// Resume is where a re-run picks up: the step the user got to and their
// answer; ok is false when nothing was remembered (start at the beginning).
func Resume(p config.Profile) (pr Progress, ok bool) {
	st, err := steps.ByName(p.Progress.Step)
	if p.Progress.Step == "" || err != nil {
		return Progress{}, false
	}
	return Progress{Step: st.ID, Approved: p.Progress.Approved}, true
}

// OthersWithKeys are the other profiles that hold a key on this machine,
// sorted: for a face to name when the chosen profile has none.
func (l *Link) OthersWithKeys() ([]string, error) {
	store, err := l.Store()
	if err != nil {
		return nil, err
	}
	names, err := l.Folder.Profiles()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range names {
		if name == l.Profile {
			continue
		}
		if s, ok := store.(*config.Stores); ok {
			if s.Holds(name) {
				out = append(out, name)
			}
		} else if k, err := store.Get(name); err == nil && k != "" {
			out = append(out, name)
		}
	}
	return out, nil
}
