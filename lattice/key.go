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

// KeysPath is where keys are made and revoked in Lattice's admin UI, as
// Lattice's own help article names it.
const KeysPath = "Admin › Settings › Platform › API keys"

// Errors from NormalizeKey. They never contain the key.
var (
	ErrEmptyKey    = errors.New("no key was given: paste the key you copied from Lattice")
	ErrKeyTooLong  = errors.New("that is far longer than a Lattice API key: paste only the key")
	ErrKeyTooShort = errors.New("that is too short to be a Lattice API key: paste the whole key")
	ErrKeySpaces   = errors.New("the key has spaces or line breaks inside it: paste only the key, in one piece")
	ErrKeyControls = errors.New("the key has control characters or invalid text in it: copy it again from Lattice")
	ErrKeyQuotes   = errors.New("the key is inside more than one pair of quotes: paste only the key")
	ErrKeyAddress  = errors.New("that is a web address, not a key: copy the key itself from " + KeysPath)
)

// NormalizeKey removes what a paste tends to bring along with a key
// (surrounding whitespace, a "Bearer " prefix, one pair of quotes, in either
// order) and rejects what cannot be a key. What it returns is exactly what
// will be sent, so counts and fingerprints shown from it describe that.
// warn is set (and the key still accepted) when it has characters outside
// the ones Lattice keys are known to use.
func NormalizeKey(raw string) (key string, warn bool, err error) {
	if len(raw) > 4*MaxKeyLength {
		return "", false, ErrKeyTooLong
	}
	key = trimBlank(raw)
	// At most one of each, so `Bearer "KEY"`, `"Bearer KEY"` and
	// `LATTICE_API_KEY="KEY"` all work but nothing is peeled off a key
	// indefinitely.
	var bearer, quoted, assigned bool
	for {
		if k, ok := cutAssignment(key); ok && !assigned {
			key, assigned = k, true
			continue
		}
		if k, ok := cutBearer(key); ok && !bearer {
			key, bearer = k, true
			continue
		}
		if k, ok := cutQuotes(key); ok && !quoted {
			key, quoted = k, true
			continue
		}
		break
	}
	if _, ok := cutQuotes(key); ok {
		// Still quoted: sending it would fail, and accepting it would make
		// NormalizeKey strip a different key the next time it is given this one.
		return "", false, ErrKeyQuotes
	}
	switch {
	case key == "":
		return "", false, ErrEmptyKey
	case strings.Contains(key, "://"): // a page of Lattice's, copied instead of the key
		return "", false, ErrKeyAddress
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

// trimBlank removes what surrounds a pasted key and is not part of it:
// whitespace (the no-break space too) and the invisible characters that
// editors and web pages add (a byte order mark, zero-width spaces and
// joiners), which strings.TrimSpace leaves.
func trimBlank(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060'
	})
}

// cutAssignment removes a shell or .env assignment around a key, as in
// LATTICE_API_KEY=KEY or export LATTICE_API_KEY=KEY: the name is in upper
// case, as environment variables' names are, so a key with an "=" in it
// is left alone.
func cutAssignment(s string) (string, bool) {
	name, value, ok := strings.Cut(strings.TrimPrefix(s, "export "), "=")
	if !ok || name == "" || name[0] < 'A' || name[0] > 'Z' {
		return s, false
	}
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return s, false
		}
	}
	return trimBlank(value), true
}

// cutBearer removes a pasted "Bearer " prefix in any case; "Bearer" alone
// leaves nothing, which is then reported as no key.
func cutBearer(s string) (string, bool) {
	switch {
	case len(s) >= 7 && strings.EqualFold(s[:7], "bearer "):
		return trimBlank(s[7:]), true
	case strings.EqualFold(s, "bearer"):
		return "", true
	}
	return s, false
}

// quotePairs are the quotes a key gets wrapped in when it is copied from a
// shell line, a config file or a word processor; none can be part of a key.
var quotePairs = [][2]string{{`"`, `"`}, {"'", "'"}, {"\u201c", "\u201d"}, {"\u2018", "\u2019"}}

// cutQuotes removes one matching pair of quotes around s.
func cutQuotes(s string) (string, bool) {
	for _, q := range quotePairs {
		if len(s) >= len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			return trimBlank(s[len(q[0]) : len(s)-len(q[1])]), true
		}
	}
	return s, false
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
