package config

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/lattice-link/lattice-link/sanitize"
)

// Stores is every store this machine can keep a profile's key in (the OS
// keyring and the file), seen as one Store, so that a profile's key is in
// exactly one of them. Get looks where keys can be: the store state.json
// names first (a hint, never trusted to hide a key), then the others. Set
// puts the key in one store and removes every other copy; Delete removes
// the key from every store that holds one. A key found in two stores is an
// error (*TwoKeysError), never a silent choice.
type Stores struct {
	asked   StoreKind // Auto, KeyringStore or FileStore
	hint    StoreKind // where state.json says the key is
	file    *File
	keyring *Keyring

	mu       sync.Mutex
	located  map[string]Location // the last full look per profile, for Set and Delete
	current  Store               // where the last key found or written is
	fallback *KeyringError       // why auto put the key in the file instead of the keyring
}

// Place is a store that holds a key, for people: its kind, where it is and
// the key's fingerprint, never the key.
type Place struct {
	Kind        StoreKind
	Where       string
	Fingerprint string
}

// Location is where a profile's key was found.
type Location struct {
	Key string
	In  Store // nil when no store holds a key
	// Unread is why a store that was tolerated could not be read (a locked
	// keyring the hint does not point to, say); nil when every store answered.
	Unread error
}

// TwoKeysError says two stores hold a key for the profile: lattice-link
// will not choose one. Forgetting the profile's key clears both.
type TwoKeysError struct {
	Profile string
	Places  []Place
}

func (e *TwoKeysError) Error() string {
	var in []string
	for _, p := range e.Places {
		in = append(in, p.Fingerprint+" in "+p.Where)
	}
	return fmt.Sprintf("profile %s has a key in more than one store (%s), so none of them is used", e.Profile,
		strings.Join(in, " and "))
}

func (s *Stores) Kind() StoreKind { return s.where().Kind() }
func (s *Stores) Where() string   { return s.where().Where() }

// where is the store the last key found or written is in, else the one a
// new key would most likely go to (without asking the keyring).
func (s *Stores) where() Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.current != nil:
		return s.current
	case s.asked == FileStore, s.keyring == nil, s.asked == Auto && s.hint == FileStore:
		return s.file
	}
	return s.keyring
}

// Fallback is why auto kept a key in the file rather than the keyring; nil
// when it did not.
func (s *Stores) Fallback() *KeyringError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fallback
}

// order is the stores to look in, the hinted one (or the one asked for)
// first. Every store is looked in, whatever was asked: state.json's hint
// can be edited, and a copy in a store passed over would be left behind by
// the next change, or let a cleared record say that no key is stored.
func (s *Stores) order() []Store {
	if s.keyring == nil {
		return []Store{s.file}
	}
	if s.hint == FileStore || s.asked == FileStore && s.hint != KeyringStore {
		return []Store{s.file, s.keyring}
	}
	return []Store{s.keyring, s.file}
}

// Get is the profile's key, wherever it is.
func (s *Stores) Get(profile string) (string, error) {
	loc, err := s.Locate(profile)
	if err != nil {
		return "", err
	}
	if loc.In == nil {
		return "", ErrNoKey
	}
	return loc.Key, nil
}

// Reread is Get after a failed write: it waits for a keyring that went
// silent, as only it can say whether the write happened.
func (s *Stores) Reread(profile string) (string, error) {
	if s.keyring != nil {
		s.keyring.silent.Store(false)
	}
	return s.Get(profile)
}

// Locate looks in every store that may hold the profile's key and says
// where it is. Every one is asked, even when the first holds it: a copy
// left elsewhere is reported, and removed by the next change.
func (s *Stores) Locate(profile string) (Location, error) {
	type hit struct {
		st  Store
		key string
	}
	var hits []hit
	var failed, unread error // the first error; the first that might hide a key
	fatal := false
	for _, st := range s.order() {
		key, err := st.Get(profile)
		switch {
		case err == nil:
			hits = append(hits, hit{st, key})
		case errors.Is(err, ErrNoKey):
		default:
			// No keyring here at all (no D-Bus bus, say) holds nothing:
			// the other stores' answer is then the whole answer.
			if failed == nil {
				failed = err
			}
			if unread == nil && !isAbsent(err) {
				unread = err
			}
			// A keyring that is not there, or that neither the hint nor
			// --store points to, cannot be hiding the key: tolerated.
			// Anything else might be, and is reported.
			if _, isKeyring := IsKeyring(err); !isKeyring || st.Kind() == s.hint || st.Kind() == s.asked {
				fatal = true
			}
		}
	}
	switch {
	case len(hits) > 1:
		e := &TwoKeysError{Profile: profile}
		for _, h := range hits {
			e.Places = append(e.Places, Place{Kind: h.st.Kind(), Where: h.st.Where(), Fingerprint: Fingerprint(h.key)})
		}
		return Location{}, e
	case len(hits) == 0 && fatal:
		return Location{}, failed
	case len(hits) == 0 && unread != nil && s.remembered(profile):
		// A keyring that could not be read (locked, say) may hold the key
		// state.json describes, whatever its hint says: that is not "no
		// key", and a new key beside it would split the profile.
		return Location{}, unread
	}
	loc := Location{Unread: unread}
	if len(hits) == 1 {
		loc.Key, loc.In = hits[0].key, hits[0].st
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if loc.In != nil {
		s.current = loc.In
	}
	if s.located == nil {
		s.located = map[string]Location{}
	}
	s.located[profile] = loc
	return loc, nil
}

// remembered reports whether state.json describes a key for the profile.
func (s *Stores) remembered(profile string) bool {
	st, _, err := s.file.folder.LoadState()
	return err == nil && st.Profile(profile).Fingerprint != ""
}

// Holds reports whether any store holds a key for profile, leaving what
// Kind, Where and the next change know about this run's profile alone.
func (s *Stores) Holds(profile string) bool {
	for _, st := range s.order() {
		if k, err := st.Get(profile); err == nil && k != "" {
			return true
		}
	}
	return false
}

// holding is every store that held a key for the profile at the last full
// look (Locate), or a new look if there was none.
func (s *Stores) holding(profile string) ([]Store, Location, error) {
	s.mu.Lock()
	loc, ok := s.located[profile]
	s.mu.Unlock()
	if !ok {
		var err error
		if loc, err = s.Locate(profile); err != nil {
			var two *TwoKeysError
			if !errors.As(err, &two) {
				return nil, loc, err
			}
			// Both are to be cleared: list them.
			var list []Store
			for _, p := range two.Places {
				list = append(list, s.byKind(p.Kind))
			}
			return list, loc, nil
		}
	}
	if loc.In == nil {
		return nil, loc, nil
	}
	return []Store{loc.In}, loc, nil
}

func (s *Stores) byKind(k StoreKind) Store {
	if k == KeyringStore && s.keyring != nil {
		return s.keyring
	}
	return s.file
}

// target is the store a new key goes to: the one asked for; with auto, the
// keyring when the key is there now or the keyring answers, else the file
// (and Fallback says why). A key is never moved out of the keyring by auto.
func (s *Stores) target(loc Location) (Store, error) {
	switch {
	case s.keyring == nil || s.asked == FileStore:
		return s.file, nil
	case s.asked == KeyringStore:
		return s.keyring, nil
	case loc.In != nil && loc.In.Kind() == KeyringStore:
		return s.keyring, nil
	}
	if err := s.keyring.probe(); err != nil {
		var ke *KeyringError
		if errors.As(err, &ke) {
			s.mu.Lock()
			s.fallback = ke
			s.mu.Unlock()
		}
		return s.file, nil
	}
	return s.keyring, nil
}

// Set puts key in one store and removes any other copy for the profile.
// When a copy elsewhere cannot be removed, the new key is taken out again
// and the old one stays where it was: the key is never split across stores.
func (s *Stores) Set(profile, key string) error {
	others, loc, err := s.holding(profile)
	if err != nil {
		return err
	}
	target, err := s.target(loc)
	if err != nil {
		return err
	}
	if err := target.Set(profile, key); err != nil {
		return err
	}
	s.mu.Lock()
	s.current = target
	s.mu.Unlock()
	for _, st := range others {
		if st.Kind() == target.Kind() {
			continue
		}
		if err := st.Delete(profile); err != nil && !errors.Is(err, ErrNoKey) {
			s.undo(target, profile, loc)
			return &SplitError{From: Place{Kind: st.Kind(), Where: st.Where()}, Err: err}
		}
	}
	s.forget(profile)
	return nil
}

// undo takes a new key out of target after its move failed halfway.
func (s *Stores) undo(target Store, profile string, loc Location) {
	if loc.In != nil && loc.In.Kind() == target.Kind() {
		_ = target.Set(profile, loc.Key)
	} else {
		_ = target.Delete(profile)
	}
	s.mu.Lock()
	s.current = loc.In
	s.mu.Unlock()
}

// SplitError says a new key could not replace the key in another store, so
// nothing was changed.
type SplitError struct {
	From Place
	Err  error
}

func (e *SplitError) Error() string {
	return "the key in " + e.From.Where + " could not be removed, so the new key was not stored either: " + e.Err.Error()
}
func (e *SplitError) Unwrap() error { return e.Err }

// Delete removes the profile's key from every store that holds one.
func (s *Stores) Delete(profile string) error {
	list, _, err := s.holding(profile)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return ErrNoKey
	}
	for _, st := range list {
		if err := st.Delete(profile); err != nil && !errors.Is(err, ErrNoKey) {
			return err
		}
	}
	s.forget(profile)
	return nil
}

// forget drops the last look: after a change it no longer describes the stores.
func (s *Stores) forget(profile string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.located, profile)
}

// Places lists the stores holding a key for the profile at the last full
// look, for saying what a change cleared.
func (s *Stores) Places(profile string) []Place {
	list, _, err := s.holding(profile)
	if err != nil {
		return nil
	}
	var out []Place
	for _, st := range list {
		out = append(out, Place{Kind: st.Kind(), Where: st.Where()})
	}
	return out
}

// Fingerprint is "••••" and the key's last four characters, cleaned: a key
// read from a store may have been put there by someone else. Short keys
// show "?".
func Fingerprint(key string) string {
	r := []rune(key)
	if len(r) <= 8 {
		return "••••?"
	}
	return "••••" + sanitize.Line(string(r[len(r)-4:]), 4)
}

// isAbsent reports whether err says there is no keyring at all.
func isAbsent(err error) bool {
	p, ok := IsKeyring(err)
	return ok && p == KeyringAbsent
}
