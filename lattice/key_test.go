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

func TestFingerprint(t *testing.T) {
	if got := Fingerprint("demo-4f1e-admin-8c2d-7f3c"); got != "••••7f3c" {
		t.Errorf("got %q", got)
	}
	if got := Fingerprint("short"); strings.Contains(got, "hort") {
		t.Errorf("a short key gave away %q", got)
	}
}

func FuzzNormalizeKey(f *testing.F) {
	for _, s := range []string{"", "Bearer abc", " key\n", "a b", "\x1b[31m", "\xff"} {
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
