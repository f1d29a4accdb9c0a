//go:build !unix

package config

import (
	"os"
	"path/filepath"
)

// writeAtomic without renameio, which has no Windows version: os.Rename
// replaces an existing file there (MoveFileEx with REPLACE_EXISTING).
func writeAtomic(path string, data []byte, perm os.FileMode) error {
	// createPrivateTemp (perm_windows.go) makes the file readable by its
	// owner alone and puts digits after the prefix, the same shape of name
	// as renameio's on Unix; the rename keeps its security descriptor.
	t, err := createPrivateTemp(filepath.Dir(path), tempPrefix(path))
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if !renamed {
			_ = t.Close()
			_ = os.Remove(t.Name())
		}
	}()
	if err := t.Chmod(perm); err != nil {
		return err
	}
	if _, err := t.Write(data); err != nil {
		return err
	}
	if err := t.Sync(); err != nil {
		return err
	}
	if err := t.Close(); err != nil {
		return err
	}
	if beforeRename != nil {
		beforeRename(t.Name())
	}
	if err := os.Rename(t.Name(), path); err != nil {
		return err
	}
	renamed = true
	return nil
}

// syncDir does nothing here: Windows cannot flush a folder handle, and NTFS
// journals the rename itself.
func syncDir(string) error { return nil }
