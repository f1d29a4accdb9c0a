package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File keeps keys in credentials.json in the config folder: the folder 0700,
// the file 0600, replaced atomically on every change.
type File struct {
	folder *Folder
}

// NewFile returns the file store of a folder.
func NewFile(folder *Folder) *File { return &File{folder: folder} }

func (f *File) path() string  { return filepath.Join(f.folder.Path, "credentials.json") }
func (f *File) Kind() string  { return "file" }
func (f *File) Where() string { return f.path() + " (mode 0600)" }

type credentials struct {
	Version int               `json:"version"`
	Keys    map[string]string `json:"keys"`
}

// read loads the file, refusing one that others can read.
func (f *File) read() (credentials, error) {
	c := credentials{Version: 1, Keys: map[string]string{}}
	fd, err := os.Open(f.path())
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("cannot read %s: %w", f.path(), err)
	}
	defer fd.Close()
	info, err := fd.Stat()
	if err != nil {
		return c, err
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		return c, fmt.Errorf("%s can be read by others (mode %04o), so the key in it may have leaked; "+
			"fix it with: chmod 600 %s, and consider rotating the key", f.path(), mode, f.path())
	}
	if err := json.NewDecoder(fd).Decode(&c); err != nil {
		return c, fmt.Errorf("%s is not valid (%v); move it aside and connect again", f.path(), errors.Unwrap(err))
	}
	if c.Keys == nil {
		c.Keys = map[string]string{}
	}
	return c, nil
}

func (f *File) write(c credentials) error {
	if err := f.folder.ensure(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(f.path(), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("cannot write %s: %w", f.path(), err)
	}
	return nil
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

func (f *File) Set(profile, key string) error {
	c, err := f.read()
	if err != nil {
		return err
	}
	c.Keys[profile] = key
	return f.write(c)
}

func (f *File) Delete(profile string) error {
	c, err := f.read()
	if err != nil {
		return err
	}
	if _, ok := c.Keys[profile]; !ok {
		return ErrNoKey
	}
	delete(c.Keys, profile)
	if len(c.Keys) == 0 {
		if err := os.Remove(f.path()); err != nil {
			return err
		}
		return syncDir(f.folder.Path)
	}
	return f.write(c)
}
