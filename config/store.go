// Package config is where lattice-link keeps what it must remember: the key
// in a credential store (the OS keyring or a 0600 file), and beside it the
// metadata that holds no secret.
package config

import (
	"errors"
	"sync"
)

// ErrNoKey is returned by Get when the profile has no stored key.
var ErrNoKey = errors.New("no key is stored")

// Store keeps one key per profile.
type Store interface {
	// Kind is "keyring", "file" or "memory".
	Kind() string
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

func (m *Memory) Kind() string  { return "memory" }
func (m *Memory) Where() string { return "memory only (demo: nothing is written to disk)" }

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
