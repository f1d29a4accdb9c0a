package lattice

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
)

// TestA429SaysWhenToTryAgainOnlyWhenLatticeDid: a 429 with Retry-After
// says when the wait ends; one without has no such time, so no face shows
// a countdown Lattice never asked for.
func TestA429SaysWhenToTryAgainOnlyWhenLatticeDid(t *testing.T) {
	at := time.Unix(1_800_000_000, 0)
	ep := Endpoint{URL: "https://api.latticehq.com"}
	err := statusError(ep, apihttp.Answer{Status: http.StatusTooManyRequests, At: at, RetryAfter: 30 * time.Second})
	if e := (*Error)(nil); !errors.As(err, &e) || e.Kind != RateLimited || !e.RetryAt.Equal(at.Add(30*time.Second)) {
		t.Errorf("with Retry-After: %#v", err)
	}
	err = statusError(ep, apihttp.Answer{Status: http.StatusTooManyRequests, At: at})
	if e := (*Error)(nil); !errors.As(err, &e) || e.Kind != RateLimited || !e.RetryAt.IsZero() {
		t.Errorf("without Retry-After: %#v", err)
	}
}

// TestAnUnexpectedAnswerNamesItsStatusOnlyWhenThereWasOne: the short error
// line gives the HTTP status when an answer came.
func TestAnUnexpectedAnswerNamesItsStatusOnlyWhenThereWasOne(t *testing.T) {
	if s := (&Error{Kind: Unexpected, Host: "h", Status: 200}).Error(); !strings.HasPrefix(s, "unexpected answer from h (200): ") {
		t.Errorf("with a status: %q", s)
	}
	if s := (&Error{Kind: Unexpected, Host: "h"}).Error(); !strings.HasPrefix(s, "unexpected answer from h: ") {
		t.Errorf("without: %q", s)
	}
}
