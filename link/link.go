// Package link is the key's lifecycle, written once: check a key with
// Lattice, connect it (store only a key Lattice accepted), rotate, check that
// the old key is revoked, forget it, report its status, and remember the
// answers the guide asks for. The wizard, plain mode and the commands call
// these and nothing else to change what is stored. Nothing here prints,
// reads a terminal or knows about Bubble Tea: every operation returns a
// typed result that says what happened.
package link

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/steps"
)

// Link is one profile's key and what is remembered about it.
type Link struct {
	Profile string
	Client  *lattice.Client
	// Folder holds state.json (a memory folder in the demo).
	Folder *config.Folder
	Demo   bool
	// RotateDays is the age at which rotating is suggested; 0 is the default.
	RotateDays int

	openStore func() (config.Store, error)
	mu        sync.Mutex
	store     config.Store
	storeErr  error
	opened    bool
	// replaced is the region each replaced key was remembered in, by key,
	// for CheckRevoked: in memory only, as the old key is.
	replaced map[string]lattice.Region
	repaired *Repaired // what this run repaired in state.json, to be said once
}

// Config is what a Link is built from.
type Config struct {
	Profile string
	Client  *lattice.Client
	Folder  *config.Folder
	// OpenStore opens the credential store. It may take seconds (the OS
	// keyring is probed), so it runs on first use, never before a face has
	// drawn anything.
	// Why a key went to the file rather than the keyring is known only
	// once it is written: Connected.StoreNote says it.
	OpenStore  func() (config.Store, error)
	Demo       bool
	RotateDays int
}

// New builds a Link; nothing is read until an operation needs it.
func New(c Config) *Link {
	return &Link{Profile: c.Profile, Client: c.Client, Folder: c.Folder, Demo: c.Demo, RotateDays: c.RotateDays,
		openStore: c.OpenStore}
}

// Store opens the credential store once.
func (l *Link) Store() (config.Store, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.opened {
		l.store, l.storeErr = l.openStore()
		l.opened = true
	}
	return l.store, l.storeErr
}

// Where says where keys are kept, for people; "" while the store is not open.
func (l *Link) Where() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.store == nil {
		return ""
	}
	return l.store.Where()
}

// Stored is the key stored for the profile, "" when there is none. A key
// found in two stores is an error (*config.TwoKeysError); a record in
// state.json that no longer describes the stored key is repaired (see
// Lookup, which also says where the key is).
func (l *Link) Stored() (string, error) {
	f, err := l.Lookup()
	return f.Key, err
}

// Remembered is what state.json says about the profile now. A file that
// could not be read is reported in warning and read as empty.
func (l *Link) Remembered() (p config.Profile, warning string, err error) {
	st, warning, err := l.Folder.LoadState()
	if err != nil {
		return config.Profile{}, "", err
	}
	return *st.Profile(l.Profile), warning, nil
}

// Checked is what Lattice said about a key it accepted.
type Checked struct {
	Identity lattice.Identity
	// SCIM is set when SCIM was checked and answered; SCIMErr when it was
	// checked and could not be.
	SCIM    *lattice.SCIM
	SCIMErr error
}

// Check asks Lattice whose key this is (trying the other region when the
// host is not pinned) and, when scim is set, whether SCIM answers to it.
func (l *Link) Check(ctx context.Context, key string, scim bool) (Checked, error) {
	if _, err := nango.ParseLink(key, ""); err == nil {
		return Checked{}, ErrConnectLink // a credential for Nango: never sent to Lattice
	}
	// SCIM is asked at once, beside /v1/me, at the host the key is tried
	// at first: a slow SCIM then costs no time of its own. It is asked
	// again where the key works when that is the other region's host.
	sctx, cancel := context.WithCancel(ctx)
	defer cancel() // a key Lattice rejects needs no SCIM answer, nor one skipped
	var early <-chan scimAnswer
	if scim {
		early = l.askSCIM(sctx, key, l.Client.Primary)
	}
	id, err := l.Client.Verify(ctx, key)
	if err != nil {
		return Checked{}, err
	}
	c := Checked{Identity: id}
	if scim {
		stage(ctx, StageSCIM)
		answer := early
		if id.Endpoint.URL != l.Client.Primary.URL {
			answer = l.askSCIM(sctx, key, id.Endpoint)
		}
		skip, _ := ctx.Value(scimSkipKey{}).(<-chan struct{}) // nil, never ready, when none was given
		select {
		case a := <-answer:
			c.SCIM, c.SCIMErr = &a.scim, a.err
			if a.err != nil {
				c.SCIM = nil
			}
		case <-skip:
			c.SCIMErr = ErrSCIMSkipped
		}
	}
	return c, nil
}

// scimAnswer is what Lattice's SCIM API said about a key.
type scimAnswer struct {
	scim lattice.SCIM
	err  error
}

// askSCIM asks the SCIM API at ep about key in the background.
func (l *Link) askSCIM(ctx context.Context, key string, ep lattice.Endpoint) <-chan scimAnswer {
	answer := make(chan scimAnswer, 1)
	go func() {
		s, err := l.Client.CheckSCIM(ctx, key, ep)
		answer <- scimAnswer{s, err}
	}()
	return answer
}

type scimSkipKey struct{}

// WithSCIMSkip returns a context whose checks stop waiting for SCIM's
// answer once skip is closed: the key Lattice accepted is then connected
// with SCIM not checked (SCIMErr is ErrSCIMSkipped).
func WithSCIMSkip(ctx context.Context, skip <-chan struct{}) context.Context {
	return context.WithValue(ctx, scimSkipKey{}, skip)
}

// ErrSCIMSkipped says SCIM was not checked: the user stopped waiting for it.
var ErrSCIMSkipped = errors.New("you stopped waiting for it")

// Connected is a key Lattice accepted and this machine now stores.
type Connected struct {
	Checked
	Fingerprint string
	// Demo: the demo's connect, which keeps nothing past the run.
	Demo bool
	// Profile is the profile it is stored for, which the commands its
	// words name act on.
	Profile string
	// Old is the key it replaced, in memory only, for CheckRevoked; "" when
	// no key was stored before.
	Old string
	// Where the key is kept now, and why there (StoreNote), for people.
	Where     string
	StoreKind config.StoreKind
	StoreNote string
	// Moved is set when the key replaced one kept in another store (the
	// keyring, say, now the file): that store holds no key any more.
	Moved *config.Place
	// Before is the replaced key as it was remembered: owner, region and
	// the last check's result (zero when no key was stored).
	Before config.Profile
	// State is state.json as this connect wrote it, for the faces to show.
	State *config.State
	// StateErr is set when the key is stored but state.json could not be
	// written: the key works, its details are stale.
	StateErr error
	// Doubt is set when the store reported an error though reading it
	// again showed the key stored (the folder could not be flushed, say).
	Doubt error
}

// Rotated reports whether this connect replaced another key.
func (c Connected) Rotated() bool { return c.Old != "" }

// NotStoredError says Lattice accepted a key that could then not be stored.
type NotStoredError struct{ Err error }

func (e *NotStoredError) Error() string {
	return "Lattice accepted the key, but it could not be stored: " + e.Err.Error()
}
func (e *NotStoredError) Unwrap() error { return e.Err }

// ErrConnectLink says a Nango Connect link or session token was given
// where a Lattice key was expected. It was sent nowhere.
var ErrConnectLink = errors.New("that is an app's Nango Connect link, not a Lattice API key; nothing was sent")

// ErrSameKey says the key given is the one already stored.
var ErrSameKey = errors.New("that is the key already stored: generate a new key in Lattice and use that one")

// Connect checks key with Lattice and, only when Lattice accepts it, stores
// it in place of expected, the key the caller found stored ("" for none).
// The swap is a compare-and-swap under the folder's lock: when another run
// changed the stored key meanwhile, nothing is stored and the error is
// config.ErrReplaced. A rotation is a Connect with the old key as expected;
// one whose new key is another person's, or no longer an admin's, stores
// nothing and returns a *ConfirmError until Confirm is given the user's yes.
func (l *Link) Connect(ctx context.Context, key, expected string, scim bool) (Connected, error) {
	if expected != "" && key == expected {
		return Connected{}, ErrSameKey
	}
	checked, err := l.Check(ctx, key, scim)
	if err != nil {
		return Connected{}, err
	}
	if expected != "" {
		if err := l.holdForYes(checked, key, expected); err != nil {
			return Connected{}, err
		}
	}
	// A stop that came while Lattice answered is a stop: nothing is stored,
	// as every face then says.
	if err := ctx.Err(); err != nil {
		return Connected{}, err
	}
	return l.keep(checked, key, expected)
}

// keep stores a key Lattice has just accepted.
func (l *Link) keep(checked Checked, key, expected string) (Connected, error) {
	store, err := l.Store()
	if err != nil {
		return Connected{}, &NotStoredError{err}
	}
	ep, u := checked.Identity.Endpoint, checked.Identity.User
	fp := lattice.Fingerprint(key)
	c := Connected{Checked: checked, Fingerprint: fp, Old: expected, Demo: l.Demo, Profile: l.Profile}
	change := config.KeyChange{Profile: l.Profile, Expected: expected, Key: key, Record: func(p *config.Profile) {
		if expected != "" && p.Fingerprint == lattice.Fingerprint(expected) {
			c.Before = *p
		}
		p.Connected(fp, config.Owner{Name: u.Name, Email: u.Email, IsAdmin: u.IsAdmin},
			string(ep.Region), store.Kind(), time.Now().UTC())
	}}
	done, err := change.Commit(l.Folder, store)
	if err != nil {
		var unsure *config.UnsureError
		switch {
		case errors.Is(err, config.ErrReplaced), errors.Is(err, config.ErrLocked):
			return Connected{}, err
		case errors.As(err, &unsure):
			return Connected{}, &UnsureError{Fingerprint: fp, Err: err}
		}
		return Connected{}, &NotStoredError{err}
	}
	c.Where, c.StoreKind, c.StoreNote = store.Where(), store.Kind(), storeNote(store)
	c.State, c.StateErr, c.Doubt = done.State, done.StateErr, done.Doubt
	for _, p := range done.Cleared {
		if p.Kind != c.StoreKind {
			c.Moved = &p
		}
	}
	if expected != "" {
		l.mu.Lock()
		if l.replaced == nil {
			l.replaced = map[string]lattice.Region{}
		}
		l.replaced[expected] = lattice.Region(c.Before.Region)
		l.mu.Unlock()
	}
	return c, nil
}

// Forgotten is a key no longer stored here.
type Forgotten struct {
	Fingerprint string
	// Cleared is every store that held a key for the profile (two when a
	// key was found in both, each with its fingerprint).
	Cleared []config.Place
	// Before is the key as it was remembered (the last check's result).
	Before   config.Profile
	State    *config.State // state.json as the forget wrote it
	StateErr error         // forgotten, but state.json still describes it
}

// Forget removes expected, the key the caller found stored, under the same
// compare-and-swap as Connect, from every store that holds a key for the
// profile. The answers and rotation history stay.
func (l *Link) Forget(expected string) (Forgotten, error) {
	return l.forget(config.KeyChange{Profile: l.Profile, Expected: expected}, lattice.Fingerprint(expected))
}

// ForgetEverywhere removes whatever key the profile has in any store,
// without comparing: for a key found in two stores, which has no one
// expected value (logout).
func (l *Link) ForgetEverywhere() (Forgotten, error) {
	var places []config.Place
	var two *config.TwoKeysError
	if _, err := l.Stored(); errors.As(err, &two) {
		places = two.Places
	}
	f, err := l.forget(config.KeyChange{Profile: l.Profile, Everywhere: true}, "")
	for i := range f.Cleared {
		for _, p := range places {
			if p.Kind == f.Cleared[i].Kind {
				f.Cleared[i].Fingerprint = p.Fingerprint
			}
		}
	}
	return f, err
}

func (l *Link) forget(change config.KeyChange, fp string) (Forgotten, error) {
	store, err := l.Store()
	if err != nil {
		return Forgotten{}, err
	}
	f := Forgotten{Fingerprint: fp}
	change.Record = func(p *config.Profile) {
		f.Before = *p
		p.Forgotten()
		if f.Before.Fingerprint != "" {
			// Lattice accepted that key, so API access is approved: a later
			// run goes on at generating a new key instead of asking again.
			p.Progress = config.Progress{Step: steps.Get(steps.GenerateKey).Name, Approved: true}
		}
	}
	done, err := change.Commit(l.Folder, store)
	if err != nil {
		return Forgotten{}, err
	}
	f.Cleared, f.State, f.StateErr = done.Cleared, done.State, done.StateErr
	for i := range f.Cleared {
		if f.Cleared[i].Fingerprint == "" {
			f.Cleared[i].Fingerprint = fp
		}
	}
	return f, nil
}

// Status is a live check of a key that is not being typed: the stored one,
// or LATTICE_API_KEY.
type Status struct {
	Fingerprint string
	FromEnv     bool
	Checked     Checked
	// Err is why the check failed; nil when Lattice accepted the key.
	Err       error
	CheckedAt time.Time
	// Remembered is the profile as state.json had it after the check.
	Remembered config.Profile
}

// Valid reports whether Lattice accepted the key.
func (s Status) Valid() bool { return s.Err == nil }

// Word is the status as one word, for status --json and the home screen.
func (s Status) Word() string { return Word(s.Err) }

// Word names the outcome of a check.
func Word(err error) string {
	switch lattice.KindOf(err) {
	case 0:
		if err != nil {
			return "error"
		}
		return "valid"
	case lattice.Rejected:
		return "rejected"
	case lattice.Forbidden:
		return "forbidden"
	case lattice.RateLimited:
		return "rate_limited"
	case lattice.ServerError:
		return "server_error"
	case lattice.Unreachable:
		return "unreachable"
	}
	return "unexpected"
}

// CheckStatus checks key live. For the stored key (not fromEnv) the
// outcome is remembered when it says something about the key (accepted or
// rejected); only the check's own fields change, so a connect that ran
// meanwhile keeps its record. The remembered region never changes here:
// flags apply to the run, and only Connect changes what is remembered.
func (l *Link) CheckStatus(ctx context.Context, key string, fromEnv, scim bool) Status {
	s := Status{Fingerprint: lattice.Fingerprint(key), FromEnv: fromEnv}
	s.Checked, s.Err = l.Check(ctx, key, scim)
	s.CheckedAt = time.Now().UTC()
	word := Word(s.Err)
	if !fromEnv && (word == "valid" || word == "rejected" || word == "forbidden") {
		u := s.Checked.Identity.User
		fp := s.Fingerprint
		st, err := l.Folder.Update(l.Profile, func(p *config.Profile) {
			if p.Fingerprint != "" && p.Fingerprint != fp {
				return // another key was stored meanwhile: this check is not about it
			}
			p.CheckedAt, p.CheckResult = s.CheckedAt, word
			if word == "valid" {
				p.Owner = config.Owner{Name: u.Name, Email: u.Email, IsAdmin: u.IsAdmin}
			}
		})
		if err == nil {
			s.Remembered = *st.Profile(l.Profile)
			return s
		}
	}
	if p, _, err := l.Remembered(); err == nil {
		s.Remembered = p
	}
	return s
}

// SaveAnswers remembers the request-access email's answers and returns
// the state it wrote, as every Save here does, for the faces to show.
func (l *Link) SaveAnswers(a steps.Answers) (*config.State, error) {
	return l.remember(func(p *config.Profile) { p.Answers = config.Answers(a.Clean()) })
}

// SaveSubdomain remembers the company's Lattice subdomain.
func (l *Link) SaveSubdomain(sub string) (*config.State, error) {
	return l.remember(func(p *config.Profile) { p.Subdomain = sub })
}

// SaveCheckSCIM remembers whether Connect also checks SCIM.
func (l *Link) SaveCheckSCIM(on bool) (*config.State, error) {
	return l.remember(func(p *config.Profile) { p.CheckSCIM = on })
}

// MarkRequested remembers that the user sent the request-access email.
// Copying or saving it is not sending: only the user's word counts.
func (l *Link) MarkRequested(at time.Time) (*config.State, error) {
	return l.remember(func(p *config.Profile) { p.AccessRequestedAt = at.UTC() })
}

func (l *Link) remember(change func(*config.Profile)) (*config.State, error) {
	st, err := l.Folder.Update(l.Profile, change)
	if err != nil {
		return nil, err // config's words; each face says what was not remembered
	}
	return st, nil
}

// DefaultRotateDays is how old a key gets before a rotation is suggested:
// Lattice keys never expire, so teams rotate them on a schedule.
const DefaultRotateDays = 90

// Age is how old the stored key is, in whole days, and whether rotating it
// is due. It never blocks anything: it is a reminder.
func (l *Link) Age(created time.Time, now time.Time) (days int, due bool) {
	if created.IsZero() {
		return 0, false
	}
	days = int(now.Sub(created).Hours() / 24)
	limit := l.RotateDays
	if limit <= 0 {
		limit = DefaultRotateDays
	}
	return days, days >= limit
}
