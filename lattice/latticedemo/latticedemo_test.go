package latticedemo_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

func standIn(t *testing.T, region lattice.Region) (*latticedemo.Server, *lattice.Client) {
	t.Helper()
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	c, err := lattice.New(lattice.Options{Region: region, RegionURLs: srv.RegionURLs(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c.Backoff = 10 * time.Millisecond
	return srv, c
}

func TestDemoKeysKeepTheirBehaviour(t *testing.T) {
	_, c := standIn(t, lattice.US)
	for key, want := range map[string]lattice.Kind{
		latticedemo.KeyAdmin: 0, latticedemo.KeyMember: 0, latticedemo.KeyRotated: 0, latticedemo.KeySCIMOff: 0,
		latticedemo.KeySCIMHang: 0, latticedemo.KeyFlaky: 0, latticedemo.KeyRateLimited: 0,
		latticedemo.KeyRevoked: lattice.Rejected, latticedemo.KeyForbidden: lattice.Forbidden,
		latticedemo.KeyLongWait: lattice.RateLimited,
	} {
		if k, _, err := lattice.NormalizeKey(key); err != nil || k != key {
			t.Errorf("%s is not a key as NormalizeKey sees it: %v", key, err)
		}
		id, err := c.Verify(context.Background(), key)
		if lattice.KindOf(err) != want {
			t.Errorf("%s: %v", key, err)
		}
		if err == nil && (id.SwitchedRegion || id.Endpoint.Region != lattice.US) {
			t.Errorf("%s: answered from %+v", key, id)
		}
	}
}

func TestEMEAKeyWorksOnlyOnTheEMEAHost(t *testing.T) {
	srv, us := standIn(t, lattice.US)

	// Chosen region US: rejected there, accepted in EMEA.
	id, err := us.Verify(context.Background(), latticedemo.KeyEMEA)
	if err != nil || !id.SwitchedRegion || id.Endpoint.Region != lattice.EMEA || id.User.Email != latticedemo.Marie.Email {
		t.Fatalf("%+v, %v", id, err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Region != lattice.US || reqs[0].Authorized || reqs[1].Region != lattice.EMEA || !reqs[1].Authorized {
		t.Errorf("requests %+v", reqs)
	}

	// Pinned to the US host: rejected, as Lattice does with a key of the other region.
	pinned, _ := lattice.New(lattice.Options{APIURL: srv.URL})
	if _, err := pinned.Verify(context.Background(), latticedemo.KeyEMEA); lattice.KindOf(err) != lattice.Rejected {
		t.Errorf("pinned to US: %v", err)
	}

	// And the other way round: a US key with EMEA chosen.
	_, emea := standIn(t, lattice.EMEA)
	if id, err := emea.Verify(context.Background(), latticedemo.KeyAdmin); err != nil || !id.SwitchedRegion || id.Endpoint.Region != lattice.US {
		t.Errorf("US key, EMEA chosen: %+v, %v", id, err)
	}

	srv.AddEMEA("demo-added-emea-key-9999", latticedemo.Ada)
	if id, err := us.Verify(context.Background(), "demo-added-emea-key-9999"); err != nil || id.Endpoint.Region != lattice.EMEA {
		t.Errorf("AddEMEA: %+v, %v", id, err)
	}
}

func TestHangingSCIM(t *testing.T) {
	_, c := standIn(t, lattice.US)
	c.SCIMBudget = 200 * time.Millisecond
	id, err := c.Verify(context.Background(), latticedemo.KeySCIMHang)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.CheckSCIM(context.Background(), latticedemo.KeySCIMHang, id.Endpoint)
	var e *lattice.Error
	if !errors.As(err, &e) || !e.TimedOut() || time.Since(start) > 2*time.Second {
		t.Errorf("after %v: %v", time.Since(start), err)
	}
	if s := err.Error(); strings.Contains(s, latticedemo.KeySCIMHang) {
		t.Errorf("the key in %q", s)
	}
}

// Close must not wait for a request that hangs: the demo closes the
// stand-in while a check may still be running.
func TestCloseEndsHangingRequests(t *testing.T) {
	srv := latticedemo.New()
	c, _ := lattice.New(lattice.Options{APIURL: srv.URL})
	done := make(chan error, 1)
	go func() {
		_, err := c.CheckSCIM(context.Background(), latticedemo.KeySCIMHang, c.Primary)
		done <- err
	}()
	for len(srv.Requests()) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	srv.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v", d)
	}
	select {
	case err := <-done:
		if lattice.KindOf(err) != lattice.Unreachable {
			t.Errorf("a closed stand-in answered: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the check still hangs after Close")
	}
}

func TestLongRetryAfter(t *testing.T) {
	srv, c := standIn(t, lattice.US)
	start := time.Now()
	_, err := c.Verify(context.Background(), latticedemo.KeyLongWait)
	var e *lattice.Error
	if !errors.As(err, &e) || e.Kind != lattice.RateLimited || e.RetryAfter != latticedemo.LongRetryAfter {
		t.Fatalf("err = %v", err)
	}
	if n := len(srv.Requests()); n != 1 || time.Since(start) > time.Second {
		t.Errorf("%d requests over %v: a long wait is reported, not waited out", n, time.Since(start))
	}
	if s := err.Error(); !strings.Contains(s, "asked to wait 2 min") {
		t.Errorf("said as %q", s)
	}
}
