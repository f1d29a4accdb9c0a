package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// maxFileSize bounds what is read from the config folder. lattice-link
// writes a few KiB there; a bigger file is not ours, and reading a huge one
// (or /dev/zero) whole would take seconds and gigabytes.
const maxFileSize = 1 << 20

// badFileError says a file in the config folder is not one lattice-link can
// have written: not a regular file, or too big.
type badFileError struct {
	Path    string
	Problem string // "is a named pipe (FIFO), not a file"
}

func (e *badFileError) Error() string { return e.Path + " " + e.Problem }

// readSmall reads a file of the config folder. Only a regular file of at
// most maxFileSize is read: a FIFO would block forever, a device never ends,
// and a symlink's target is not the file that a write replaces (a key
// read through one would stay behind there after a rotation or a logout).
func readSmall(path string) ([]byte, fs.FileInfo, error) {
	// Checked before opening, as opening some devices does something, and
	// again on what was opened, in case the name changed in between (the
	// open does not follow a symlink either, on Unix).
	info, err := os.Lstat(path)
	if err != nil {
		return nil, nil, err
	}
	if p := problem(info); p != "" {
		return nil, nil, &badFileError{path, p}
	}
	fd, err := os.OpenFile(path, readFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	defer fd.Close()
	if info, err = fd.Stat(); err != nil {
		return nil, nil, err
	}
	if p := problem(info); p != "" {
		return nil, nil, &badFileError{path, p}
	}
	b, err := io.ReadAll(io.LimitReader(fd, maxFileSize+1))
	if err != nil {
		return nil, nil, err
	}
	if len(b) > maxFileSize { // it grew after the fstat
		return nil, nil, &badFileError{path, tooBig}
	}
	return b, info, nil
}

const tooBig = "is larger than 1 MiB, far more than lattice-link ever writes"

// problem says what is wrong with a file lattice-link is about to read; ""
// when nothing is.
func problem(info fs.FileInfo) string {
	m := info.Mode()
	switch {
	case m.IsRegular():
		if info.Size() > maxFileSize {
			return tooBig
		}
		return ""
	case m&fs.ModeSymlink != 0:
		return "is a symbolic link, which lattice-link does not follow in its folder"
	case m.IsDir():
		return "is a folder, not a file"
	case m&fs.ModeNamedPipe != 0:
		return "is a named pipe (FIFO), not a file"
	case m&fs.ModeDevice != 0:
		return "is a device, not a file"
	case m&fs.ModeSocket != 0:
		return "is a socket, not a file"
	}
	return "is not a regular file"
}

// describeJSONError says where JSON went wrong without quoting any of it:
// the text could be a key.
func describeJSONError(data []byte, err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return "it is empty"
	case errors.As(err, &syntax):
		if syntax.Offset >= int64(len(data)) {
			return "it ends too early"
		}
		return fmt.Sprintf("a syntax error at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("a %s where another kind of value belongs, at byte %d", typ.Value, typ.Offset)
	}
	return "it cannot be read as JSON"
}

// shellQuote makes a path safe to paste into a shell command in a message:
// macOS's config folder is under "Application Support".
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./~+=,:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// WriteNewFile creates path with data, only if the name is free: an
// existing file, folder or symlink (even a dangling one) is never written
// through, and the error then satisfies errors.Is(err, os.ErrExist). A file
// that could not be written whole is removed.
func WriteNewFile(path string, data []byte, perm os.FileMode) error {
	fd, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY|newFileFlags, perm)
	if err != nil {
		// Some systems answer a symlink with ELOOP or EMLINK (O_NOFOLLOW)
		// rather than EEXIST; the name is taken all the same.
		if _, lerr := os.Lstat(path); lerr == nil && !errors.Is(err, fs.ErrExist) {
			err = &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
		}
		return err
	}
	_, err = fd.Write(data)
	if cerr := fd.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err
}

// FreeName is path if nothing has that name, else the first free one of
// "name (2).ext", "name (3).ext" … A name whose Lstat fails for another
// reason than "exists" counts as free: writing it reports the real problem.
func FreeName(path string) string {
	taken := func(p string) bool { _, err := os.Lstat(p); return err == nil }
	if !taken(path) {
		return path
	}
	dir, name := filepath.Split(path)
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	if stem == "" { // ".env" is all name, no extension
		stem, ext = name, ""
	}
	for n := 2; ; n++ {
		p := dir + stem + " (" + strconv.Itoa(n) + ")" + ext
		if !taken(p) {
			return p
		}
	}
}
