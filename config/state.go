package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

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
	APIURL      string     `json:"api_url,omitempty"`
	Store       string     `json:"store,omitempty"`       // the store kind holding the key
	Fingerprint string     `json:"fingerprint,omitempty"` // "••••" + the key's last four
	Owner       Owner      `json:"owner,omitzero"`
	CreatedAt   time.Time  `json:"created_at,omitzero"` // when this key was stored
	CheckedAt   time.Time  `json:"checked_at,omitzero"` // the last live check
	CheckResult string     `json:"check_result,omitempty"`
	Rotations   []Rotation `json:"rotations,omitempty"`

	Answers           Answers   `json:"answers,omitzero"`
	AccessRequestedAt time.Time `json:"access_requested_at,omitzero"`
	Subdomain         string    `json:"subdomain,omitempty"`
	CheckSCIM         bool      `json:"check_scim,omitempty"`
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
		cp := *p
		cp.Rotations = append([]Rotation(nil), p.Rotations...)
		c.Profiles[name] = &cp
	}
	return c
}

// Folder is lattice-link's config folder: state.json, the credential file
// when the file store is used, and the lock.
type Folder struct {
	Path string

	mu      sync.Mutex
	written uint64 // the newest snapshot written, so an older one never wins
}

// DefaultDir is $XDG_CONFIG_HOME/lattice-link (os.UserConfigDir), or
// $LATTICE_LINK_CONFIG_DIR when set.
func DefaultDir() (string, error) {
	if d := os.Getenv("LATTICE_LINK_CONFIG_DIR"); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config folder: %w (set XDG_CONFIG_HOME or LATTICE_LINK_CONFIG_DIR)", err)
	}
	return filepath.Join(base, "lattice-link"), nil
}

// NewFolder returns the folder at path; nothing is created until a write.
func NewFolder(path string) *Folder { return &Folder{Path: path} }

func (f *Folder) statePath() string { return filepath.Join(f.Path, "state.json") }

// ensure creates the folder with mode 0700, and tightens it to 0700 if it
// was made looser by someone else: it holds the credential file.
func (f *Folder) ensure() error {
	if err := os.MkdirAll(f.Path, 0o700); err != nil {
		return fmt.Errorf("cannot create the config folder %s: %w", f.Path, err)
	}
	info, err := os.Stat(f.Path)
	if err == nil && info.Mode().Perm() != 0o700 {
		err = os.Chmod(f.Path, 0o700)
	}
	if err != nil {
		return fmt.Errorf("cannot make the config folder %s private (mode 0700): %w", f.Path, err)
	}
	return nil
}

// LoadState reads state.json. A missing file is an empty state. A file that
// cannot be read as state is moved aside (state.json.corrupt-<time>) and
// reported in warning, never overwritten silently.
func (f *Folder) LoadState() (st *State, warning string, err error) {
	st = &State{Version: StateVersion, Profiles: map[string]*Profile{}}
	b, err := os.ReadFile(f.statePath())
	switch {
	case errors.Is(err, os.ErrNotExist):
		return st, "", nil
	case err != nil:
		return st, "", fmt.Errorf("cannot read %s: %w", f.statePath(), err)
	}
	var loaded State
	if err := json.Unmarshal(b, &loaded); err != nil || loaded.Version > StateVersion {
		aside := f.statePath() + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z")
		if rerr := os.Rename(f.statePath(), aside); rerr != nil {
			return st, "", fmt.Errorf("%s is unreadable and could not be moved aside: %w", f.statePath(), rerr)
		}
		why := "is not valid"
		if err == nil {
			why = fmt.Sprintf("is from a newer lattice-link (format %d)", loaded.Version)
		}
		return st, fmt.Sprintf("%s %s; it was moved to %s and lattice-link starts afresh", f.statePath(), why, aside), nil
	}
	if loaded.Profiles == nil {
		loaded.Profiles = map[string]*Profile{}
	}
	loaded.Version = StateVersion
	loaded.clean()
	return &loaded, "", nil
}

// clean makes what state.json says safe to show: anyone who can write the
// file could put escape sequences in it.
func (s *State) clean() {
	for name, p := range s.Profiles {
		if p == nil {
			delete(s.Profiles, name)
			continue
		}
		for _, f := range []*string{&p.Region, &p.APIURL, &p.Store, &p.Fingerprint, &p.Owner.Name,
			&p.Owner.Email, &p.CheckResult, &p.Answers.Company, &p.Answers.Name, &p.Answers.Tool,
			&p.Answers.Timeline, &p.Subdomain} {
			*f = sanitize.Line(*f, 300)
		}
		p.Answers.UseCase = sanitize.Text(p.Answers.UseCase, 4000)
		for i := range p.Rotations {
			p.Rotations[i].From = sanitize.Line(p.Rotations[i].From, 20)
			p.Rotations[i].To = sanitize.Line(p.Rotations[i].To, 20)
		}
	}
}

// SaveState writes state.json atomically (a temp file in the same folder,
// fsync, rename, fsync the folder), mode 0600. seq orders snapshots: one
// older than a snapshot already written is dropped.
func (f *Folder) SaveState(st *State, seq uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if seq != 0 && seq <= f.written {
		return nil
	}
	if err := f.ensure(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(f.statePath(), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("cannot write %s: %w", f.statePath(), err)
	}
	if seq != 0 {
		f.written = seq
	}
	return nil
}
