package link

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// confirmed rotates old to key, saying yes when the rotation waits for it.
func confirmed(t *testing.T, l *Link, key, old string) Connected {
	t.Helper()
	res, err := l.Connect(context.Background(), key, old, false)
	if p, ok := AsPending(err); ok {
		res, err = l.Confirm(context.Background(), p, key, old)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Rotating Grace's admin key to Ada's, who is no admin, stores nothing
// until the user says yes: the admin key stays stored and remembered as it
// was, and link says who owns each key.
func TestARotationToAnotherPersonsKeyWaitsForAYes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	before, _, _ := f.l.Remembered()
	_, err := f.l.Connect(ctx, latticedemo.KeyMember, latticedemo.KeyAdmin, false)
	p, ok := AsPending(err)
	if !ok {
		t.Fatalf("the rotation to Ada's key was not held back: %v", err)
	}
	if k := f.stored(t); k != latticedemo.KeyAdmin {
		t.Errorf("stored before the yes: %q", k)
	}
	if after, _, _ := f.l.Remembered(); after.Fingerprint != before.Fingerprint || len(after.Rotations) != 0 ||
		after.Owner != before.Owner {
		t.Errorf("the record changed before the yes: %+v", after)
	}
	if p.Fingerprint != "••••2b9e" || p.OldPrint != "••••7f3c" || !p.Shift.OtherPerson() || !p.Shift.LosesAdmin() {
		t.Errorf("pending %+v", p)
	}
	facts := p.Facts(false)
	if len(facts) != 2 || facts[0].Label != "Stored" ||
		facts[0].Value != "••••7f3c  Grace Hopper <grace@example.com>, an admin" ||
		facts[1].Value != "••••2b9e  Ada Lovelace <ada@example.com>, not an admin" {
		t.Errorf("facts %+v", facts)
	}
	if short := p.Facts(true); short[0].Value != "Grace Hopper, an admin" || short[1].Value != "Ada Lovelace, not an admin" {
		t.Errorf("short facts %+v", short)
	}
	if h := p.Headline(); h != "Lattice accepted the new key, but it is another person's key, and not an admin's." {
		t.Errorf("headline %q", h)
	}
	if w := p.Why(); w != "It is another person's key, and not an admin's." {
		t.Errorf("why %q", w)
	}
	if !strings.Contains(p.KeptWords(), "Nothing was changed: ••••7f3c stays stored") {
		t.Errorf("kept: %q", p.KeptWords())
	}
	if msg := f.l.Explain(err, Typed, false); !strings.Contains(msg, "so it was not stored: ••••7f3c stays stored") || strings.Contains(msg, latticedemo.KeyMember) {
		t.Errorf("explained as %q", msg)
	}

	res, err := f.l.Confirm(ctx, p, latticedemo.KeyMember, latticedemo.KeyAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if k := f.stored(t); k != latticedemo.KeyMember {
		t.Errorf("stored after the yes: %q", k)
	}
	if !res.Rotated() || res.Old != latticedemo.KeyAdmin || !res.OwnerChanged() || res.Before.Owner.Name != "Grace Hopper" {
		t.Errorf("confirmed %+v", res)
	}
	if after, _, _ := f.l.Remembered(); len(after.Rotations) != 1 || after.Rotations[0].From != "••••7f3c" {
		t.Errorf("rotation not recorded: %+v", after.Rotations)
	}
}

// A yes given after another run replaced the stored key stores nothing:
// Confirm reads the store again under the lock.
func TestConfirmStoresNothingWhenTheStoredKeyChangedMeanwhile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	_, err := f.l.Connect(ctx, latticedemo.KeyMember, latticedemo.KeyAdmin, false)
	p, ok := AsPending(err)
	if !ok {
		t.Fatalf("not held: %v", err)
	}
	other := New(Config{Profile: "acme", Client: f.l.Client, Folder: f.folder,
		OpenStore: func() (config.Store, error) { return f.store, nil }})
	if _, err := other.Connect(ctx, latticedemo.KeyRotated, latticedemo.KeyAdmin, false); err != nil { // Grace's own: no question
		t.Fatal(err)
	}
	if _, err := f.l.Confirm(ctx, p, latticedemo.KeyMember, latticedemo.KeyAdmin); !errors.Is(err, config.ErrReplaced) {
		t.Errorf("confirm after another rotation: %v", err)
	}
	if k := f.stored(t); k != latticedemo.KeyRotated {
		t.Errorf("stored %q", k)
	}
	if _, err := f.l.Confirm(ctx, p, latticedemo.KeyRevoked, latticedemo.KeyRotated); err == nil {
		t.Error("Confirm stored keys the rotation did not check")
	}
}

// Grace's own second admin key replaces her first at once: no question.
func TestARotationToTheSameAdminsKeyIsNotHeld(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.Connect(ctx, latticedemo.KeyRotated, latticedemo.KeyAdmin, false); err != nil {
		t.Fatal(err)
	}
	if k := f.stored(t); k != latticedemo.KeyRotated {
		t.Errorf("stored %q", k)
	}
}

// Which shifts wait for a yes: another person, or the same person who is
// no longer an admin; not one who became an admin, nor an owner unknown.
func TestWhichOwnerShiftsNeedAYes(t *testing.T) {
	grace := config.Owner{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	graceUser := lattice.User{Name: "Grace Hopper", Email: "GRACE@example.com", IsAdmin: true}
	member := graceUser
	member.IsAdmin = false
	ada := lattice.User{Name: "Ada Lovelace", Email: "ada@example.com", IsAdmin: true}
	notAdmin := grace
	notAdmin.IsAdmin = false
	cases := []struct {
		name  string
		shift OwnerShift
		want  bool
	}{
		{"same admin", OwnerShift{grace, graceUser}, false},
		{"no longer an admin", OwnerShift{grace, member}, true},
		{"an admin now", OwnerShift{notAdmin, graceUser}, false},
		{"another admin", OwnerShift{grace, ada}, true},
		{"owner not remembered", OwnerShift{config.Owner{}, member}, false},
		{"names only", OwnerShift{config.Owner{Name: "Grace Hopper"}, lattice.User{Name: "Ada Lovelace"}}, true},
	}
	for _, c := range cases {
		if got := c.shift.NeedsYes(); got != c.want {
			t.Errorf("%s: NeedsYes = %v", c.name, got)
		}
	}
	p := Pending{Shift: OwnerShift{grace, member}}
	if !strings.Contains(p.Headline(), "no longer an admin") {
		t.Errorf("headline %q", p.Headline())
	}
}

// A hand-off that keeps a copy (--keep) hands the key to the app, but its
// copy does not replace another person's key here: no hand-off asks.
func TestAHandOffsCopyDoesNotReplaceAnotherPersonsKey(t *testing.T) {
	f := newHandOffFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	h, err := f.l.HandOff(ctx, f.client(t, f.ns.NewSession()), latticedemo.KeyMember, true, latticedemo.KeyAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if f.stored(t) != latticedemo.KeyAdmin || h.Kept != nil {
		t.Errorf("the copy replaced Grace's key: stored %s", lattice.Fingerprint(f.stored(t)))
	}
	if conns := f.ns.Connections(); len(conns) != 1 || conns[0].APIKey != latticedemo.KeyMember {
		t.Errorf("the key did not go to the app: %+v", conns)
	}
	if w := h.KeptWords(); !strings.Contains(w, "no copy was stored here: it is another person's key") ||
		!strings.Contains(w, "••••7f3c stays stored") {
		t.Errorf("kept words %q", w)
	}
	// Grace's own second key is kept as asked.
	h, err = f.l.HandOff(ctx, f.client(t, f.ns.NewSession()), latticedemo.KeyRotated, true, latticedemo.KeyAdmin)
	if err != nil || h.Kept == nil || f.stored(t) != latticedemo.KeyRotated {
		t.Errorf("Grace's own key: %+v %v", h, err)
	}
}
