package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// File keeps keys in credentials.json in the config folder: the folder 0700,
// the file 0600, replaced atomically on every change. Over a memory folder
// the keys stay in memory.
type File struct {
	folder *Folder
}

// NewFile returns the file store of a folder.
func NewFile(folder *Folder) *File { return &File{folder: folder} }

func (f *File) path() string    { return filepath.Join(f.folder.Path, credentialsName) }
func (f *File) Kind() StoreKind { return FileStore }
func (f *File) Where() string {
	if f.folder.mem != nil {
		return "memory only (nothing is written to disk)"
	}
	return f.path() + " (" + privateFileNote + ")"
}

type credentials struct {
	Version int               `json:"version"`
	Keys    map[string]string `json:"keys"`
}

const credentialsVersion = 1

// moveAsideAdvice says how to set aside a credentials.json that cannot be
// read, in the words of goos's own shell: mv, or on Windows (whose cmd has
// no mv) PowerShell's Rename-Item, the path quoted as PowerShell reads it.
func moveAsideAdvice(goos, path string) string {
	if goos == "windows" {
		return fmt.Sprintf("Rename it to %s.bad (in PowerShell: Rename-Item -LiteralPath %s -NewName %s.bad) and store the key again",
			credentialsName, powerShellQuote(path), credentialsName)
	}
	return fmt.Sprintf("Move it aside (mv %s %s) and store the key again", shellQuote(path), shellQuote(path+".bad"))
}

// powerShellQuote makes a path one literal PowerShell word: in single
// quotes nothing is expanded, and a quote is written twice, the typographic
// ones too (PowerShell takes ‘ ’ ‚ ‛ for ', and O’Brien is a user's name).
func powerShellQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		if strings.ContainsRune("'‘’‚‛", r) {
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// read loads the file, refusing one that others can read and one that is
// not a file lattice-link wrote, each with what to do about it.
func (f *File) read() (credentials, error) {
	c := credentials{Version: credentialsVersion, Keys: map[string]string{}}
	if m := f.folder.mem; m != nil {
		m.credsMu.Lock()
		defer m.credsMu.Unlock()
		for p, k := range m.creds {
			c.Keys[p] = k
		}
		return c, nil
	}
	if err := checkAncestors(f.folder.Path); err != nil {
		return c, err
	}
	path := f.path()
	moveAside := moveAsideAdvice(runtime.GOOS, path)
	b, info, err := readSmall(path)
	var bad *badFileError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c, nil
	case errors.As(err, &bad):
		return c, fmt.Errorf("%s, so no key can be read from it. %s", bad, moveAside)
	case err != nil:
		return c, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if err := checkPrivateFile(path, info); err != nil { // perm_unix.go, perm_windows.go
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s is not valid JSON (%s), so no key can be read from it. %s",
			path, describeJSONError(b, err), moveAside)
	}
	if c.Version > credentialsVersion {
		return c, fmt.Errorf("%s was written by a newer lattice-link (format %d); update lattice-link to use it", path, c.Version)
	}
	if c.Keys == nil {
		c.Keys = map[string]string{}
	}
	return c, nil
}

// write replaces the file; the caller is inside folder.changing.
func (f *File) write(c credentials) error {
	if m := f.folder.mem; m != nil {
		m.credsMu.Lock()
		defer m.credsMu.Unlock()
		m.creds = c.Keys
		return nil
	}
	if len(c.Keys) == 0 {
		err := os.Remove(f.path())
		if err == nil {
			err = syncDir(f.folder.Path)
		}
		return err
	}
	if err := f.folder.ensure(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	err = writeAtomic(f.path(), append(b, '\n'), 0o600)
	var flush *FlushError
	if err != nil && !errors.As(err, &flush) {
		return fmt.Errorf("cannot write %s: %w", f.path(), err)
	}
	return err
}

func (f *File) Get(profile string) (string, error) {
	c, err := f.read()
	if err != nil {
		return "", err
	}
	k, ok := c.Keys[profile]
	if !ok || k == "" {
		return "", ErrNoKey
	}
	return k, nil
}

// Set and Delete run under the folder's lock, joining a key change that
// holds it: the file holds every profile's key, so two writers must not
// each drop the other's.
func (f *File) Set(profile, key string) error {
	return f.folder.changing(func() error {
		c, err := f.read()
		if err != nil {
			return err
		}
		c.Keys[profile] = key
		return f.write(c)
	})
}

func (f *File) Delete(profile string) error {
	return f.folder.changing(func() error {
		c, err := f.read()
		if err != nil {
			return err
		}
		if _, ok := c.Keys[profile]; !ok {
			return ErrNoKey
		}
		delete(c.Keys, profile)
		return f.write(c)
	})
}
