//go:build unix

package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestParentsRunUpToTheRoot: every folder above a path is checked, up to
// and including the root, each once.
func TestParentsRunUpToTheRoot(t *testing.T) {
	if got, want := parents("/a/b/c"), []string{"/a/b", "/a", "/"}; !reflect.DeepEqual(got, want) {
		t.Errorf("parents(/a/b/c) = %q, want %q", got, want)
	}
	if got, want := parents("/a"), []string{"/"}; !reflect.DeepEqual(got, want) {
		t.Errorf("parents(/a) = %q, want %q", got, want)
	}
}

// TestAFolderReachedThroughASymlinkIsCheckedWhereItIs: a config folder
// whose parent is a symlink into a folder others can write is refused,
// though every folder on the path as written is safe: the folders the
// symlink leads through are checked too.
func TestAFolderReachedThroughASymlinkIsCheckedWhereItIs(t *testing.T) {
	root := t.TempDir()
	open := filepath.Join(root, "open")
	mkdirMode(t, open, 0o777)
	target := filepath.Join(open, "target")
	mkdirMode(t, target, 0o700)
	through := filepath.Join(root, "through")
	if err := os.Symlink(target, through); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(through, "lattice-link")
	mkdirMode(t, dir, 0o700)
	_, _, err := NewFolder(dir).LoadState()
	if err == nil || !strings.Contains(err.Error(), "is inside "+open+", which other users can change") {
		t.Errorf("LoadState through a symlink into a 0777 folder: %v", err)
	}

	// The same folder on a path with no symlink and nothing others can
	// write is used.
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := NewFolder(dir).LoadState(); err != nil {
		t.Errorf("LoadState once the folder is private: %v", err)
	}
}

// TestAFolderInsideAnotherUsersFolderIsRefused: a folder above the config
// folder that belongs to someone other than the user and root is refused,
// as that person could swap the config folder; root's own are fine.
func TestAFolderInsideAnotherUsersFolderIsRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a folder to another user")
	}
	theirs := filepath.Join(t.TempDir(), "theirs")
	mkdirMode(t, theirs, 0o755)
	dir := filepath.Join(theirs, "lattice-link")
	mkdirMode(t, dir, 0o700)
	if err := os.Chown(theirs, 65534, 65534); err != nil {
		t.Skip(err)
	}
	_, _, err := NewFolder(dir).LoadState()
	if err == nil || !strings.Contains(err.Error(), "is inside "+theirs+", which belongs to another user (uid 65534)") {
		t.Errorf("LoadState inside another user's folder: %v", err)
	}
	if err := os.Chown(theirs, 0, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := NewFolder(dir).LoadState(); err != nil {
		t.Errorf("LoadState inside root's folder: %v", err)
	}
}

// TestAnExistingFolderIsNeverMadePrivateByForce: creating the config
// folder does not change the mode of a folder that is already there.
func TestAnExistingFolderIsNeverMadePrivateByForce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "theirs")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := mkdirPrivate(dir); err == nil {
		t.Error("mkdirPrivate over an existing folder succeeded")
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o755 {
		t.Errorf("the existing folder's mode: %v, %v", info.Mode(), err)
	}
}
