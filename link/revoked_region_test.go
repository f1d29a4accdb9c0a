package link

import (
	"context"
	"testing"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestARotationRemembersTheOldKeysRegion: after a rotation, the check that
// the replaced key is revoked asks only the host of the region it worked
// in, as remembered when it was replaced; the other region rejects every
// key and would prove nothing.
func TestARotationRemembersTheOldKeysRegion(t *testing.T) {
	f := regionFixture(t, lattice.EMEA)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyEMEA, "", false); err != nil {
		t.Fatal(err)
	}
	res := confirmed(t, f.l, latticedemo.KeyAdmin, latticedemo.KeyEMEA)
	f.srv.Revoke(latticedemo.KeyEMEA)
	before := len(f.srv.Requests())
	if revoked, err := f.l.CheckRevoked(context.Background(), res.Old, res.Identity.Endpoint); err != nil || !revoked {
		t.Fatalf("CheckRevoked: %v, %v", revoked, err)
	}
	asked := f.srv.Requests()[before:]
	if len(asked) != 1 || asked[0].Region != lattice.EMEA {
		t.Errorf("the check asked %+v, want the EMEA host alone", asked)
	}
}
