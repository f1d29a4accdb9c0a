package lattice

import (
	"fmt"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
)

// Kind says what went wrong when talking to Lattice.
type Kind int

const (
	Rejected    Kind = iota + 1 // 401: the key is wrong, revoked, or for the other region
	Forbidden                   // 403: the key works, but its owner may not do this
	RateLimited                 // 429, still after waiting as asked, or asked to wait too long
	ServerError                 // 5xx
	Unreachable                 // DNS, connect, TLS, timeout
	Unexpected                  // an answer that is not what Lattice sends
)

// Error is every failure of the client, as facts a face words (link
// explains it). Its own text, for logs and wrapped errors, never contains
// the key or anything Lattice sent back except the status code and a
// cleaned content type.
type Error struct {
	Kind       Kind
	Host       string        // the host that was asked
	Status     int           // the HTTP status, when there was an answer
	RetryAfter time.Duration // for RateLimited: how long Lattice asked to wait
	RetryAt    time.Time     // for RateLimited: when that wait ends; zero when Lattice did not say
	Timeout    time.Duration // for Unreachable: set when Lattice did not answer within this long
	// BothRegions is set on Rejected when the key was tried in both
	// regions, so it is not a region mix-up.
	BothRegions bool
	// Cause is what failed for Unreachable (and CauseNotHTTP for an
	// Unexpected answer that was not HTTP).
	Cause  apihttp.Cause
	Name   string // for CauseDNS: the name that could not be looked up, cleaned
	Detail string // for Unexpected, and Unreachable of CauseOther: what was wrong, cleaned
	Err    error  // the cause, for errors.Is; never shown raw
}

// FailureKind is the Kind, for apihttp.KindOf.
func (e *Error) FailureKind() Kind { return e.Kind }

// NotFound reports a 404: no Lattice API at that address.
func (e *Error) NotFound() bool { return e.Kind == Unexpected && e.Status == 404 }

// Clause is what went wrong, as a clause for a sentence about the failure
// ("the connection was refused", "no answer within 20 s").
func (e *Error) Clause() string {
	switch e.Cause {
	case apihttp.CauseTimeout:
		return "no answer within " + apihttp.Within(e.Timeout)
	}
	if clause := e.Cause.Clause("Lattice", e.Name); clause != "" {
		return clause
	}
	if e.Detail == "" {
		return "the request failed"
	}
	return e.Detail
}

// TimedOut reports whether Lattice was reached (or tried) but gave no
// answer in time, as opposed to not being reachable at all.
func (e *Error) TimedOut() bool { return e.Kind == Unreachable && e.Timeout > 0 }

func (e *Error) Error() string {
	switch e.Kind {
	case Rejected:
		return "Lattice rejected the key (401)"
	case Forbidden:
		return "Lattice accepted the key but refused this request (403)"
	case RateLimited:
		if e.RetryAfter > 0 {
			return "Lattice is limiting requests (429); it asked to wait " + apihttp.HumanDuration(e.RetryAfter)
		}
		return "Lattice is limiting requests (429)"
	case ServerError:
		return fmt.Sprintf("Lattice answered with a server error (%d)", e.Status)
	case Unreachable:
		if e.TimedOut() {
			return fmt.Sprintf("%s did not answer within %s", e.Host, apihttp.Within(e.Timeout))
		}
		return fmt.Sprintf("could not reach %s: %s", e.Host, e.Clause())
	default:
		if e.Status != 0 {
			return fmt.Sprintf("unexpected answer from %s (%d): %s", e.Host, e.Status, e.Clause())
		}
		return fmt.Sprintf("unexpected answer from %s: %s", e.Host, e.Clause())
	}
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of a client error, or 0 for any other error.
func KindOf(err error) Kind { return apihttp.KindOf[Kind](err) }
