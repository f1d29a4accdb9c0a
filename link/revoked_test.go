package link

import (
	"context"
	"slices"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
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

// After the run that rotated is over, nothing holds the old key, so the
// user's word that it is revoked is recorded (SaidRevoked): under the
// folder's lock, on state.json as it is then, for the keys named only: a
// rotation another run recorded meanwhile keeps its reminder.
func TestSaidRevokedStopsTheReminderForThoseKeysOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, step := range [][2]string{{latticedemo.KeyAdmin, ""}, {latticedemo.KeyRotated, latticedemo.KeyAdmin}} {
		if _, err := f.l.Connect(ctx, step[0], step[1], false); err != nil {
			t.Fatal(err)
		}
	}
	admin, rotated := lattice.Fingerprint(latticedemo.KeyAdmin), lattice.Fingerprint(latticedemo.KeyRotated)
	// Another run, which this one does not know of, rotates again.
	other := New(Config{Profile: f.l.Profile, Client: f.l.Client, Folder: f.folder,
		OpenStore: func() (config.Store, error) { return f.store, nil }})
	if _, err := other.Connect(ctx, latticedemo.KeySCIMOff, latticedemo.KeyRotated, false); err != nil {
		t.Fatal(err)
	}
	newest := lattice.Fingerprint(latticedemo.KeySCIMOff)
	p, err := f.l.SaidRevoked([]string{admin, newest})
	if err != nil {
		t.Fatal(err)
	}
	if got := Unrevoked(p); !slices.Equal(got, []string{rotated}) {
		t.Errorf("still to revoke, as written: %v, want only %s (the other run's rotation)", got, rotated)
	}
	if again, _, _ := f.l.Remembered(); !slices.Equal(Unrevoked(again), []string{rotated}) || again.Fingerprint != newest {
		t.Errorf("state.json: to revoke %v, stored %s", Unrevoked(again), again.Fingerprint)
	}
	if _, err := f.l.SaidRevoked(nil); err == nil {
		t.Error("no key: want an error")
	}
}

// A rotation cut short names the key it replaced until that key is known
// revoked: the user's word ends that reminder too (status printed it on).
func TestTheWordEndsTheCutShortRotationsReminder(t *testing.T) {
	f := newFixture(t)
	st, err := f.folder.Update(f.l.Profile, func(p *config.Profile) {
		p.Fingerprint = "••••a1b2"
		p.Rotations = []config.Rotation{{From: "••••7f3c", To: "••••a1b2", Interrupted: true}}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := LastRotationInterrupted(*st.Profile(f.l.Profile)); got != "••••7f3c" {
		t.Fatalf("before: %q", got)
	}
	p, err := f.l.SaidRevoked([]string{"••••7f3c"})
	if err != nil {
		t.Fatal(err)
	}
	if got := LastRotationInterrupted(p); got != "" {
		t.Errorf("after the word: %q, want none", got)
	}
}
