package lattice

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on what is accepted as a key; real keys are far between them.
const (
	MinKeyLength = 8
	MaxKeyLength = 512
)

// Errors from NormalizeKey. They never contain the key.
var (
	ErrEmptyKey    = errors.New("no key was given: paste the key you copied from Lattice")
	ErrKeyTooLong  = errors.New("that is far longer than a Lattice API key: paste only the key")
	ErrKeyTooShort = errors.New("that is too short to be a Lattice API key: paste the whole key")
	ErrKeySpaces   = errors.New("the key has spaces or line breaks inside it: paste only the key, in one piece")
	ErrKeyControls = errors.New("the key has control characters or invalid text in it: copy it again from Lattice")
)

// NormalizeKey trims whitespace and a pasted "Bearer " prefix and rejects
// what cannot be a key. warn is set (and the key still accepted) when it has
// characters outside the ones Lattice keys are known to use.
func NormalizeKey(raw string) (key string, warn bool, err error) {
	if len(raw) > 4*MaxKeyLength {
		return "", false, ErrKeyTooLong
	}
	key = strings.TrimSpace(raw)
	if len(key) >= 7 && strings.EqualFold(key[:7], "bearer ") {
		key = strings.TrimSpace(key[7:])
	} else if strings.EqualFold(key, "bearer") {
		key = ""
	}
	switch {
	case key == "":
		return "", false, ErrEmptyKey
	case len(key) > MaxKeyLength:
		return "", false, ErrKeyTooLong
	case !utf8.ValidString(key):
		return "", false, ErrKeyControls
	}
	for _, r := range key {
		switch {
		case unicode.IsSpace(r):
			return "", false, ErrKeySpaces
		case unicode.IsControl(r) || unicode.In(r, unicode.Cf):
			return "", false, ErrKeyControls
		case !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_' || r == '.'):
			warn = true
		}
	}
	if len(key) < MinKeyLength {
		return "", false, ErrKeyTooShort
	}
	return key, warn, nil
}

// Fingerprint names a key without revealing it: "••••" and its last four
// characters, which Lattice's key list also shows.
func Fingerprint(key string) string {
	return "••••" + lastFour(key)
}

// FingerprintASCII is Fingerprint for terminals that cannot show "•".
func FingerprintASCII(key string) string {
	return "****" + lastFour(key)
}

func lastFour(key string) string {
	r := []rune(key)
	if len(r) <= 8 { // too short to give away a quarter of it
		return "?"
	}
	return string(r[len(r)-4:])
}
