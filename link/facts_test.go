package link

import (
	"context"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// TestOwnerAndAdminChangeCompareWhatWasRemembered: a rotation's new key is
// another owner's when the remembered email differs (in more than case), or,
// with an email missing on either side, the name; the admin flag counts only
// when an owner was remembered at all; a first connect changes nothing.
func TestOwnerAndAdminChangeCompareWhatWasRemembered(t *testing.T) {
	grace := lattice.User{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	rotation := func(before config.Owner, now lattice.User) Connected {
		c := Connected{Old: "the-old-key", Before: config.Profile{Owner: before}}
		c.Identity.User = now
		return c
	}
	first := Connected{}
	first.Identity.User = grace
	for _, c := range []struct {
		name         string
		c            Connected
		owner, admin bool
	}{
		{"the same owner", rotation(config.Owner{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}, grace), false, false},
		{"the email in another case", rotation(config.Owner{Name: "G. Hopper", Email: "GRACE@example.com", IsAdmin: true}, grace), false, false},
		{"another email", rotation(config.Owner{Name: "Grace Hopper", Email: "ada@example.com", IsAdmin: true}, grace), true, false},
		{"only an email remembered, another one", rotation(config.Owner{Email: "ada@example.com", IsAdmin: true}, grace), true, false},
		{"only a name remembered, another one", rotation(config.Owner{Name: "Ada Lovelace", IsAdmin: true}, grace), true, false},
		{"only a name remembered, the same", rotation(config.Owner{Name: "Grace Hopper", IsAdmin: true}, grace), false, false},
		{"no email from Lattice, the same name", rotation(config.Owner{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true},
			lattice.User{Name: "Grace Hopper", IsAdmin: true}), false, false},
		{"no longer an admin", rotation(config.Owner{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true},
			lattice.User{Name: "Grace Hopper", Email: "grace@example.com"}), false, true},
		{"only an email remembered, now an admin", rotation(config.Owner{Email: "grace@example.com"}, grace), false, true},
		{"only a name remembered, now an admin", rotation(config.Owner{Name: "Grace Hopper"}, grace), false, true},
		{"no owner remembered", rotation(config.Owner{}, grace), false, false},
		{"a first connect", first, false, false},
	} {
		if got := c.c.OwnerChanged(); got != c.owner {
			t.Errorf("%s: OwnerChanged() = %v", c.name, got)
		}
		if got := c.c.AdminChanged(); got != c.admin {
			t.Errorf("%s: AdminChanged() = %v", c.name, got)
		}
	}
}

// TestStoreWordsNameTheStore: the keyring by name, the file by its path
// without the note on how it is protected.
func TestStoreWordsNameTheStore(t *testing.T) {
	for _, c := range []struct {
		kind        config.StoreKind
		where, want string
	}{
		{config.KeyringStore, "the OS keyring (service lattice-link)", "the OS keyring"},
		{config.FileStore, "/home/grace/.config/lattice-link/credentials.json (mode 0600)", "/home/grace/.config/lattice-link/credentials.json"},
		{config.FileStore, "/home/grace/credentials.json", "/home/grace/credentials.json"},
	} {
		if got := storeWords(c.kind, c.where); got != c.want {
			t.Errorf("storeWords(%s, %q) = %q, want %q", c.kind, c.where, got, c.want)
		}
	}
}

// TestSCIMIsAskedAgainInTheKeysRegion: an EMEA key, tried first at the US
// host, gets its SCIM answer from the EMEA host, where it works, not the
// US host's refusal.
func TestSCIMIsAskedAgainInTheKeysRegion(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	client, err := lattice.New(lattice.Options{Region: lattice.US, RegionURLs: srv.RegionURLs(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	client.Backoff = 10 * time.Millisecond
	l := New(Config{Profile: "acme", Client: client, Folder: config.NewFolder(t.TempDir() + "/cfg")})
	c, err := l.Check(context.Background(), latticedemo.KeyEMEA, true)
	if err != nil || !c.Identity.SwitchedRegion {
		t.Fatalf("check: %+v %v", c.Identity, err)
	}
	if c.SCIMErr != nil || c.SCIM == nil || !c.SCIM.Enabled {
		t.Errorf("SCIM: %+v, error %v", c.SCIM, c.SCIMErr)
	}
}
