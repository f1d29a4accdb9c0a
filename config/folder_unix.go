//go:build unix

package config

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkPrivate refuses a folder another user owns or can write: they could
// swap credentials.json, or read the key from a temp file before its rename.
func checkPrivate(path string, info fs.FileInfo) error {
	const why = "so lattice-link will not keep an API key in it"
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("the config folder %s belongs to another user (uid %d), %s; "+
			"set LATTICE_LINK_CONFIG_DIR to a folder of your own", path, st.Uid, why)
	}
	if info.Mode().Perm()&0o022 == 0 {
		return nil
	}
	if info.Mode()&fs.ModeSticky != 0 { // a shared folder, like /tmp: not to be chmodded
		return fmt.Errorf("the config folder %s is shared with other users (mode %s), %s; "+
			"set LATTICE_LINK_CONFIG_DIR to a private folder (mkdir -m 700 DIR)", path, octal(info.Mode()), why)
	}
	return fmt.Errorf("the config folder %s can be changed by other users (mode %s), %s; "+
		"if it is yours alone, run: chmod 700 %s; else set LATTICE_LINK_CONFIG_DIR to a private folder",
		path, octal(info.Mode()), why, shellQuote(path))
}

// octal is a mode as chmod takes it, special bits included.
func octal(m fs.FileMode) string {
	n := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		n |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		n |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		n |= 0o1000
	}
	return fmt.Sprintf("%04o", n)
}
