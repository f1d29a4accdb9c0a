package config

import (
	"os"
	"path/filepath"
	"strings"
)

// writeAtomic (atomic_unix.go, atomic_other.go) replaces path with data so
// that a crash at any moment leaves either the old file or the new one,
// whole. Its temp file is created in path's own folder, never in $TMPDIR:
// the data is a key, and a killed write must not leave it where other
// programs clean up, back up or read. The temp file is named tempPrefix(path)
// followed by digits, so a leftover is recognisably ours (removeTemps).

// beforeRename, when set, runs after the temp file is written and before it
// replaces its destination: tests kill the process there to get the
// leftover a crash would leave.
var beforeRename func(temp string)

const (
	credentialsName = "credentials.json"
	stateName       = "state.json"
)

// FlushError says a file was replaced, but its folder could not be
// flushed to disk afterwards: the new file is there, and a power cut right
// now could undo the replacement.
type FlushError struct {
	Dir string
	Err error
}

func (e *FlushError) Error() string {
	return "the folder " + e.Dir + " could not be flushed to disk after the write (" + e.Err.Error() + ")"
}
func (e *FlushError) Unwrap() error { return e.Err }

func tempPrefix(dest string) string { return "." + filepath.Base(dest) }

// isOurTemp reports whether name is a temp file of one of the files
// lattice-link replaces in its folder.
func isOurTemp(name string) bool {
	for _, f := range []string{credentialsName, stateName} {
		rest, ok := strings.CutPrefix(name, tempPrefix(f))
		if ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}

// removeTemps deletes the temp files a killed write left in dir; one may
// hold every profile's key. Call it only with the folder's lock held: every
// write of ours holds it too, so none of these is being written right now.
func removeTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type().IsRegular() && isOurTemp(e.Name()) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
