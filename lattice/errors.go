package lattice

import (
	"errors"
	"fmt"
	"strconv"
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

// Explain says what happened and what to do next. It never contains
// the key, and Lattice's own text never reaches it.
func Explain(err error, client *Client) string {
	var e *Error
	if !errors.As(err, &e) {
		return "The check failed: " + err.Error()
	}
	region := ""
	if client != nil {
		region = client.Primary.Region.Label()
	}
	switch e.Kind {
	case Rejected:
		where := "It may be mistyped, revoked, or from the other region (try --region)."
		if client != nil && client.Alternate != nil {
			where = "It may be mistyped or revoked (it was tried in both the US and EMEA regions)."
		}
		return "Lattice rejected this key (401). " + where +
			"\nCopy it again from Admin › Settings › API Keys, or generate a new one, and paste it here."
	case Forbidden:
		return "Lattice knows this key but would not say who owns it (403).\n" +
			"Keys carry the rights of the person who created them: create one from an admin account."
	case RateLimited:
		return fmt.Sprintf("Lattice is limiting requests (429) and asked to wait %s.\nWait a moment, then try again.",
			HumanDuration(e.RetryAfter))
	case ServerError:
		return fmt.Sprintf("Lattice answered with a server error (%d), three times in a row.\n"+
			"The problem is on Lattice's side: try again in a few minutes.", e.Status)
	case Unreachable:
		return fmt.Sprintf("Could not reach Lattice (%s, %s): %s.\n", e.Host, region, e.Detail) +
			"Check your connection. Behind a proxy, set HTTPS_PROXY; it is honoured."
	default:
		return "Unexpected answer from " + e.Host + ": " + e.Detail + ".\n" +
			"Check --region and --api-url. If it goes on, Lattice's API may have changed."
	}
}

// HumanDuration shows a wait the way people say it: "1 s", "12 s", "2 min".
func HumanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "a moment"
	case d < 2*time.Minute:
		return strconv.Itoa(int(d.Round(time.Second).Seconds())) + " s"
	default:
		return strconv.Itoa(int(d.Round(time.Minute).Minutes())) + " min"
	}
}
