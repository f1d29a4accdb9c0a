package config

import (
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// writeAtomic replaces path with data so that a crash at any moment leaves
// either the old file or the new one, whole: a temp file in the same folder
// is written and synced, renamed over path, and the folder is synced so the
// rename itself survives a power cut.
func writeAtomic(path string, data []byte, perm os.FileMode) error {
	t, err := renameio.NewPendingFile(path, renameio.WithStaticPermissions(perm))
	if err != nil {
		return err
	}
	defer t.Cleanup()
	if _, err := t.Write(data); err != nil {
		return err
	}
	if err := t.CloseAtomicallyReplace(); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
