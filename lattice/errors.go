package lattice

import (
	"errors"
	"fmt"
	"time"
)

// Kind says what went wrong when talking to Lattice.
type Kind int

const (
	Rejected    Kind = iota + 1 // 401: the key is wrong, revoked, or for the other region
	Forbidden                   // 403: the key works, but its owner may not do this
	RateLimited                 // 429, still after waiting as asked
	ServerError                 // 5xx
	Unreachable                 // DNS, connect, TLS, timeout
	Unexpected                  // an answer that is not what Lattice sends
)

// Error is every failure of the client. Its text never contains the key or
// anything Lattice sent back except the status code and a cleaned content type.
type Error struct {
	Kind       Kind
	Host       string        // the host that was asked
	Status     int           // the HTTP status, when there was an answer
	RetryAfter time.Duration // for RateLimited: how long Lattice asked to wait
	Detail     string        // for Unexpected and Unreachable: what was wrong, cleaned
	Err        error         // the cause, for errors.Is; never shown raw
}

func (e *Error) Error() string {
	switch e.Kind {
	case Rejected:
		return "Lattice rejected the key (401)"
	case Forbidden:
		return "Lattice accepted the key but refused this request (403)"
	case RateLimited:
		return fmt.Sprintf("Lattice is limiting requests (429); it asked to wait %s", e.RetryAfter.Round(time.Second))
	case ServerError:
		return fmt.Sprintf("Lattice answered with a server error (%d)", e.Status)
	case Unreachable:
		return fmt.Sprintf("could not reach %s: %s", e.Host, e.Detail)
	default:
		if e.Status != 0 {
			return fmt.Sprintf("unexpected answer from %s (%d): %s", e.Host, e.Status, e.Detail)
		}
		return fmt.Sprintf("unexpected answer from %s: %s", e.Host, e.Detail)
	}
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of a client error, or 0 for any other error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
