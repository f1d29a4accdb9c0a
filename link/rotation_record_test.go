package link

import (
	"context"
	"errors"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestOnlyTheLastRotationCutShortIsReported: the key to revoke is named
// when the last rotation was cut short and the stored key came from it;
// not when there was no rotation, the last one finished, or another key
// is stored since.
func TestOnlyTheLastRotationCutShortIsReported(t *testing.T) {
	cut := config.Rotation{From: "…old1", To: "…new1", Interrupted: true}
	for _, c := range []struct {
		name string
		p    config.Profile
		want string
	}{
		{"no rotation", config.Profile{Fingerprint: "…new1"}, ""},
		{"cut short", config.Profile{Fingerprint: "…new1", Rotations: []config.Rotation{cut}}, "…old1"},
		{"finished", config.Profile{Fingerprint: "…new1", Rotations: []config.Rotation{{From: "…old1", To: "…new1"}}}, ""},
		{"another key since", config.Profile{Fingerprint: "…new2", Rotations: []config.Rotation{cut}}, ""},
		{"an earlier one cut short", config.Profile{Fingerprint: "…new2",
			Rotations: []config.Rotation{cut, {From: "…new1", To: "…new2"}}}, ""},
	} {
		if got := LastRotationInterrupted(c.p); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestARevocationCheckCutShortSaysSo: a check of the replaced key that is
// cancelled reports the cancellation; it neither says the key still works
// nor that it is revoked.
func TestARevocationCheckCutShortSaysSo(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	revoked, err := f.l.CheckRevoked(ctx, latticedemo.KeyMember, f.l.Client.Primary)
	if revoked || !errors.Is(err, context.Canceled) {
		t.Errorf("CheckRevoked, cancelled: revoked %v, err %v", revoked, err)
	}
}
