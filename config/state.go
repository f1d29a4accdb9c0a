package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lattice-link/lattice-link/sanitize"
)

// StateVersion is the format of state.json.
const StateVersion = 1

// State is everything remembered between runs except keys: per profile, the
// stored key's description and the wizard's progress. It never holds a key.
type State struct {
	Version  int                 `json:"version"`
	Profiles map[string]*Profile `json:"profiles"`
}

// Profile is one Lattice org's part of State.
type Profile struct {
	Region      string     `json:"region,omitempty"`
	Store       StoreKind  `json:"store,omitempty"`       // where the key was last seen: a hint only
	Fingerprint string     `json:"fingerprint,omitempty"` // "••••" + the key's last four
	Owner       Owner      `json:"owner,omitzero"`
	CreatedAt   time.Time  `json:"created_at,omitzero"` // when this key was stored
	CheckedAt   time.Time  `json:"checked_at,omitzero"` // the last live check
	CheckResult string     `json:"check_result,omitempty"`
	Rotations   []Rotation `json:"rotations,omitempty"`
	Handoffs    []Handoff  `json:"handoffs,omitempty"` // keys handed to apps through Nango, newest last

	// Progress is where the user got to in the guide, for a re-run.
	Progress Progress `json:"progress,omitzero"`

	Answers           Answers   `json:"answers,omitzero"`
	AccessRequestedAt time.Time `json:"access_requested_at,omitzero"`
	Subdomain         string    `json:"subdomain,omitempty"`
	CheckSCIM         bool      `json:"check_scim,omitempty"`
}

// Progress is where the user got to in the guide and what they answered
// to "is API access approved?"; never anything secret.
type Progress struct {
	Step     string `json:"step,omitempty"` // a step's name, as --step takes it
	Approved bool   `json:"approved,omitempty"`
}

// Owner is who a key belongs to, as Lattice said.
type Owner struct {
	Name    string `json:"name,omitempty"`
	Email   string `json:"email,omitempty"`
	IsAdmin bool   `json:"is_admin,omitempty"`
}

// Rotation records that one key replaced another.
type Rotation struct {
	From string    `json:"from"` // fingerprints only
	To   string    `json:"to"`
	At   time.Time `json:"at"`
	// FromRegion is where the replaced key worked, as remembered then.
	FromRegion string `json:"from_region,omitempty"`
	// Interrupted: the run that stored To ended before it recorded the
	// rotation (found and repaired by a later run), so the user may never
	// have been told to revoke From.
	Interrupted bool `json:"interrupted,omitempty"`
	// Revoked: Lattice rejected From, at the rotation or when the check
	// after it asked, or the user said they revoked it (a later run holds
	// no copy of From to ask with); until then the home screen reminds to
	// revoke it.
	Revoked bool `json:"revoked,omitempty"`
}

// Answers are the request-access email's answers (steps.Answers has the
// same fields; config imports nothing of the project's own).
type Answers struct {
	Company  string `json:"company,omitempty"`
	Name     string `json:"name,omitempty"`
	UseCase  string `json:"use_case,omitempty"`
	Tool     string `json:"tool,omitempty"`
	Timeline string `json:"timeline,omitempty"`
}

// Profile returns the named profile, creating it if needed.
func (s *State) Profile(name string) *Profile {
	if s.Profiles == nil {
		s.Profiles = map[string]*Profile{}
	}
	p, ok := s.Profiles[name]
	if !ok {
		p = &Profile{}
		s.Profiles[name] = p
	}
	return p
}

// Clone is a deep copy, safe to hand to a goroutine that writes it.
func (s *State) Clone() *State {
	c := &State{Version: s.Version, Profiles: make(map[string]*Profile, len(s.Profiles))}
	for name, p := range s.Profiles {
		if p == nil {
			continue
		}
		cp := *p
		cp.Rotations = append([]Rotation(nil), p.Rotations...)
		cp.Handoffs = append([]Handoff(nil), p.Handoffs...)
		c.Profiles[name] = &cp
	}
	return c
}

// ValidProfile says whether name can name a profile: 1 to 64 ASCII
// letters, digits, '-', '_' or '.', and not "." or "..". The name becomes a
// keyring account and may one day name a file, so nothing that could be
// read as a path, an option or an escape sequence gets in.
func ValidProfile(name string) error {
	ok := len(name) >= 1 && len(name) <= 64 && name != "." && name != ".."
	for _, r := range name {
		if !ok {
			break
		}
		ok = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_' || r == '.'
	}
	if ok {
		return nil
	}
	shown := name
	if utf8.RuneCountInString(shown) > 40 {
		shown = string([]rune(shown)[:40]) + "…"
	}
	return fmt.Errorf("the profile name %s cannot be used: a profile name is 1 to 64 letters (a-z, A-Z), "+
		"digits, '-', '_' or '.', like default or acme-eu, and not \".\" or \"..\"", strconv.Quote(shown))
}

// LoadState reads state.json. A missing file is an empty state. A file that
// cannot be read as state (not JSON, too big, a FIFO or a device instead of
// a file) is moved aside (state.json.corrupt-<time>) and reported in
// warning, never overwritten silently; so is a value that is dropped.
func (f *Folder) LoadState() (st *State, warning string, err error) {
	if m := f.mem; m != nil {
		return m.load(), "", nil
	}
	if err := checkAncestors(f.Path); err != nil {
		return nil, "", err
	}
	f.tidy()
	st, warning, err = f.loadState(false)
	var bad *unusableState
	if !errors.As(err, &bad) {
		return st, warning, err
	}
	// Set aside under the lock, after reading again: another run may have
	// just replaced the bad file with a good one.
	if lerr := f.changing(func() error { st, warning, err = f.loadState(true); return nil }); lerr != nil {
		return st, fmt.Sprintf("%s %s; it is ignored this time (%v)", f.statePath(), bad.problem, lerr), nil
	}
	return st, warning, err
}

// unusableState is loadState's answer, when not allowed to set the file
// aside, for a file it would set aside.
type unusableState struct{ problem string }

func (e *unusableState) Error() string { return "state.json " + e.problem }

// loadState reads state.json; a file that is not usable state is moved
// aside when aside is set (the caller holds the lock).
func (f *Folder) loadState(aside bool) (st *State, warning string, err error) {
	st = &State{Version: StateVersion, Profiles: map[string]*Profile{}}
	unusable := func(problem string) (*State, string, error) {
		if !aside {
			return st, "", &unusableState{problem}
		}
		return f.setAside(st, problem)
	}
	b, _, err := readSmall(f.statePath())
	var bad *badFileError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return st, "", nil
	case errors.As(err, &bad):
		return unusable(bad.Problem)
	case err != nil:
		return st, "", fmt.Errorf("cannot read %s: %w", f.statePath(), err)
	}
	var loaded State
	if err := json.Unmarshal(b, &loaded); err != nil {
		return unusable("is not valid (" + describeJSONError(b, err) + ")")
	}
	if loaded.Version > StateVersion {
		return unusable(fmt.Sprintf("is from a newer lattice-link (format %d)", loaded.Version))
	}
	if loaded.Profiles == nil {
		loaded.Profiles = map[string]*Profile{}
	}
	loaded.Version = StateVersion
	if notes := loaded.clean(); len(notes) > 0 {
		warning = f.statePath() + ": " + strings.Join(notes, "; ")
	}
	return &loaded, warning, nil
}

func (f *Folder) setAside(empty *State, problem string) (*State, string, error) {
	aside := FreeName(f.statePath() + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z"))
	if err := os.Rename(f.statePath(), aside); err != nil {
		return empty, "", fmt.Errorf("%s %s, and it could not be moved aside: %w; move or remove it, then try again",
			f.statePath(), problem, err)
	}
	return empty, fmt.Sprintf("%s %s; it was moved to %s and lattice-link starts afresh", f.statePath(), problem, aside), nil
}

// clean makes what state.json says safe to show and to use: anyone who can
// write the file could put escape sequences in it. It drops what it cannot
// use, and says so in notes.
func (s *State) clean() (notes []string) {
	for name, p := range s.Profiles {
		if p == nil {
			delete(s.Profiles, name)
			continue
		}
		switch p.Store {
		case KeyringStore, FileStore, noStoreChosen:
		default:
			p.Store = noStoreChosen // a hint that names no store is no hint
		}
		for _, f := range []*string{&p.Region, &p.Fingerprint, &p.Owner.Name, &p.Progress.Step,
			&p.Owner.Email, &p.CheckResult, &p.Answers.Company, &p.Answers.Name, &p.Answers.Tool,
			&p.Answers.Timeline, &p.Subdomain} {
			*f = sanitize.Line(*f, 300)
		}
		p.Answers.UseCase = sanitize.Text(p.Answers.UseCase, 4000)
		for i := range p.Rotations {
			p.Rotations[i].From = sanitize.Line(p.Rotations[i].From, 20)
			p.Rotations[i].To = sanitize.Line(p.Rotations[i].To, 20)
			p.Rotations[i].FromRegion = sanitize.Line(p.Rotations[i].FromRegion, 20)
		}
		p.Handoffs = cleanHandoffs(p.Handoffs)
		// A fingerprint is what Fingerprint writes: anything else describes
		// no key, and would be shown as one (a key to revoke, say).
		if p.Fingerprint != "" && !isFingerprint(p.Fingerprint) {
			notes = append(notes, fmt.Sprintf("the fingerprint %s of profile %s is not one lattice-link writes, so it was ignored",
				strconv.Quote(sanitize.Line(p.Fingerprint, 20)), strconv.Quote(sanitize.Line(name, 64))))
			p.Fingerprint = ""
		}
		p.Rotations = slices.DeleteFunc(p.Rotations, func(r Rotation) bool { return !isFingerprint(r.From) || !isFingerprint(r.To) })
		// An unknown region would fail every command that builds a client.
		if p.Region != "" && p.Region != "us" && p.Region != "emea" {
			notes = append(notes, fmt.Sprintf("the region %s of profile %s is not us or emea, so it was ignored (--region chooses one)",
				strconv.Quote(sanitize.Line(p.Region, 20)), strconv.Quote(sanitize.Line(name, 64))))
			p.Region = ""
		}
	}
	slices.Sort(notes) // map order would make the warning change from run to run
	return notes
}

// isFingerprint reports whether fp has Fingerprint's shape: "••••" and one
// to four characters.
func isFingerprint(fp string) bool {
	tail, ok := strings.CutPrefix(fp, "••••")
	n := utf8.RuneCountInString(tail)
	return ok && n >= 1 && n <= 4 && strings.TrimSpace(tail) == tail
}

// storeState writes st whole as state.json (mode 0600, replaced atomically);
// the caller is inside changing.
func (f *Folder) storeState(st *State) error {
	if m := f.mem; m != nil {
		m.stateMu.Lock()
		defer m.stateMu.Unlock()
		m.state = st.Clone()
		return nil
	}
	if err := f.ensure(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	err = writeAtomic(f.statePath(), append(b, '\n'), 0o600)
	var flush *FlushError
	switch {
	case errors.As(err, &flush):
		return nil // written; only its durability is in doubt, and it holds no key
	case err != nil:
		return fmt.Errorf("cannot write %s: %w", f.statePath(), err)
	}
	return nil
}

// Profiles are the names of the profiles this folder knows of, sorted:
// those state.json describes and those credentials.json holds a key for.
// Names that cannot name a profile are left out (both files are untrusted).
func (f *Folder) Profiles() ([]string, error) {
	st, _, err := f.LoadState()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for name := range st.Profiles {
		seen[name] = true
	}
	if c, err := NewFile(f).read(); err == nil {
		for name := range c.Keys {
			seen[name] = true
		}
	}
	var out []string
	for name := range seen {
		if ValidProfile(name) == nil {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}
