//go:build unix

package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A credentials file the group can read is refused like one anyone can.
func TestAGroupReadableCredentialsFileIsRefused(t *testing.T) {
	for _, mode := range []os.FileMode{0o640, 0o660, 0o604, 0o644} {
		folder := NewFolder(t.TempDir())
		path := filepath.Join(folder.Path, credentialsName)
		if err := os.WriteFile(path, []byte(`{"version":1,"keys":{"default":"`+oldKey+`"}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		if k, err := NewFile(folder).Get("default"); err == nil || errors.Is(err, ErrNoKey) {
			t.Errorf("mode %04o: read %q, %v", mode, k, err)
		}
	}
}

// A config folder inside a folder others can write (without the sticky
// bit) is refused before anything is read, set aside or locked there.
func TestAHostileParentFolderIsRefused(t *testing.T) {
	// root is exempt as an owner, not from the mode check: this runs as root
	// too.
	parent := filepath.Join(t.TempDir(), "shared")
	mkdirMode(t, parent, 0o777)
	dir := filepath.Join(parent, "lattice-link")
	mkdirMode(t, dir, 0o700)
	if err := os.WriteFile(filepath.Join(dir, stateName), []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	folder := NewFolder(dir)
	_, _, err := folder.LoadState()
	if err == nil || !strings.Contains(err.Error(), "other users can change") || !strings.Contains(err.Error(), parent) {
		t.Errorf("LoadState: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, stateName)); err != nil {
		t.Errorf("state.json was moved: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lock")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a lock was created: %v", err)
	}
	if _, err := folder.Lock(LockWait); err == nil {
		t.Error("Lock in a hostile folder")
	}
	// A missing config folder is not created there either.
	if _, err := NewFolder(filepath.Join(parent, "new")).Lock(LockWait); err == nil {
		t.Error("created a config folder in a hostile parent")
	}
	// With the sticky bit (as /tmp), others cannot swap what is ours.
	if err := os.Chmod(parent, 0o777|fs.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if _, _, err := NewFolder(dir).LoadState(); err != nil {
		t.Errorf("sticky parent: %v", err)
	}
}
