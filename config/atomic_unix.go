//go:build unix

package config

import (
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

func writeAtomic(path string, data []byte, perm os.FileMode) error {
	// renameio creates the temp file 0600 (less the umask) and only then
	// sets perm, so the data is never readable by others, even for a moment.
	t, err := renameio.NewPendingFile(path, renameio.WithTempDir(filepath.Dir(path)),
		renameio.WithStaticPermissions(perm))
	if err != nil {
		return err
	}
	// After a successful replace Cleanup does nothing; before it, it removes
	// the temporary file, and an error doing so leaves nothing to do.
	defer func() { _ = t.Cleanup() }()
	if _, err := t.Write(data); err != nil {
		return err
	}
	if beforeRename != nil {
		beforeRename(t.Name())
	}
	if err := t.CloseAtomicallyReplace(); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return &FlushError{Dir: filepath.Dir(path), Err: err}
	}
	return nil
}

// syncDir makes a rename in dir survive a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
