package link

import (
	"strings"
	"unicode"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/nango"
)

// Secret is what an answer or an argument turned out to be when it looks
// like a credential given in the wrong place: the faces then say so, and
// where it went, instead of echoing it or taking it as an answer.
type Secret int

const (
	NoSecret    Secret = iota
	LatticeKey         // looks like a Lattice API key
	ConnectLink        // a Nango Connect link or session token
)

// LooksSecret tells whether s, typed or passed where no credential belongs,
// is a Lattice key or a Connect link. Names, addresses and sentences are
// not: a key is one word of key characters in which letters and digits
// alternate, as random strings do and words and dates do not.
func LooksSecret(s string) Secret {
	s = strings.TrimSpace(s)
	if s == "" {
		return NoSecret
	}
	if _, err := nango.ParseLink(s, ""); err == nil {
		return ConnectLink
	}
	if strings.Contains(s, "session_token=") || strings.HasPrefix(s, nango.TokenPrefix) {
		return ConnectLink // a mangled link is still a credential
	}
	key, _, err := lattice.NormalizeKey(s)
	if err != nil || len(key) < 20 || strings.Contains(strings.ToLower(key), "latticehq.com") {
		return NoSecret // a company's Lattice address is no key, whatever its name
	}
	switches := 0
	for i, r := range key {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return NoSecret
		}
		if i > 0 && unicode.IsDigit(r) != unicode.IsDigit(rune(key[i-1])) &&
			(unicode.IsLetter(r) || unicode.IsLetter(rune(key[i-1]))) {
			switches++
		}
	}
	if switches >= 4 {
		return LatticeKey
	}
	return NoSecret
}
