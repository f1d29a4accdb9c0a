package link

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/steps"
)

// regionFixture is a Link whose client falls back between the stand-in's
// two regions, as with Lattice.
func regionFixture(t *testing.T, region lattice.Region) *fixture {
	t.Helper()
	f := newFixture(t)
	client, err := lattice.New(lattice.Options{Region: region, RegionURLs: f.srv.RegionURLs(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.l.Client = client
	return f
}

// After a crash between the key write and the state write, the next run
// repairs the record once: age unknown, the rotation recorded as cut short.
func TestARecordThatNoLongerDescribesTheKeyIsRepaired(t *testing.T) {
	f := newFixture(t)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	// The crash: the new key is in the store, state.json still has the old.
	if err := f.store.Set("acme", latticedemo.KeyRotated); err != nil {
		t.Fatal(err)
	}
	found, err := f.l.Lookup()
	if err != nil || found.Key != latticedemo.KeyRotated {
		t.Fatalf("Lookup = %+v, %v", found, err)
	}
	r := found.Repaired
	if r == nil || !r.Interrupted || r.Was != "••••7f3c" || r.Now != "••••a1b2" ||
		!strings.Contains(r.Words(), "revoke it in Lattice") {
		t.Fatalf("Repaired = %+v", r)
	}
	p, _, _ := f.l.Remembered()
	if p.Fingerprint != "••••a1b2" || !p.CreatedAt.IsZero() || p.Owner != (config.Owner{}) ||
		LastRotationInterrupted(p) != "••••7f3c" {
		t.Errorf("after the repair: %+v", p)
	}
	// Said once: a later run finds the record right.
	again := New(Config{Profile: "acme", Client: f.l.Client, Folder: f.folder,
		OpenStore: func() (config.Store, error) { return f.store, nil }})
	if found, _ := again.Lookup(); found.Repaired != nil {
		t.Errorf("repaired twice: %+v", found.Repaired)
	}
	// The owner comes from the next live check.
	if st := again.CheckStatus(context.Background(), latticedemo.KeyRotated, false, false); st.Remembered.Owner.Name != "Grace Hopper" {
		t.Errorf("owner after the check: %+v", st.Remembered.Owner)
	}
	// A forget cut short: the record is cleared.
	if err := f.store.Delete("acme"); err != nil {
		t.Fatal(err)
	}
	third := New(Config{Profile: "acme", Client: f.l.Client, Folder: f.folder,
		OpenStore: func() (config.Store, error) { return f.store, nil }})
	if found, _ := third.Lookup(); found.Repaired == nil || found.Repaired.Now != "" {
		t.Errorf("forget cut short: %+v", found.Repaired)
	}
}

// The revoked check asks the old key's own region: the other region
// rejects every key, which would read as "revoked" while it still works.
func TestCheckRevokedAsksTheOldKeysRegion(t *testing.T) {
	f := regionFixture(t, lattice.EMEA)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyEMEA, "", false); err != nil {
		t.Fatal(err)
	}
	res := confirmed(t, f.l, latticedemo.KeyAdmin, latticedemo.KeyEMEA) // Marie's key for Grace's
	if res.Identity.Endpoint.Region != lattice.US {
		t.Fatalf("the new key is in %s", res.Identity.Endpoint.Region)
	}
	revoked, err := f.l.CheckRevoked(context.Background(), res.Old, res.Identity.Endpoint)
	if err != nil || revoked {
		t.Errorf("the EMEA key still works, but CheckRevoked = %v, %v", revoked, err)
	}
	f.srv.Revoke(latticedemo.KeyEMEA)
	if revoked, err := f.l.CheckRevoked(context.Background(), res.Old, res.Identity.Endpoint); err != nil || !revoked {
		t.Errorf("after revoking: %v, %v", revoked, err)
	}
	// A key whose region is not known is asked in both.
	if revoked, err := f.l.CheckRevoked(context.Background(), latticedemo.KeyMember, res.Identity.Endpoint); err != nil || revoked {
		t.Errorf("unknown region, working key: %v, %v", revoked, err)
	}
}

// A check made with LATTICE_API_KEY says nothing about the stored key.
func TestAStatusOfTheEnvironmentKeyIsNotRemembered(t *testing.T) {
	f := newFixture(t)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	before, _, _ := f.l.Remembered()
	time.Sleep(time.Millisecond) // so that a new check time would differ
	f.l.CheckStatus(context.Background(), latticedemo.KeyAdmin, true, false)
	after, _, _ := f.l.Remembered()
	if !after.CheckedAt.Equal(before.CheckedAt) || after.CheckResult != before.CheckResult || after.Owner != before.Owner {
		t.Errorf("a check of LATTICE_API_KEY changed the record: %+v -> %+v", before, after)
	}
}

// Rotations say when the key's owner or admin flag changed, and when the
// old key is already rejected there is nothing left to revoke.
func TestRotationSaysWhatChanged(t *testing.T) {
	f := newFixture(t)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyMember, "", false); err != nil {
		t.Fatal(err)
	}
	res := confirmed(t, f.l, latticedemo.KeyAdmin, latticedemo.KeyMember)
	if !res.OwnerChanged() || !res.AdminChanged() || !strings.Contains(res.OwnerChange(), "Ada Lovelace") ||
		!strings.Contains(res.OwnerChange(), "Grace Hopper") || res.OldRejected() {
		t.Errorf("owner change: %q %v %v", res.OwnerChange(), res.OwnerChanged(), res.OldRejected())
	}
	if res.State == nil || res.State.Profile("acme").Fingerprint != "••••7f3c" {
		t.Errorf("Connected.State = %+v", res.State)
	}
	// The same owner: nothing said. The old key found rejected: nothing to revoke.
	f.srv.Revoke(latticedemo.KeyAdmin)
	f.l.CheckStatus(context.Background(), latticedemo.KeyAdmin, false, false)
	res, err := f.l.Connect(context.Background(), latticedemo.KeyRotated, latticedemo.KeyAdmin, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.OwnerChange() != "" || !res.OldRejected() || !strings.Contains(res.RevokeWords("••••7f3c"), "nothing left to revoke") {
		t.Errorf("same owner, old rejected: %q %v %q", res.OwnerChange(), res.OldRejected(), res.RevokeWords("••••7f3c"))
	}
}

// Connecting the key already stored is refused by Connect (the home
// screen's rotation must not swap a key for itself).
func TestTheSameKeyIsNotARotation(t *testing.T) {
	f := newFixture(t)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyAdmin, latticedemo.KeyAdmin, false); !errors.Is(err, ErrSameKey) {
		t.Errorf("err = %v", err)
	}
}

// Error text from anywhere is cleaned before a face shows it.
func TestExplainCleansWhatItDoesNotKnow(t *testing.T) {
	f := newFixture(t)
	for _, err := range []error{errors.New("boom\x1b[2J\x1b]0;owned\a"), &NotStoredError{errors.New("disk\x1b[31m")}} {
		if got := f.l.Explain(err, Typed, true); strings.ContainsAny(got, "\x1b\a") {
			t.Errorf("Explain = %q", got)
		}
	}
}

// A stored "key" with escape sequences is neither shown nor sent.
func TestADirtyStoredKeyIsRefused(t *testing.T) {
	f := newFixture(t)
	if err := f.store.Set("acme", "0123456789abcdef\x1b[2J"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.Stored(); !errors.Is(err, ErrDirtyKey) {
		t.Errorf("err = %v", err)
	}
}

// Where the user got to in the guide is remembered, and a connect clears it.
func TestProgressIsRemembered(t *testing.T) {
	f := newFixture(t)
	st, err := f.l.SaveProgress(Progress{Step: steps.SCIM, Approved: true})
	if err != nil || st.Profile("acme").Progress.Step != "scim" {
		t.Fatalf("SaveProgress: %v %+v", err, st)
	}
	p, _, _ := f.l.Remembered()
	if pr, ok := Resume(p); !ok || pr.Step != steps.SCIM || !pr.Approved {
		t.Errorf("Resume = %+v, %v", pr, ok)
	}
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	p, _, _ = f.l.Remembered()
	if _, ok := Resume(p); ok {
		t.Error("the guide's progress outlived the connect")
	}
}

// The profiles holding a key are found, for a face to name.
func TestOthersWithKeys(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"work", "acme", "zeta"} {
		if err := f.store.Set(p, latticedemo.KeyAdmin); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.folder.Update("old", func(p *config.Profile) { p.Region = "us" }); err != nil {
		t.Fatal(err)
	}
	got, err := f.l.OthersWithKeys()
	if err != nil || strings.Join(got, ",") != "work,zeta" {
		t.Errorf("OthersWithKeys = %v, %v", got, err)
	}
}

// A hand-off with --keep of the key already stored leaves it as it was
// stored: not stored again, not made younger.
func TestHandOffKeepOfTheStoredKeyChangesNothing(t *testing.T) {
	f := newHandOffFixture(t)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	old := time.Now().UTC().Add(-100 * 24 * time.Hour)
	if _, err := f.folder.Update("acme", func(p *config.Profile) { p.CreatedAt = old }); err != nil {
		t.Fatal(err)
	}
	h, err := f.l.HandOff(context.Background(), f.client(t, f.ns.NewSession()), latticedemo.KeyAdmin, true, latticedemo.KeyAdmin)
	if err != nil {
		t.Fatal(err)
	}
	p, _, _ := f.l.Remembered()
	if h.Kept != nil || !p.CreatedAt.Equal(old) {
		t.Errorf("kept %+v; created %v, want %v", h.Kept, p.CreatedAt, old)
	}
}

// The hand-off record written to state.json keeps only the newest
// config.MaxHandoffs, on disk too (not only once read back).
func TestTheHandOffRecordStaysWithinItsCap(t *testing.T) {
	f := newFixture(t)
	for i := range config.MaxHandoffs + 3 {
		h := HandedOff{Connection: nango.Connection{ID: fmt.Sprintf("conn-%02d", i), ProviderConfigKey: "lattice",
			Host: "api.nango.dev", At: time.Now()}, Fingerprint: "••••7f3c"}
		if err := f.l.recordHandOff(h); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(f.folder.Path, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Profiles map[string]struct {
			Handoffs []config.Handoff `json:"handoffs"`
		} `json:"profiles"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	list := st.Profiles["acme"].Handoffs
	if len(list) != config.MaxHandoffs || list[0].ConnectionID != "conn-03" {
		t.Errorf("state.json holds %d hand-offs, the first %+v", len(list), list[0])
	}
}

// lockedKeyring is an OS keyring that is locked and stays so.
type lockedKeyring struct{}

var errLockedKeyring = errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")

func (lockedKeyring) Get(_, _ string) (string, error) { return "", errLockedKeyring }
func (lockedKeyring) Set(_, _, _ string) error        { return errLockedKeyring }
func (lockedKeyring) Delete(_, _ string) error        { return errLockedKeyring }

// A locked keyring while state.json describes a key (its hint edited to
// "file", say) is reported as locked, not as no key: a connect would put
// the new key in the file beside the old one in the keyring. Without a
// record, a locked keyring hides nothing, and auto may use the file.
func TestALockedKeyringIsNotNoKeyWhenAKeyIsRemembered(t *testing.T) {
	f := newFixture(t)
	store, err := config.OpenStore("auto", config.FileStore, f.folder, lockedKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	l := New(Config{Profile: "acme", Client: f.l.Client, Folder: f.folder,
		OpenStore: func() (config.Store, error) { return store, nil }})
	if found, err := l.Lookup(); err != nil || found.Key != "" {
		t.Fatalf("no record: %+v, %v", found, err)
	}
	if _, err := f.folder.Update("acme", func(p *config.Profile) { p.Fingerprint, p.Store = "••••7f3c", config.FileStore }); err != nil {
		t.Fatal(err)
	}
	_, err = l.Lookup()
	if p, ok := config.IsKeyring(err); !ok || p != config.KeyringLocked {
		t.Errorf("a remembered key, the keyring locked: %v", err)
	}
	if _, err := l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err == nil {
		t.Error("a connect stored a key beside the one the locked keyring may hold")
	}
}

// lockWatch is a store that notes whether the folder's lock was held
// whenever the key was read.
type lockWatch struct {
	config.Store
	folder   *config.Folder
	unlocked bool
}

func (w *lockWatch) Get(profile string) (string, error) {
	if unlock, err := w.folder.Lock(0); err == nil { // free: nobody holds it
		w.unlocked = true
		unlock()
	}
	return w.Store.Get(profile)
}

// TestHoldsNowReadsUnderTheLock: the check that the key a face showed is
// still stored and the read of it are one step, under the folder's lock;
// another key is reported as changed, with its record (issue 17 item 6).
func TestHoldsNowReadsUnderTheLock(t *testing.T) {
	folder := config.NewMemoryFolder()
	w := &lockWatch{Store: config.NewMemory(), folder: folder}
	l := New(Config{Profile: "acme", Folder: folder,
		OpenStore: func() (config.Store, error) { return w, nil }})
	if err := w.Set("acme", latticedemo.KeyRotated); err != nil {
		t.Fatal(err)
	}
	if _, err := folder.Update("acme", func(p *config.Profile) { p.Fingerprint = "••••a1b2" }); err != nil {
		t.Fatal(err)
	}
	same, err := l.HoldsNow(latticedemo.KeyRotated)
	if err != nil || same.Changed || same.Key != latticedemo.KeyRotated {
		t.Fatalf("the key shown is still stored: %+v, %v", same.Changed, err)
	}
	if w.unlocked {
		t.Error("the key was read while the folder's lock was free")
	}
	other, err := l.HoldsNow(latticedemo.KeyAdmin)
	if err != nil || !other.Changed || other.Key != latticedemo.KeyRotated || other.Remembered.Fingerprint != "••••a1b2" {
		t.Errorf("another key stored than the one shown: changed %v, record %q, %v", other.Changed, other.Remembered.Fingerprint, err)
	}
}
