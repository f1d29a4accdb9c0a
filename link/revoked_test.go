package link

import (
	"context"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// A rotation is remembered as not revoked until Lattice rejects the old key
// when asked; then state.json says so, and later runs stop reminding.
func TestCheckRevokedRemembersTheAnswer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	res, err := f.l.Connect(ctx, latticedemo.KeyRotated, latticedemo.KeyAdmin, false)
	if err != nil {
		t.Fatal(err)
	}
	revoked := func() bool {
		p, _, _ := f.l.Remembered()
		return len(p.Rotations) == 1 && p.Rotations[0].Revoked
	}
	if _, err := f.l.CheckRevoked(ctx, res.Old, res.Identity.Endpoint); err != nil || revoked() {
		t.Fatalf("the old key still works, yet it is remembered revoked (%v)", err)
	}
	f.srv.Revoke(latticedemo.KeyAdmin)
	if ok, err := f.l.CheckRevoked(ctx, res.Old, res.Identity.Endpoint); err != nil || !ok || !revoked() {
		t.Errorf("Lattice rejects the old key, yet it is not remembered revoked: %v %v", ok, err)
	}
}
