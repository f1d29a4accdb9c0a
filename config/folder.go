package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/lattice-link/lattice-link/sanitize"
)

// Folder is lattice-link's config folder: state.json, the credential file
// when the file store is used, and the lock. A memory folder
// (NewMemoryFolder) has the same methods and never touches the disk.
type Folder struct {
	Path string // "" for a memory folder

	mem *memFolder
}

// DefaultDir is $XDG_CONFIG_HOME/lattice-link (os.UserConfigDir), or
// $LATTICE_LINK_CONFIG_DIR when set.
func DefaultDir() (string, error) {
	if d := os.Getenv("LATTICE_LINK_CONFIG_DIR"); d != "" {
		return shownPath(d, "LATTICE_LINK_CONFIG_DIR")
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config folder: %w (set XDG_CONFIG_HOME or LATTICE_LINK_CONFIG_DIR)", err)
	}
	// It comes from XDG_CONFIG_HOME or HOME (AppData on Windows).
	return shownPath(filepath.Join(base, "lattice-link"), "the config folder")
}

// shownPath refuses a path that would change the terminal when shown in a
// message (escapes, controls, bidi overrides), naming where it came from.
func shownPath(d, from string) (string, error) {
	if sanitize.Line(d, 0) != d {
		return "", fmt.Errorf("%s (%s) has control characters or escape sequences; "+
			"name a folder without them (LATTICE_LINK_CONFIG_DIR)", from, strconv.Quote(sanitize.Line(d, 200)))
	}
	return d, nil
}

// NewFolder returns the folder at path; nothing is created until a write.
func NewFolder(path string) *Folder { return &Folder{Path: path} }

// NewMemoryFolder returns a folder that keeps state (and, for a File store
// over it, keys) in memory only, for the demo and tests: callers treat it
// like any other folder.
func NewMemoryFolder() *Folder {
	return &Folder{mem: &memFolder{
		lock:  make(chan struct{}, 1),
		state: &State{Version: StateVersion, Profiles: map[string]*Profile{}},
		creds: map[string]string{},
	}}
}

type memFolder struct {
	lock chan struct{} // Lock's token

	mu sync.Mutex // orders changes, as hold.write does for a folder on disk

	stateMu sync.Mutex
	state   *State

	credsMu sync.Mutex
	creds   map[string]string
}

func (f *Folder) statePath() string { return filepath.Join(f.Path, stateName) }
func (f *Folder) lockPath() string  { return filepath.Join(f.Path, "lock") }

// ensure makes sure the folder exists and is private before anything is
// written in it. A missing folder is created 0700. An existing one is
// never changed: it may be shared (a 1777 folder named by
// LATTICE_LINK_CONFIG_DIR), so one that others can write, or that is not
// ours, is refused with what to do instead.
func (f *Folder) ensure() error {
	info, err := os.Stat(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := checkAncestors(f.Path); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
			return fmt.Errorf("cannot create the config folder %s: %w", f.Path, err)
		}
		err = mkdirPrivate(f.Path) // perm_unix.go, perm_windows.go: private from the start
		if err == nil {
			return nil
		}
		if !errors.Is(err, fs.ErrExist) { // else someone made it meanwhile: theirs, so checked
			return fmt.Errorf("cannot create the config folder %s: %w", f.Path, err)
		}
		info, err = os.Stat(f.Path)
	}
	if err != nil {
		return fmt.Errorf("cannot use the config folder %s: %w", f.Path, err)
	}
	return checkFolder(f.Path, info)
}

func checkFolder(path string, info fs.FileInfo) error {
	if !info.IsDir() {
		return fmt.Errorf("the config folder %s is not a folder; remove it, or set LATTICE_LINK_CONFIG_DIR to another folder", path)
	}
	return checkPrivate(path, info)
}

// ErrLocked says another lattice-link holds the lock.
var ErrLocked = errors.New("another lattice-link is changing the stored key right now; wait for it to finish, then try again")

// Lock takes the folder's lock, so two runs cannot interleave their writes.
// It waits up to wait, then gives up with ErrLocked. It is exclusive between
// goroutines too; the folder's own writes while it is held (a store's Set,
// Update) join the holder instead of waiting for it.
func (f *Folder) Lock(wait time.Duration) (unlock func(), err error) {
	if f.mem != nil {
		return f.mem.take(wait)
	}
	if err := f.ensure(); err != nil {
		return nil, err
	}
	l := f.flock()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		if info, lerr := os.Lstat(l.Path()); lerr == nil && !info.Mode().IsRegular() {
			// Said in words (a symlink is never followed: ELOOP's "too
			// many levels of symbolic links" says nothing to people).
			return nil, fmt.Errorf("cannot take the lock %s: it %s; remove it, and lattice-link creates it again",
				l.Path(), problem(info))
		}
		return nil, fmt.Errorf("cannot take the lock %s: %w", l.Path(), err)
	}
	if !ok {
		return nil, ErrLocked
	}
	return f.took(l), nil
}

func (f *Folder) flock() *flock.Flock {
	return flock.New(f.lockPath(), flock.SetPermissions(0o600), flock.SetFlag(lockFlags))
}

func (m *memFolder) take(wait time.Duration) (func(), error) {
	release := sync.OnceFunc(func() { <-m.lock })
	select {
	case m.lock <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case m.lock <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, ErrLocked
	}
}

func (m *memFolder) load() *State {
	m.stateMu.Lock()
	defer m.stateMu.Unlock()
	return m.state.Clone()
}

// hold is this process's share of a folder's lock. Per path, not per
// Folder, so a store and a key change built from two Folder values of one
// path still see each other's hold.
type hold struct {
	mu sync.Mutex // guards n and fl
	n  int        // holders: the Lock caller and the writes that joined it
	fl *flock.Flock

	write sync.Mutex // one read-modify-write of a file in the folder at a time
}

var (
	holdsMu sync.Mutex
	holds   = map[string]*hold{}
)

func (f *Folder) hold() *hold {
	key := filepath.Clean(f.Path)
	if abs, err := filepath.Abs(key); err == nil {
		key = abs
	}
	holdsMu.Lock()
	defer holdsMu.Unlock()
	h := holds[key]
	if h == nil {
		h = &hold{}
		holds[key] = h
	}
	return h
}

// took records that this process holds the lock through l and, before
// anything is written, removes the temp files a killed write left behind.
func (f *Folder) took(l *flock.Flock) (unlock func()) {
	h := f.hold()
	h.mu.Lock()
	h.n, h.fl = 1, l // nobody else can hold it: the flock was free
	h.mu.Unlock()
	removeTemps(f.Path)
	return sync.OnceFunc(h.release)
}

func (h *hold) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n--; h.n == 0 {
		_ = h.fl.Unlock()
		h.fl = nil
	}
}

// joinOrLock holds the lock for one write: joining this process's holder
// (a store write inside a key change) or else taking it. So no temp file of
// ours exists unless the lock is held, and a holder may remove any it finds.
func (f *Folder) joinOrLock() (func(), error) {
	h := f.hold()
	h.mu.Lock()
	if h.n > 0 {
		h.n++
		h.mu.Unlock()
		return sync.OnceFunc(h.release), nil
	}
	h.mu.Unlock()
	return f.Lock(LockWait)
}

// changing runs fn, which rewrites a file of the folder, under the lock and
// after any other such change of this process.
func (f *Folder) changing(fn func() error) error {
	if m := f.mem; m != nil {
		m.mu.Lock()
		defer m.mu.Unlock()
		return fn()
	}
	unlock, err := f.joinOrLock()
	if err != nil {
		return err
	}
	defer unlock()
	h := f.hold()
	h.write.Lock()
	defer h.write.Unlock()
	return fn()
}

// tidy removes a killed write's leftovers when a run starts, if the lock
// is free right now; else its holder did or will.
func (f *Folder) tidy() {
	info, err := os.Stat(f.Path)
	if err != nil || checkFolder(f.Path, info) != nil {
		return // nothing to tidy, or a folder lattice-link will not use
	}
	h := f.hold()
	h.mu.Lock()
	busy := h.n > 0
	h.mu.Unlock()
	if busy {
		return
	}
	l := f.flock()
	if ok, _ := l.TryLock(); ok {
		f.took(l)()
	}
}

// Update changes one profile's part of state.json, under the lock, on the
// state as it is on disk now: another run's change to other fields is kept.
// A state.json that is not valid is set aside as LoadState does. It returns
// the state written.
func (f *Folder) Update(profile string, change func(*Profile)) (*State, error) {
	st, err := f.modify(func(s *State) { change(s.Profile(profile)) })
	if err != nil {
		return nil, err
	}
	return st, nil
}

// modify is a read-modify-write of the state. On a failed write, st is the
// state that was meant to be written (nil if it could not be read).
func (f *Folder) modify(fn func(*State)) (st *State, err error) {
	err = f.changing(func() error {
		if f.mem != nil {
			st = f.mem.load()
		} else {
			var rerr error
			if st, _, rerr = f.loadState(true); rerr != nil {
				return rerr
			}
		}
		fn(st)
		return f.storeState(st)
	})
	return st, err
}
