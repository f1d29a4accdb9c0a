package config

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringTimeout bounds every keyring call: a Secret Service that is not
// running, or a locked keychain waiting for a password nobody will type,
// must not hang lattice-link.
var KeyringTimeout = 3 * time.Second

// keyringService is the service name keys are filed under.
const keyringService = "lattice-link"

// KeyringBackend is the OS keyring's interface; go-keyring in production,
// something else in tests.
type KeyringBackend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type osKeyring struct{}

func (osKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (osKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (osKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// Keyring keeps keys in the OS keyring (Secret Service, macOS Keychain,
// Windows Credential Manager).
type Keyring struct {
	backend KeyringBackend
}

// NewKeyring returns the OS keyring store; backend nil means the real one.
func NewKeyring(backend KeyringBackend) *Keyring {
	if backend == nil {
		backend = osKeyring{}
	}
	return &Keyring{backend: backend}
}

func (k *Keyring) Kind() string  { return "keyring" }
func (k *Keyring) Where() string { return "the OS keyring (service " + keyringService + ")" }

// within runs fn, giving up after KeyringTimeout. A call that hangs is left
// behind in its goroutine; nothing else can be done with a blocked D-Bus call.
func within[T any](fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	t := time.NewTimer(KeyringTimeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-t.C:
		var zero T
		return zero, fmt.Errorf("the OS keyring did not answer within %s", KeyringTimeout)
	}
}

func (k *Keyring) Get(profile string) (string, error) {
	v, err := within(func() (string, error) { return k.backend.Get(keyringService, profile) })
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNoKey
	}
	if err != nil {
		return "", keyringError("reading", err)
	}
	return v, nil
}

func (k *Keyring) Set(profile, key string) error {
	_, err := within(func() (struct{}, error) { return struct{}{}, k.backend.Set(keyringService, profile, key) })
	if err != nil {
		return keyringError("writing", err)
	}
	return nil
}

func (k *Keyring) Delete(profile string) error {
	_, err := within(func() (struct{}, error) { return struct{}{}, k.backend.Delete(keyringService, profile) })
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNoKey
	}
	if err != nil {
		return keyringError("writing", err)
	}
	return nil
}

// keyringError says what went wrong with the keyring and what to do; the
// Secret Service's own words for a locked collection mean little to people.
func keyringError(doing string, err error) error {
	if strings.Contains(strings.ToLower(err.Error()), "unlock") {
		return fmt.Errorf("%s the OS keyring: it is locked. Unlock it (log in to your desktop session, "+
			"or unlock the \"login\" keyring), then try again; or use --store file: %w", doing, err)
	}
	return fmt.Errorf("%s the OS keyring: %w", doing, err)
}

// probe asks the keyring for a key that does not exist: a keyring that
// works answers "not found" quickly.
func (k *Keyring) probe() error {
	if _, err := k.Get("lattice-link-probe"); err != nil && !errors.Is(err, ErrNoKey) {
		return err
	}
	return nil
}
