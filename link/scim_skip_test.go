package link

import (
	"context"
	"errors"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// Walk 2 F7: a user who does not want to wait for a SCIM API that does not
// answer skips it, and the key Lattice accepted is connected, SCIM not
// checked; before, the only way was to cancel, which threw the key away
// on screen (and stored it behind the screen's back).
func TestASkippedSCIMConnectsTheKey(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	client, err := lattice.New(lattice.Options{APIURL: srv.URL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	store := config.NewMemory()
	l := New(Config{Profile: "default", Client: client, Folder: config.NewMemoryFolder(),
		OpenStore: func() (config.Store, error) { return store, nil }})
	skip := make(chan struct{})
	ctx := WithStageHook(WithSCIMSkip(context.Background(), skip), func(s Stage) {
		if s == StageSCIM { // Lattice accepted the key; its SCIM API hangs
			close(skip)
		}
	})
	c, err := l.Connect(ctx, latticedemo.KeySCIMHang, "", true)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	if !errors.Is(c.SCIMErr, ErrSCIMSkipped) || c.SCIM != nil {
		t.Errorf("SCIM %+v, error %v", c.SCIM, c.SCIMErr)
	}
	if got, _ := store.Get("default"); got != latticedemo.KeySCIMHang {
		t.Errorf("stored %q", got)
	}
	if words := (&Link{}).ExplainSCIM(c.SCIMErr); words == "" {
		t.Error("a skipped SCIM is not worded")
	}
}
