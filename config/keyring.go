package config

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/lattice-link/lattice-link/sanitize"
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
	// silent is set once a call went unanswered: the calls after it queue
	// behind the first, so they are not waited for again in this run
	// (except by Reread, which must know).
	silent atomic.Bool
}

// NewKeyring returns the OS keyring store; backend nil means the real one.
func NewKeyring(backend KeyringBackend) *Keyring {
	if backend == nil {
		backend = osKeyring{}
	}
	return &Keyring{backend: backend}
}

func (k *Keyring) Kind() StoreKind { return KeyringStore }
func (k *Keyring) Where() string   { return "the OS keyring (service " + keyringService + ")" }

// within runs fn, giving up after KeyringTimeout. A call that hangs is left
// behind in its goroutine; nothing else can be done with a blocked D-Bus call.
func within[T any](k *Keyring, fn func() (T, error)) (T, error) {
	if k.silent.Load() {
		var zero T
		return zero, errSilent
	}
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
		k.silent.Store(true)
		var zero T
		return zero, errSilent
	}
}

var errSilent = errors.New("no answer")

func (k *Keyring) Get(profile string) (string, error) {
	v, err := within(k, func() (string, error) { return k.backend.Get(keyringService, profile) })
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNoKey
	}
	if err != nil {
		return "", keyringError(false, err)
	}
	return v, nil
}

func (k *Keyring) Set(profile, key string) error {
	_, err := within(k, func() (struct{}, error) { return struct{}{}, k.backend.Set(keyringService, profile, key) })
	if err != nil {
		return keyringError(true, err)
	}
	return nil
}

func (k *Keyring) Delete(profile string) error {
	_, err := within(k, func() (struct{}, error) { return struct{}{}, k.backend.Delete(keyringService, profile) })
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNoKey
	}
	if err != nil {
		return keyringError(true, err)
	}
	return nil
}

// Reread is Get, waiting for the keyring even after it was silent: after
// a write that went unanswered, only the keyring can say whether the write
// happened.
func (k *Keyring) Reread(profile string) (string, error) {
	k.silent.Store(false)
	return k.Get(profile)
}

// KeyringProblem is what went wrong with the OS keyring, as a fact.
type KeyringProblem int

const (
	// KeyringFailed: it answered with an error of its own.
	KeyringFailed KeyringProblem = iota
	// KeyringLocked: it is locked and was not unlocked (the prompt could
	// not be shown, or was dismissed).
	KeyringLocked
	// KeyringSilent: it did not answer within KeyringTimeout (often an
	// unlock prompt waiting on a screen nobody looks at). A write may still
	// happen after that.
	KeyringSilent
	// KeyringAbsent: there is no keyring to ask (no D-Bus session bus, or
	// nothing serving the Secret Service on it); it holds nothing.
	KeyringAbsent
)

// KeyringError says why the OS keyring could not be read or written. Its
// words say what it means for people, never the Secret Service's object
// paths; Err keeps the keyring's own error for errors.Is.
type KeyringError struct {
	Writing bool
	Problem KeyringProblem
	Err     error
}

func (e *KeyringError) Error() string {
	doing := "reading"
	if e.Writing {
		doing = "writing"
	}
	switch e.Problem {
	case KeyringLocked:
		return doing + " the OS keyring: it is locked. Unlock it (log in to your desktop session again, " +
			"or unlock the \"login\" keyring in your desktop's passwords and keys app), then try again"
	case KeyringSilent:
		return fmt.Sprintf("%s the OS keyring: it did not answer within %s (a locked keyring may be waiting "+
			"for its password in a prompt on another screen)", doing, KeyringTimeout)
	case KeyringAbsent:
		// What is missing, whether reading or writing: the cause in
		// brackets, for whoever sets one up.
		return "there is no OS keyring on this machine (" + absentReason(e.Err) + ")"
	}
	return doing + " the OS keyring: " + sanitize.Line(e.Err.Error(), 300)
}

func (e *KeyringError) Unwrap() error { return e.Err }

// IsKeyring reports whether err is the keyring's, and which problem.
func IsKeyring(err error) (KeyringProblem, bool) {
	var ke *KeyringError
	if errors.As(err, &ke) {
		return ke.Problem, true
	}
	return 0, false
}

// keyringError classifies what the keyring library said. The Secret
// Service's own words are all there is to go by for a locked collection.
func keyringError(writing bool, err error) error {
	e := &KeyringError{Writing: writing, Err: err}
	text := strings.ToLower(err.Error())
	switch {
	case errors.Is(err, errSilent):
		e.Problem = KeyringSilent
	case strings.Contains(text, "unlock"), strings.Contains(text, "locked"),
		strings.Contains(text, "user interaction is not allowed"): // macOS, keychain locked
		e.Problem = KeyringLocked
	case errors.Is(err, exec.ErrNotFound), strings.Contains(text, "dbus-launch"),
		strings.Contains(text, "dial unix"), strings.Contains(text, "connection refused"),
		strings.Contains(text, "serviceunknown"), strings.Contains(text, "was not provided by any .service files"),
		strings.Contains(text, "no such file or directory"):
		e.Problem = KeyringAbsent
	}
	return e
}

// absentReason says why there is no keyring, without the library's noise.
func absentReason(err error) string {
	text := strings.ToLower(err.Error())
	switch {
	case errors.Is(err, exec.ErrNotFound), strings.Contains(text, "dbus-launch"):
		return "no desktop session's keyring can be reached: there is no D-Bus session bus, as " +
			"DBUS_SESSION_BUS_ADDRESS is not set and there is no dbus-launch to start one"
	case strings.Contains(text, "dial unix"), strings.Contains(text, "no such file or directory"),
		strings.Contains(text, "connection refused"):
		return "no desktop session's keyring can be reached: the D-Bus session bus that DBUS_SESSION_BUS_ADDRESS " +
			"names does not answer"
	}
	return "no keyring program, such as gnome-keyring or KeePassXC, is running in this session"
}

// probe asks the keyring for a key that does not exist: a keyring that
// works answers "not found" quickly.
func (k *Keyring) probe() error {
	if _, err := k.Get("lattice-link-probe"); err != nil && !errors.Is(err, ErrNoKey) {
		return err
	}
	return nil
}
