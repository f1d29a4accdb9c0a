//go:build unix

package config

import (
	"fmt"
	"io/fs"
	"os"
)

// privateFileNote says how credentials.json is kept from other users.
const privateFileNote = "mode 0600"

// mkdirPrivate creates the config folder 0700, set exactly: an odd umask
// could have left it unusable.
func mkdirPrivate(path string) error {
	if err := os.Mkdir(path, 0o700); err != nil {
		return err
	}
	return os.Chmod(path, 0o700)
}

// checkPrivateFile refuses credentials.json when its mode lets anyone but
// its owner read or change it.
func checkPrivateFile(path string, info fs.FileInfo) error {
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		return fmt.Errorf("%s can be read by others (mode %04o), so the key in it may have leaked; "+
			"fix it with: chmod 600 %s, and consider rotating the key", path, mode, shellQuote(path))
	}
	return nil
}
