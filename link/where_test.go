package link

import (
	"errors"
	"testing"

	"github.com/lattice-link/lattice-link/config"
)

// TestWhereIsEmptyUntilTheStoreIsOpen: before anything has opened the
// store (a keyring probe can take seconds) Where says nothing instead of
// opening it; afterwards it names the store, and a store that would not
// open leaves it empty.
func TestWhereIsEmptyUntilTheStoreIsOpen(t *testing.T) {
	f := newFixture(t)
	if w := f.l.Where(); w != "" {
		t.Errorf("Where before the store is open = %q", w)
	}
	if _, err := f.l.Store(); err != nil {
		t.Fatal(err)
	}
	if w, want := f.l.Where(), f.store.Where(); w != want || w == "" {
		t.Errorf("Where once open = %q, want %q", w, want)
	}

	broken := New(Config{Profile: "acme", Folder: f.folder,
		OpenStore: func() (config.Store, error) { return nil, errors.New("no store here") }})
	if _, err := broken.Store(); err == nil {
		t.Fatal("the broken store opened")
	}
	if w := broken.Where(); w != "" {
		t.Errorf("Where of a store that did not open = %q", w)
	}
}
