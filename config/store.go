// Package config is where lattice-link keeps what it must remember: the key
// in a credential store (the OS keyring or a 0600 file), and beside it the
// metadata that holds no secret.
package config

import (
	"errors"
	"strconv"
	"sync"

	"github.com/lattice-link/lattice-link/sanitize"
)

// ErrNoKey is returned by Get when the profile has no stored key.
var ErrNoKey = errors.New("no key is stored")

// StoreKind names a kind of credential store. state.json remembers one as a
// hint of where a profile's key is; --store and LATTICE_LINK_STORE ask for one.
type StoreKind string

// The kinds of store. Auto is not a store: it asks for the keyring when it
// answers, else the file.
const (
	Auto          StoreKind = "auto"
	KeyringStore  StoreKind = "keyring"
	FileStore     StoreKind = "file"
	MemoryStore   StoreKind = "memory"
	noStoreChosen StoreKind = ""
)

// ParseStoreKind checks a kind asked for; "" is auto.
func ParseStoreKind(s string) (StoreKind, error) {
	switch k := StoreKind(s); k {
	case Auto, KeyringStore, FileStore:
		return k, nil
	case noStoreChosen:
		return Auto, nil
	}
	return "", &UnknownStoreError{Name: s}
}

// UnknownStoreError says a store kind that does not exist was asked for.
type UnknownStoreError struct{ Name string }

func (e *UnknownStoreError) Error() string {
	return "unknown store " + strconv.Quote(sanitize.Line(e.Name, 40)) + ": use auto, keyring or file"
}

// Store keeps one key per profile.
type Store interface {
	Kind() StoreKind
	// Where says where the keys are, for people: a file path or the keyring's name.
	Where() string
	Get(profile string) (string, error)
	Set(profile, key string) error
	Delete(profile string) error
}

// Memory is a Store that forgets everything when the program ends; --demo
// and tests use it so they never touch a real store.
type Memory struct {
	mu   sync.Mutex
	keys map[string]string
}

// NewMemory returns an empty memory store.
func NewMemory() *Memory { return &Memory{keys: map[string]string{}} }

func (m *Memory) Kind() StoreKind { return MemoryStore }
func (m *Memory) Where() string   { return "memory only (demo: nothing is written to disk)" }

func (m *Memory) Get(profile string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[profile]
	if !ok {
		return "", ErrNoKey
	}
	return k, nil
}

func (m *Memory) Set(profile, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys[profile] = key
	return nil
}

func (m *Memory) Delete(profile string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.keys, profile)
	return nil
}
