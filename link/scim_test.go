package link

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
)

// TestSCIMIsAskedBesideTheIdentityCheck: Lattice's /v1/me answers only
// once the SCIM request has arrived, which it does only when both are
// asked at once. Asked one after the other, /v1/me gives up and the test
// fails.
func TestSCIMIsAskedBesideTheIdentityCheck(t *testing.T) {
	scimAsked := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/scim/"):
			once.Do(func() { close(scimAsked) })
			w.Header().Set("Content-Type", "application/scim+json")
			_, _ = w.Write([]byte(`{"Resources":[]}`))
		case r.URL.Path == "/v1/me":
			select {
			case <-scimAsked:
			case <-time.After(5 * time.Second): // the test's failure, not its timing
				http.Error(w, "SCIM was not asked alongside", http.StatusGatewayTimeout)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"1","name":"Grace Hopper","email":"grace@example.com","isAdmin":true}`))
		}
	}))
	t.Cleanup(srv.Close)
	client, err := lattice.New(lattice.Options{APIURL: srv.URL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	l := New(Config{Profile: "default", Client: client, Folder: config.NewMemoryFolder(),
		OpenStore: func() (config.Store, error) { return config.NewMemory(), nil }})
	var stages []Stage
	ctx := WithStageHook(context.Background(), func(s Stage) { stages = append(stages, s) })
	c, err := l.Check(ctx, "abc-DEF_123.xyz-7f3c", true)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if c.SCIM == nil || !c.SCIM.Enabled {
		t.Errorf("SCIM: %+v %v", c.SCIM, c.SCIMErr)
	}
	if len(stages) != 1 || stages[0] != StageSCIM {
		t.Errorf("stages said: %v, want the wait for SCIM", stages)
	}
}
