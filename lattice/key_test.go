package lattice

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeKey(t *testing.T) {
	const k = "abc-DEF_123.xyz-7f3c"
	for _, in := range []string{k, " " + k + "\n", k + "\r\n", "Bearer " + k, "bearer  " + k + "\t", "\n\n" + k} {
		got, warn, err := NormalizeKey(in)
		if err != nil || got != k || warn {
			t.Errorf("%q: %q %v %v", in, got, warn, err)
		}
	}
	bad := map[string]error{
		"":                         ErrEmptyKey,
		"  \n ":                    ErrEmptyKey,
		"Bearer ":                  ErrEmptyKey,
		"abc def":                  ErrKeySpaces,
		"abc\ndef":                 ErrKeySpaces,
		"abc\x1b[2Jdef":            ErrKeyControls,
		"abc\x00def":               ErrKeyControls,
		"abc\xffdef":               ErrKeyControls,
		strings.Repeat("a", 600):   ErrKeyTooLong,
		strings.Repeat("a", 1<<20): ErrKeyTooLong,
	}
	for in, want := range bad {
		_, _, err := NormalizeKey(in)
		if !errors.Is(err, want) {
			t.Errorf("%.20q: %v, want %v", in, err, want)
		}
		if err != nil && len(in) > 3 && strings.Contains(err.Error(), in) {
			t.Errorf("error repeats the input")
		}
	}
	if _, _, err := NormalizeKey("short"); !errors.Is(err, ErrKeyTooShort) {
		t.Errorf("short: %v", err)
	}
	if _, warn, err := NormalizeKey("key+with/odd=chars9"); err != nil || !warn {
		t.Errorf("odd characters: warn %v err %v", warn, err)
	}
}

// What comes along with a key copied from a web page, an editor or a
// shell line is removed like whitespace; what cannot be a key is refused
// before anything is sent.
func TestNormalizeKeyCleansWhatComesAlong(t *testing.T) {
	const k = "abc-DEF_123.xyz-7f3c"
	for _, in := range []string{"\uFEFF" + k, k + "\u200B", "\u00A0" + k + "\u00A0", "\u200B\uFEFF " + k + " \u2060",
		"LATTICE_API_KEY=" + k, `LATTICE_API_KEY="` + k + `"`, "export LATTICE_API_KEY=" + k + "\n", `"Bearer ` + k + `"`} {
		got, warn, err := NormalizeKey(in)
		if err != nil || got != k || warn {
			t.Errorf("%q: %q %v %v", in, got, warn, err)
		}
	}
	for _, in := range []string{"https://acme.latticehq.com/admin/settings/api-keys", "http://localhost/x"} {
		if _, _, err := NormalizeKey(in); !errors.Is(err, ErrKeyAddress) {
			t.Errorf("%q: %v, want ErrKeyAddress", in, err)
		}
	}
	if got, _, _ := NormalizeKey("abc=def-7f3c-1234"); got != "abc=def-7f3c-1234" {
		t.Errorf("a key with = lost its start: %q", got)
	}
}

func TestFingerprint(t *testing.T) {
	if got := Fingerprint("demo-4f1e-admin-8c2d-7f3c"); got != "••••7f3c" {
		t.Errorf("got %q", got)
	}
	if got := Fingerprint("short"); strings.Contains(got, "hort") {
		t.Errorf("a short key gave away %q", got)
	}
}

func FuzzNormalizeKey(f *testing.F) {
	for _, s := range []string{"", "Bearer abc", " key\n", "a b", "\x1b[31m", "\xff",
		`"Bearer abcdefgh1"`, `Bearer 'abcdefgh2'`, `""abcdefgh3""`, "\u201cabcdefgh4\u201d", `"'abcdefgh5'`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, _, err := NormalizeKey(s)
		if err != nil {
			if key != "" {
				t.Fatal("a key with an error")
			}
			return
		}
		if len(key) < MinKeyLength || strings.ContainsAny(key, " \t\r\n\x1b") || len(key) > MaxKeyLength {
			t.Fatalf("accepted %q", key)
		}
		again, _, err := NormalizeKey(key)
		if err != nil || again != key {
			t.Fatalf("not idempotent: %q -> %q (%v)", key, again, err)
		}
	})
}

// A key copied from a shell line, a config file or a chat comes in quotes,
// with or without a Bearer prefix, in either order; what is sent, counted
// and fingerprinted is the key alone.
func TestNormalizeKeyStripsOnePairOfQuotes(t *testing.T) {
	const k = "abc-DEF_123.xyz-7f3c"
	for _, in := range []string{
		`"` + k + `"`, `'` + k + `'`, `"  Bearer ` + k + `  "`, `Bearer "` + k + `"`, ` 'bearer ` + k + "'\n",
		`"  ` + k + "\t\"", "\u201c" + k + "\u201d", "\u2018" + k + "\u2019", `BEARER  ' ` + k + ` '  `,
	} {
		got, warn, err := NormalizeKey(in)
		if err != nil || got != k || warn {
			t.Errorf("%q: %q %v %v", in, got, warn, err)
			continue
		}
		if len([]rune(got)) != len(k) || Fingerprint(got) != "••••7f3c" || FingerprintASCII(got) != "****7f3c" {
			t.Errorf("%q: counted %d, fingerprint %q", in, len([]rune(got)), Fingerprint(got))
		}
	}
	bad := map[string]error{
		`""`:                           ErrEmptyKey,
		`''`:                           ErrEmptyKey,
		`"Bearer"`:                     ErrEmptyKey,
		`" Bearer  "`:                  ErrEmptyKey,
		`""` + k + `""`:                ErrKeyQuotes,
		`"'` + k + `'"`:                ErrKeyQuotes,
		`Bearer "Bearer ` + k + `"`:    ErrKeySpaces,
		`"Bearer Bearer ` + k + `"`:    ErrKeySpaces,
		`"` + k + ` ` + k + `"`:        ErrKeySpaces,
		`"` + strings.Repeat("a", 600): ErrKeyTooLong,
	}
	for in, want := range bad {
		_, _, err := NormalizeKey(in)
		if !errors.Is(err, want) {
			t.Errorf("%.30q: %v, want %v", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), k) {
			t.Errorf("%.30q: the error repeats the key", in)
		}
	}
	// Unmatched quotes are not a wrapping: the key is odd, not quoted.
	for _, in := range []string{`"` + k, k + `'`, `"` + k + `'`} {
		if got, warn, err := NormalizeKey(in); err != nil || got != in || !warn {
			t.Errorf("%q: %q %v %v", in, got, warn, err)
		}
	}
}
