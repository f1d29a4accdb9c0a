//go:build unix

package config

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
		return checkAncestors(path)
	}
	if info.Mode()&fs.ModeSticky != 0 { // a shared folder, like /tmp: not to be chmodded
		return fmt.Errorf("the config folder %s is shared with other users (mode %s), %s; "+
			"set LATTICE_LINK_CONFIG_DIR to a private folder (mkdir -m 700 DIR)", path, octal(info.Mode()), why)
	}
	return fmt.Errorf("the config folder %s can be changed by other users (mode %s), %s; "+
		"if it is yours alone, run: chmod 700 %s; else set LATTICE_LINK_CONFIG_DIR to a private folder",
		path, octal(info.Mode()), why, shellQuote(path))
}

// checkAncestors refuses a folder inside one that another user (other
// than root) owns, or can write without the sticky bit, as ssh does for
// its files: that user could swap the config folder for a symlink to
// another between two runs, and lattice-link would read, set aside or
// lock files there. The folders on the path as given and on the path the
// symlinks lead to are both checked.
func checkAncestors(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil // no working folder: the folder's own checks stand
	}
	dirs := parents(abs)
	if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil && real != filepath.Dir(abs) {
		dirs = append(dirs, real)
		dirs = append(dirs, parents(real)...)
	}
	for _, dir := range dirs {
		info, err := os.Lstat(dir)
		if err != nil {
			continue
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		if !ok {
			continue
		}
		const why = "could swap the config folder for another between two runs, so lattice-link will not use it"
		if uid := int(st.Uid); uid != 0 && uid != os.Geteuid() {
			return fmt.Errorf("the config folder %s is inside %s, which belongs to another user (uid %d), who %s; "+
				"set LATTICE_LINK_CONFIG_DIR to a folder on a path only you and root can change", path, dir, st.Uid, why)
		}
		if info.Mode()&fs.ModeSymlink == 0 && info.Mode().Perm()&0o022 != 0 && info.Mode()&fs.ModeSticky == 0 {
			return fmt.Errorf("the config folder %s is inside %s, which other users can change (mode %s, no sticky bit); "+
				"they %s. Make it writable only by its owner (chmod go-w %s), or set LATTICE_LINK_CONFIG_DIR to a folder elsewhere",
				path, dir, octal(info.Mode()), why, shellQuote(dir))
		}
	}
	return nil
}

// parents are path's folders from its parent up to the root.
func parents(path string) []string {
	var out []string
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		out = append(out, dir)
		if dir == filepath.Dir(dir) {
			return out
		}
	}
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
