package lattice

import (
	"context"
	"errors"
	"testing"
)

// TestEndpointHostIsTheURLsHost: messages name an endpoint by its host;
// an address that does not parse is shown as it is.
func TestEndpointHostIsTheURLsHost(t *testing.T) {
	for url, host := range map[string]string{
		"https://api.latticehq.com/v1":   "api.latticehq.com",
		"http://127.0.0.1:8080/":         "127.0.0.1:8080",
		"http://[::1":                    "http://[::1",
		"https://api.emea.latticehq.com": "api.emea.latticehq.com",
	} {
		if got := (Endpoint{URL: url}).Host(); got != host {
			t.Errorf("Endpoint{%q}.Host() = %q, want %q", url, got, host)
		}
	}
}

// TestACancelledCheckIsCancelledNotUnreachable: a check the caller
// cancelled returns context.Canceled itself, so no face says Lattice could
// not be reached.
func TestACancelledCheckIsCancelledNotUnreachable(t *testing.T) {
	srv, _ := server(t, me)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := client(t, srv.URL).Verify(ctx, "a-key-of-some-length-0123")
	if !errors.Is(err, context.Canceled) || KindOf(err) != 0 {
		t.Errorf("Verify, cancelled: %#v (kind %v)", err, KindOf(err))
	}
}
