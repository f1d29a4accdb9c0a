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
	f := newFixtureAt(t, srv, front.URL)

	if _, err := f.l.Connect(ctx, latticedemo.KeyAdmin, "", false); !errors.Is(err, context.Canceled) {
		t.Fatalf("Connect after a stop: %v, want context.Canceled", err)
	}
	if k := f.stored(t); k != "" {
		t.Fatalf("stored %q after a stop", k)
	}
	if !ctx.stopped.Load() {
		t.Fatal("Lattice was never asked")
	}
}
