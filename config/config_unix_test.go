//go:build unix

package config

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKilledWriteLeavesTheKeyOnlyInTheFolder kills a child process (this
// test binary, re-run) between writing the temp file and renaming it, with
// TMPDIR on the same file system as the folder (where renameio would put
// its temp file by default). The key may then be only in a temp file of
// ours in the folder, and the next run removes it.
func TestKilledWriteLeavesTheKeyOnlyInTheFolder(t *testing.T) {
	const secret = "killed-write-key-4242424242"
	if dir := os.Getenv("KILLED_WRITE_DIR"); dir != "" {
		beforeRename = func(string) { _ = syscall.Kill(os.Getpid(), syscall.SIGKILL) }
		_ = NewFile(NewFolder(dir)).Set("default", secret)
		os.Exit(0) // not reached when the kill worked
	}
	root := t.TempDir()
	dir, tmp := filepath.Join(root, "config"), filepath.Join(root, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := NewFile(NewFolder(dir)).Set("other", "a-key-stored-before"); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriteLeavesTheKeyOnlyInTheFolder$")
	cmd.Env = append(os.Environ(), "KILLED_WRITE_DIR="+dir, "TMPDIR="+tmp)
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed mid-write: %v", err)
	}

	holding := filesHolding(t, root, secret)
	if len(holding) != 1 || filepath.Dir(holding[0]) != dir || !isOurTemp(filepath.Base(holding[0])) {
		t.Fatalf("after the kill, the key is in %v; want one temp file of ours in %s", holding, dir)
	}
	requireMode(t, holding[0], 0o600)

	// The next run: it starts by reading state.json, as every command does.
	if _, _, err := NewFolder(dir).LoadState(); err != nil {
		t.Fatal(err)
	}
	if holding := filesHolding(t, root, secret); len(holding) != 0 {
		t.Errorf("the next run left the key in %v", holding)
	}
	if got, err := NewFile(NewFolder(dir)).Get("other"); err != nil || got != "a-key-stored-before" {
		t.Errorf("the stored key: %q, %v", got, err)
	}
}

func filesHolding(t *testing.T, root, secret string) (found []string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, []byte(secret)) {
			found = append(found, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// returnsSoon fails the test if fn does not return in time: the bug being
// tested for is a hang.
func returnsSoon(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("hung")
	}
}

func TestFIFOsAreNotRead(t *testing.T) {
	folder := NewFolder(t.TempDir())
	creds, state := filepath.Join(folder.Path, "credentials.json"), filepath.Join(folder.Path, "state.json")
	for _, p := range []string{creds, state, filepath.Join(folder.Path, "lock")} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	returnsSoon(t, func() {
		_, err := NewFile(folder).Get("default")
		if err == nil || !strings.Contains(err.Error(), creds+" is a named pipe") || !strings.Contains(err.Error(), "mv "+creds) {
			t.Errorf("credentials.json a FIFO: %v", err)
		}
		st, warning, err := folder.LoadState()
		if err != nil || st == nil || !strings.Contains(warning, state+" is a named pipe") || !strings.Contains(warning, "moved to") {
			t.Errorf("state.json a FIFO: %v, %q", err, warning)
		}
		if unlock, err := folder.Lock(time.Second); err == nil {
			unlock()
		}
	})
}

func TestDevicesAreNotRead(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	folder := NewFolder(t.TempDir())
	creds, state := filepath.Join(folder.Path, "credentials.json"), filepath.Join(folder.Path, "state.json")
	for _, p := range []string{creds, state} {
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
	}
	returnsSoon(t, func() {
		// Refused as links before anything is opened; a device in its own
		// name would be refused as a device.
		if _, err := NewFile(folder).Get("default"); err == nil || !strings.Contains(err.Error(), creds+" is a symbolic link") {
			t.Errorf("credentials.json -> /dev/zero: %v", err)
		}
		if _, warning, err := folder.LoadState(); err != nil || !strings.Contains(warning, state+" is a symbolic link") {
			t.Errorf("state.json -> /dev/zero: %v, %q", err, warning)
		}
	})
	if _, err := os.Lstat(state); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the link was not set aside: %v", err)
	}
}

func TestFolderModes(t *testing.T) {
	root := t.TempDir()
	// Missing folders are created private.
	fresh := NewFolder(filepath.Join(root, "a", "b", "lattice-link"))
	if err := NewFile(fresh).Set("default", key); err != nil {
		t.Fatal(err)
	}
	requireMode(t, fresh.Path, 0o700)

	// A shared folder keeps its mode, sticky bit included, and is refused.
	shared := filepath.Join(root, "shared")
	mkdirMode(t, shared, 0o1777)
	err := NewFile(NewFolder(shared)).Set("default", key)
	if err == nil || !strings.Contains(err.Error(), shared) || !strings.Contains(err.Error(), "1777") ||
		!strings.Contains(err.Error(), "LATTICE_LINK_CONFIG_DIR") {
		t.Errorf("a 1777 folder: %v", err)
	}
	if info, _ := os.Stat(shared); info.Mode()&fs.ModeSticky == 0 || info.Mode().Perm() != 0o777 {
		t.Errorf("the shared folder was changed: %v", info.Mode())
	}
	if _, err := os.Stat(filepath.Join(shared, "credentials.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a key was written in a shared folder")
	}

	// A group-writable one is refused too, with the chmod that would fix it.
	group := filepath.Join(root, "group")
	mkdirMode(t, group, 0o770)
	if _, err := NewFolder(group).Update("default", func(p *Profile) { p.Subdomain = "acme" }); err == nil ||
		!strings.Contains(err.Error(), "chmod 700 "+group) {
		t.Errorf("a 0770 folder: %v", err)
	}
	requireMode(t, group, 0o770)

	// One that others may read but not write is used as it is.
	readable := filepath.Join(root, "readable")
	mkdirMode(t, readable, 0o755)
	if err := NewFile(NewFolder(readable)).Set("default", key); err != nil {
		t.Errorf("a 0755 folder: %v", err)
	}
	requireMode(t, readable, 0o755)
	requireMode(t, filepath.Join(readable, "credentials.json"), 0o600)
}

func TestFolderOfAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a folder to another user")
	}
	dir := filepath.Join(t.TempDir(), "theirs")
	mkdirMode(t, dir, 0o700)
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Skip(err)
	}
	err := NewFile(NewFolder(dir)).Set("default", key)
	if err == nil || !strings.Contains(err.Error(), dir+" belongs to another user") {
		t.Errorf("err = %v", err)
	}
}

func mkdirMode(t *testing.T, path string, mode fs.FileMode) {
	t.Helper()
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if mode&0o1000 != 0 {
		mode = mode.Perm() | fs.ModeSticky
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// TestCorruptStateInAFolderNotUsed: the file is not moved (that needs the
// lock, in a folder lattice-link will not write), but commands still run.
func TestCorruptStateInAFolderNotUsed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "group")
	mkdirMode(t, dir, 0o770)
	state := filepath.Join(dir, "state.json")
	if err := os.WriteFile(state, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, warning, err := NewFolder(dir).LoadState()
	if err != nil || st == nil || !strings.Contains(warning, state+" is not valid") || !strings.Contains(warning, "ignored this time") {
		t.Errorf("%v %q", err, warning)
	}
	if b, _ := os.ReadFile(state); string(b) != "{not json" {
		t.Error("the file was changed")
	}
}

// A credentials.json that is a symlink is not followed: the key it leads
// to would stay behind in the link's target when the file is replaced or
// removed (rotation, logout), so it is refused, and the target is left alone.
func TestCredentialsSymlinkIsNotFollowed(t *testing.T) {
	folder := NewFolder(t.TempDir())
	if err := NewFile(folder).Set("default", "a-key-kept-elsewhere-0a11"); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "creds.json")
	creds := filepath.Join(folder.Path, "credentials.json")
	if err := os.Rename(creds, elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, creds); err != nil {
		t.Fatal(err)
	}
	_, err := NewFile(folder).Get("default")
	if err == nil || !strings.Contains(err.Error(), "symbolic link") || strings.Contains(err.Error(), "a-key-kept") {
		t.Fatalf("Get through a symlink: %v", err)
	}
	if err := NewFile(folder).Delete("default"); err == nil {
		t.Fatal("Delete through a symlink succeeded")
	}
	if b, _ := os.ReadFile(elsewhere); !strings.Contains(string(b), "a-key-kept") {
		t.Errorf("the link's target was changed: %q", b)
	}
	if info, err := os.Lstat(creds); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", info, err)
	}
}

// A lock that is a symlink is not followed, and the error says so in words.
func TestALockSymlinkIsRefusedInWords(t *testing.T) {
	folder := NewFolder(t.TempDir())
	if err := os.MkdirAll(folder.Path, 0o700); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Symlink(target, filepath.Join(folder.Path, "lock")); err != nil {
		t.Fatal(err)
	}
	_, err := folder.Lock(time.Second)
	if err == nil || !strings.Contains(err.Error(), "is a symbolic link") || !strings.Contains(err.Error(), "remove it") ||
		strings.Contains(err.Error(), "too many levels") {
		t.Errorf("Lock: %v", err)
	}
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the link's target was created: %v", err)
	}
}
