package link

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/steps"
)

// fixture is a Link against the stand-in, with a file store in a temp
// folder: the same path the commands take, with no terminal.
type fixture struct {
	srv    *latticedemo.Server
	l      *Link
	store  config.Store
	folder *config.Folder
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	return newFixtureAt(t, srv, srv.URL)
}

// newFixtureAt is newFixture with Lattice asked at apiURL (a server in
// front of srv, say).
func newFixtureAt(t *testing.T, srv *latticedemo.Server, apiURL string) *fixture {
	t.Helper()
	client, err := lattice.New(lattice.Options{APIURL: apiURL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	client.Backoff = 10 * time.Millisecond
	folder := config.NewFolder(t.TempDir() + "/cfg")
	store := config.NewFile(folder)
	l := New(Config{Profile: "acme", Client: client, Folder: folder,
		OpenStore: func() (config.Store, error) { return store, nil }})
	return &fixture{srv: srv, l: l, store: store, folder: folder}
}

func (f *fixture) stored(t *testing.T) string {
	t.Helper()
	k, err := f.l.Stored()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestConnectStoresOnlyWhatLatticeAccepts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyRevoked, "", false); lattice.KindOf(err) != lattice.Rejected {
		t.Fatalf("revoked key: %v", err)
	}
	if k := f.stored(t); k != "" {
		t.Fatal("a rejected key was stored")
	}
	res, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rotated() || res.SCIM == nil || !res.SCIM.Enabled || res.Identity.User.Name == "" {
		t.Errorf("result: %+v", res)
	}
	if k := f.stored(t); k != latticedemo.KeyAdmin {
		t.Errorf("stored %q", k)
	}
	p, _, _ := f.l.Remembered()
	if p.Fingerprint != "••••7f3c" || p.Store != "file" || p.CreatedAt.IsZero() {
		t.Errorf("remembered %+v", p)
	}
}

func TestRotateKeepsTheOldKeyInMemoryForTheRevocationCheck(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, latticedemo.KeyAdmin, false); !errors.Is(err, ErrSameKey) {
		t.Errorf("the same key again: %v", err)
	}
	res, err := f.l.Connect(ctx, latticedemo.KeyRotated, latticedemo.KeyAdmin, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Rotated() || res.Old != latticedemo.KeyAdmin {
		t.Fatalf("rotation: %+v", res.Old != "")
	}
	p, _, _ := f.l.Remembered()
	if len(p.Rotations) != 1 || p.Rotations[0].From != "••••7f3c" {
		t.Errorf("rotations %+v", p.Rotations)
	}
	if revoked, err := f.l.CheckRevoked(ctx, res.Old, res.Identity.Endpoint); err != nil || revoked {
		t.Errorf("before revoking: %v %v", revoked, err)
	}
	f.srv.Revoke(latticedemo.KeyAdmin)
	if revoked, err := f.l.CheckRevoked(ctx, res.Old, res.Identity.Endpoint); err != nil || !revoked {
		t.Errorf("after revoking: %v %v", revoked, err)
	}
}

func TestConnectIsACompareAndSwap(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	// This run believed no key was stored: another run stored one meanwhile.
	if _, err := f.l.Connect(ctx, latticedemo.KeyRotated, "", false); !errors.Is(err, config.ErrReplaced) {
		t.Fatalf("stale expectation: %v", err)
	}
	if k := f.stored(t); k != latticedemo.KeyAdmin {
		t.Errorf("stored %q", k)
	}
}

func TestForgetKeepsAnswersAndHistory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.SaveSubdomain("acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.Forget(latticedemo.KeyRotated); !errors.Is(err, config.ErrReplaced) {
		t.Errorf("forgetting a key that is not stored: %v", err)
	}
	res, err := f.l.Forget(latticedemo.KeyAdmin)
	if err != nil || res.Fingerprint != "••••7f3c" {
		t.Fatal(res, err)
	}
	if k := f.stored(t); k != "" {
		t.Error("still stored")
	}
	p, _, _ := f.l.Remembered()
	if p.Fingerprint != "" || p.Subdomain != "acme" {
		t.Errorf("remembered %+v", p)
	}
}

func TestStatusRemembersOnlyItsOwnFields(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	s := f.l.CheckStatus(ctx, latticedemo.KeyAdmin, false, false)
	if !s.Valid() || s.Word() != "valid" || s.Remembered.CheckResult != "valid" {
		t.Fatalf("status %+v", s)
	}
	// A rotation lands between the check and its record: the check of the
	// old key must not overwrite the new key's record.
	if _, err := f.l.Connect(ctx, latticedemo.KeyRotated, latticedemo.KeyAdmin, false); err != nil {
		t.Fatal(err)
	}
	f.srv.Revoke(latticedemo.KeyAdmin)
	s = f.l.CheckStatus(ctx, latticedemo.KeyAdmin, false, false)
	if s.Word() != "rejected" {
		t.Fatalf("status %s", s.Word())
	}
	p, _, _ := f.l.Remembered()
	if p.Fingerprint != "••••a1b2" || p.CheckResult != "valid" || len(p.Rotations) != 1 {
		t.Errorf("the old key's check changed the new key's record: %+v", p)
	}
	// LATTICE_API_KEY is never remembered.
	before, _, _ := f.l.Remembered()
	f.l.CheckStatus(ctx, latticedemo.KeyMember, true, false)
	after, _, _ := f.l.Remembered()
	if !before.CheckedAt.Equal(after.CheckedAt) || after.Owner != before.Owner {
		t.Error("a key from the environment was remembered")
	}
}

func TestStatusNeverChangesTheRememberedRegion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	f.l.CheckStatus(ctx, latticedemo.KeyAdmin, false, false)
	p, _, _ := f.l.Remembered()
	if p.Region != "us" {
		t.Errorf("region %q", p.Region)
	}
}

func TestRememberedAnswersSurviveConcurrentWriters(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(2)
		go func() { defer wg.Done(); _, _ = f.l.SaveSubdomain("acme") }()
		go func() { defer wg.Done(); _, _ = f.l.SaveCheckSCIM(i >= 0) }()
	}
	wg.Wait()
	if _, err := f.l.MarkRequested(time.Now()); err != nil {
		t.Fatal(err)
	}
	p, _, _ := f.l.Remembered()
	if p.Subdomain != "acme" || !p.CheckSCIM || p.AccessRequestedAt.IsZero() {
		t.Errorf("a write was lost: %+v", p)
	}
}

func TestAge(t *testing.T) {
	l := &Link{}
	now := time.Now()
	if d, due := l.Age(now.Add(-89*24*time.Hour), now); d != 89 || due {
		t.Errorf("89 days: %d %v", d, due)
	}
	if d, due := l.Age(now.Add(-90*24*time.Hour), now); d != 90 || !due {
		t.Errorf("90 days: %d %v", d, due)
	}
	l.RotateDays = 30
	if _, due := l.Age(now.Add(-31*24*time.Hour), now); !due {
		t.Error("LATTICE_LINK_ROTATE_DAYS=30 not honoured")
	}
	if _, due := l.Age(time.Time{}, now); due {
		t.Error("an unknown age is due")
	}
}

func TestForgetKeepsTheHandoffRecords(t *testing.T) {
	f := newFixture(t)
	if _, err := f.l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.folder.Update("acme", func(p *config.Profile) {
		p.Handoffs = append(p.Handoffs, config.Handoff{ConnectionID: "conn-1"})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.Forget(latticedemo.KeyAdmin); err != nil {
		t.Fatal(err)
	}
	if p, _, _ := f.l.Remembered(); len(p.Handoffs) != 1 {
		t.Errorf("forgetting the key dropped the hand-off records: %+v", p.Handoffs)
	}
}

func TestAConnectLinkIsNeverSentToLattice(t *testing.T) {
	f := newFixture(t)
	token := "nango_connect_session_" + strings.Repeat("ab", 32)
	for _, given := range []string{token, "https://connect.nango.dev/?session_token=" + token} {
		if _, err := f.l.Connect(context.Background(), given, "", false); !errors.Is(err, ErrConnectLink) {
			t.Errorf("%.30s…: %v", given, err)
		}
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("Lattice was asked %d times", n)
	}
}

// Every Save returns the state it wrote, so a face shows what is remembered
// rather than patching its own copy; the state holds what each wrote so far.
func TestSavesReturnTheStateTheyWrote(t *testing.T) {
	f := newFixture(t)
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	saves := []struct {
		name string
		save func() (*config.State, error)
		want func(config.Profile) bool
	}{
		{"SaveAnswers", func() (*config.State, error) { return f.l.SaveAnswers(steps.Answers{Company: "Acme"}) },
			func(p config.Profile) bool { return p.Answers.Company == "Acme" }},
		{"SaveSubdomain", func() (*config.State, error) { return f.l.SaveSubdomain("acme") },
			func(p config.Profile) bool { return p.Subdomain == "acme" && p.Answers.Company == "Acme" }},
		{"SaveCheckSCIM", func() (*config.State, error) { return f.l.SaveCheckSCIM(true) },
			func(p config.Profile) bool { return p.CheckSCIM && p.Subdomain == "acme" }},
		{"MarkRequested", func() (*config.State, error) { return f.l.MarkRequested(at) },
			func(p config.Profile) bool { return p.AccessRequestedAt.Equal(at) && p.CheckSCIM }},
		{"SaveProgress", func() (*config.State, error) { return f.l.SaveProgress(Progress{Step: steps.SCIM}) },
			func(p config.Profile) bool { return p.Progress.Step == "scim" && !p.AccessRequestedAt.IsZero() }},
	}
	for _, s := range saves {
		st, err := s.save()
		if err != nil || st == nil || !s.want(*st.Profile("acme")) {
			t.Fatalf("%s returned %v, %+v", s.name, err, st)
		}
		if p, _, _ := f.l.Remembered(); !s.want(p) {
			t.Fatalf("%s: state.json has %+v", s.name, p)
		}
	}
}
