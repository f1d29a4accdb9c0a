package link

import (
	"context"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestAWrongStoreHintIsSetRight: when state.json describes the stored key
// but names the wrong store for it (the key was moved by hand, say), a
// lookup sets the store right and leaves the rest of the record alone.
func TestAWrongStoreHintIsSetRight(t *testing.T) {
	f := newFixture(t)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	before, _, _ := f.l.Remembered()
	if _, err := f.folder.Update("acme", func(p *config.Profile) { p.Store = config.KeyringStore }); err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.Lookup(); err != nil {
		t.Fatal(err)
	}
	after, _, _ := f.l.Remembered()
	if after.Store != config.FileStore || after.Fingerprint != before.Fingerprint || after.Owner != before.Owner {
		t.Errorf("after the lookup the record is %+v, was %+v", after, before)
	}
}
