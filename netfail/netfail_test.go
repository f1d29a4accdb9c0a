package netfail

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "  7 ": 7 * time.Second, "-3": 0, "99999": time.Hour, "soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Minute).Format(http.TimeFormat):     0,
	} {
		if got := RetryAfter(v, now, time.Hour); got != want {
			t.Errorf("%q: %v, want %v", v, got, want)
		}
	}
}

func TestRootAndTimeout(t *testing.T) {
	inner := context.DeadlineExceeded
	err := fmt.Errorf("a: %w", fmt.Errorf("b: %w", inner))
	if Root(err) != inner || !Timeout(err) || Timeout(errors.New("x")) || TLS(errors.New("x")) {
		t.Error("classification")
	}
	if !TLS(errors.New("remote error: tls: handshake failure")) {
		t.Error("a TLS failure was not seen")
	}
}
