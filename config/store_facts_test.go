package config

import (
	"path/filepath"
	"testing"
)

// TestFingerprintShape: a fingerprint is "••••" and one to four
// characters, without blanks around them.
func TestFingerprintShape(t *testing.T) {
	for fp, ok := range map[string]bool{
		"••••a": true, "••••abcd": true, "••••": false, "••••abcde": false, "••••ab ": false, "abcd": false,
	} {
		if isFingerprint(fp) != ok {
			t.Errorf("isFingerprint(%q) = %v", fp, !ok)
		}
	}
}

// TestStoresByKindAndRecord: each kind names its own store, and a profile
// is remembered only once state.json describes a key for it.
func TestStoresByKindAndRecord(t *testing.T) {
	folder := NewFolder(filepath.Join(t.TempDir(), "cfg"))
	s := stores(t, "auto", "", folder, newFakeKeyring())
	for _, k := range []StoreKind{KeyringStore, FileStore} {
		if got := s.byKind(k).Kind(); got != k {
			t.Errorf("byKind(%s) is the %s store", k, got)
		}
	}
	if s.remembered("acme") {
		t.Error("a profile is remembered before state.json describes it")
	}
	if _, err := folder.Update("acme", func(p *Profile) { p.Fingerprint = "••••7f3c" }); err != nil {
		t.Fatal(err)
	}
	if !s.remembered("acme") {
		t.Error("a profile state.json describes is not remembered")
	}
}
