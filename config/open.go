package config

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// OpenStore picks the credential store. kind is "keyring", "file" or
// "auto"; remembered is the kind that holds this profile's key now, if any,
// so auto finds a key where it was put. With auto, the keyring is used when
// it answers, else the file, and note says so: never a silent fallback.
func OpenStore(kind, remembered string, folder *Folder, backend KeyringBackend) (store Store, note string, err error) {
	switch kind {
	case "file":
		return NewFile(folder), "", nil
	case "keyring":
		return NewKeyring(backend), "", nil
	case "auto", "":
	default:
		return nil, "", fmt.Errorf("unknown store %q: use auto, keyring or file", kind)
	}
	if remembered == "file" {
		return NewFile(folder), "", nil
	}
	k := NewKeyring(backend)
	if perr := k.probe(); perr != nil {
		f := NewFile(folder)
		return f, fmt.Sprintf("The OS keyring is not available (%v), so the key is kept in %s. "+
			"Use --store keyring to insist on the keyring.", errors.Unwrap(perr), f.Where()), nil
	}
	return k, "", nil
}

// ErrLocked says another lattice-link holds the lock.
var ErrLocked = errors.New("another lattice-link is changing the stored key right now; wait for it to finish, then try again")

// Lock takes the folder's lock, so two runs cannot interleave their writes.
// It waits up to wait, then gives up with ErrLocked.
func (f *Folder) Lock(wait time.Duration) (unlock func(), err error) {
	if err := f.ensure(); err != nil {
		return nil, err
	}
	l := flock.New(filepath.Join(f.Path, "lock"), flock.SetPermissions(0o600))
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 50*time.Millisecond)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("cannot take the lock %s: %w", l.Path(), err)
	}
	if !ok {
		return nil, ErrLocked
	}
	return func() { _ = l.Unlock() }, nil
}
