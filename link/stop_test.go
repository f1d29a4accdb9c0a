package link

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// stoppedAfterAnswer is a run the user stops once Lattice has answered:
// from then on its Err says cancelled, while its Done never fires, so the
// answer itself is read whole. That is the moment between Lattice's yes
// and the store.
type stoppedAfterAnswer struct {
	context.Context
	stopped atomic.Bool
}

func (c *stoppedAfterAnswer) Err() error {
	if c.stopped.Load() {
		return context.Canceled
	}
	return nil
}

// A stop (esc, ctrl+c) that comes while Lattice answers is a stop: the key
// is not stored, so no face says "cancelled" over a key it kept.
func TestAStopWhileLatticeAnswersStoresNothing(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	ctx := &stoppedAfterAnswer{Context: context.Background()}
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxy.ServeHTTP(w, r)
		ctx.stopped.Store(true)
	}))
	t.Cleanup(front.Close)
	client, err := lattice.New(lattice.Options{APIURL: front.URL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	client.Backoff = 10 * time.Millisecond
	folder := config.NewFolder(t.TempDir() + "/cfg")
	store := config.NewFile(folder)
	l := New(Config{Profile: "acme", Client: client, Folder: folder,
		OpenStore: func() (config.Store, error) { return store, nil }})

	if _, err := l.Connect(ctx, latticedemo.KeyAdmin, "", false); !errors.Is(err, context.Canceled) {
		t.Fatalf("Connect after a stop: %v, want context.Canceled", err)
	}
	if k, err := l.Stored(); err != nil || k != "" {
		t.Fatalf("stored %q (%v) after a stop", k, err)
	}
	if !ctx.stopped.Load() {
		t.Fatal("Lattice was never asked")
	}
}
