package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestAFileOfExactlyTheLimitIsRead: the files of the config folder are
// read up to 1 MiB, that size included; one byte more is refused, so the
// limit is the one the message states.
func TestAFileOfExactlyTheLimitIsRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	body := `{"version":1}`
	if err := os.WriteFile(path, []byte(body+strings.Repeat(" ", maxFileSize-len(body))), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _, err := readSmall(path)
	if err != nil || len(b) != maxFileSize || !strings.HasPrefix(string(b), body) {
		t.Errorf("a file of exactly %d bytes: %d bytes read, %v", maxFileSize, len(b), err)
	}
	if err := os.WriteFile(path, []byte(body+strings.Repeat(" ", maxFileSize+1-len(body))), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readSmall(path); err == nil || !strings.Contains(err.Error(), tooBig) {
		t.Errorf("a file one byte over: %v", err)
	}
}

// TestARotationFromARejectedKeyIsRecordedAsRevoked: replacing a key that
// Lattice was last seen to reject records the rotation with nothing left
// to revoke; replacing one last seen valid does not.
func TestARotationFromARejectedKeyIsRecordedAsRevoked(t *testing.T) {
	for result, revoked := range map[string]bool{"rejected": true, "valid": false, "forbidden": false} {
		p := Profile{Fingerprint: "…old1", CheckResult: result}
		p.Connected("…new1", Owner{}, "us", FileStore, time.Now())
		if len(p.Rotations) != 1 || p.Rotations[0].Revoked != revoked {
			t.Errorf("after a key last seen %s: %+v", result, p.Rotations)
		}
	}
}

// TestAChangeNamesOnlyTheStoreThatHeldAKey: a key change clears the place
// where a key was, and names none when there was no key; forgetting where
// there is no key is no error.
func TestAChangeNamesOnlyTheStoreThatHeldAKey(t *testing.T) {
	folder := NewFolder(filepath.Join(t.TempDir(), "cfg"))
	store := NewFile(folder)
	done, err := KeyChange{Profile: "acme"}.Commit(folder, store)
	if err != nil || len(done.Cleared) != 0 {
		t.Errorf("forgetting where no key is: %+v, %v", done.Cleared, err)
	}
	if _, err := (KeyChange{Profile: "acme", Key: key}).Commit(folder, store); err != nil {
		t.Fatal(err)
	}
	done, err = KeyChange{Profile: "acme", Expected: key}.Commit(folder, store)
	if err != nil || len(done.Cleared) != 1 || done.Cleared[0].Kind != FileStore || done.Cleared[0].Where != store.Where() {
		t.Errorf("forgetting the stored key: %+v, %v", done.Cleared, err)
	}
}

// TestTheDefaultFolderIsUnderTheUsersConfigFolder: without
// LATTICE_LINK_CONFIG_DIR the folder is lattice-link in the user's config
// folder: %AppData% on Windows, ~/Library/Application Support on macOS,
// XDG_CONFIG_HOME elsewhere.
func TestTheDefaultFolderIsUnderTheUsersConfigFolder(t *testing.T) {
	base := t.TempDir()
	t.Setenv("LATTICE_LINK_CONFIG_DIR", "")
	switch runtime.GOOS {
	case "windows":
		t.Setenv("AppData", base)
	case "darwin", "ios":
		t.Setenv("HOME", base)
		base = filepath.Join(base, "Library", "Application Support")
	default:
		t.Setenv("XDG_CONFIG_HOME", base)
	}
	if d, err := DefaultDir(); err != nil || d != filepath.Join(base, "lattice-link") {
		t.Errorf("DefaultDir() = %q, %v", d, err)
	}
}

// TestAFolderIsHeldOnceHoweverItIsNamed: a folder named by a relative and
// by an absolute path is one folder, so runs in this process that name it
// either way take turns.
func TestAFolderIsHeldOnceHoweverItIsNamed(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if NewFolder("cfg").hold() != NewFolder(filepath.Join(dir, "cfg")).hold() {
		t.Error("cfg and its absolute path are held apart")
	}
}

// refusingDelete holds a key and cannot delete it, as a locked keyring
// cannot.
type refusingDelete struct{ *Memory }

func (*refusingDelete) Delete(string) error { return errLocked }

var errLocked = errors.New("the keyring is locked")

// TestAForgetThatCannotDeleteSaysSo: a store that refuses to delete the key
// fails the forget, with its reason; only "no key there" is no failure.
func TestAForgetThatCannotDeleteSaysSo(t *testing.T) {
	folder := NewFolder(filepath.Join(t.TempDir(), "cfg"))
	store := &refusingDelete{NewMemory()}
	if err := store.Set("acme", key); err != nil {
		t.Fatal(err)
	}
	if _, err := (KeyChange{Profile: "acme", Expected: key}).Commit(folder, store); !errors.Is(err, errLocked) {
		t.Errorf("forgetting a key the store would not delete: %v", err)
	}
}
