package config

import (
	"path/filepath"
	"testing"
)

// TestTheStoreLookedInFirst: the store state.json names as holding the key
// is looked in first; without that hint, the one asked for (--store file),
// else the keyring. Both are looked in either way (TestStores…).
func TestTheStoreLookedInFirst(t *testing.T) {
	folder := NewFolder(filepath.Join(t.TempDir(), "cfg"))
	for _, c := range []struct {
		asked, hint string
		first       StoreKind
	}{
		{"auto", "", KeyringStore},
		{"auto", "file", FileStore},
		{"auto", "keyring", KeyringStore},
		{"file", "", FileStore},
		{"file", "keyring", KeyringStore},
		{"keyring", "", KeyringStore},
		{"keyring", "file", FileStore},
	} {
		order := stores(t, c.asked, c.hint, folder, newFakeKeyring()).order()
		if len(order) != 2 || order[0].Kind() != c.first {
			t.Errorf("asked %q, hint %q: %d stores, %s first, want %s", c.asked, c.hint, len(order), order[0].Kind(), c.first)
		}
	}
}
