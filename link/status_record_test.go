package link

import (
	"context"
	"testing"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestAStatusCheckRemembersWhatItLearnt: a check of the stored key that
// Lattice answered remembers the answer, a 403 included, and every status
// carries the record as it stands after the check, the environment key's
// too (which changes nothing).
func TestAStatusCheckRemembersWhatItLearnt(t *testing.T) {
	f := newFixture(t)
	if err := f.store.Set("acme", latticedemo.KeyForbidden); err != nil {
		t.Fatal(err)
	}
	s := f.l.CheckStatus(context.Background(), latticedemo.KeyForbidden, false, false)
	if Word(s.Err) != "forbidden" {
		t.Fatalf("the check: %v", s.Err)
	}
	p, _, err := f.l.Remembered()
	if err != nil || p.CheckResult != "forbidden" || !p.CheckedAt.Equal(s.CheckedAt) {
		t.Errorf("a 403 was not remembered: %+v, %v", p, err)
	}

	g := newFixture(t)
	if _, err := g.l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	env := g.l.CheckStatus(context.Background(), latticedemo.KeyMember, true, false)
	if env.Remembered.Fingerprint != lattice.Fingerprint(latticedemo.KeyAdmin) || env.Remembered.CheckResult != "valid" {
		t.Errorf("the environment key's status carries %+v, not the stored key's record", env.Remembered)
	}
}

// TestForgetNamesTheKeyInEveryStoreItCleared: each store a forget cleared
// is named with the fingerprint of the key it held.
func TestForgetNamesTheKeyInEveryStoreItCleared(t *testing.T) {
	f := newFixture(t)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	got, err := f.l.Forget(latticedemo.KeyAdmin)
	if err != nil || len(got.Cleared) == 0 {
		t.Fatalf("Forget: %+v, %v", got, err)
	}
	for _, p := range got.Cleared {
		if p.Fingerprint != lattice.Fingerprint(latticedemo.KeyAdmin) {
			t.Errorf("a cleared store without the key's fingerprint: %+v", p)
		}
	}
}
