package lattice

import (
	"context"
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
	RateLimited                 // 429, still after waiting as asked, or asked to wait too long
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
	RetryAt    time.Time     // for RateLimited: when that wait ends; zero when Lattice did not say
	Timeout    time.Duration // for Unreachable: set when Lattice did not answer within this long
	// BothRegions is set on Rejected when the key was tried in both
	// regions, so it is not a region mix-up.
	BothRegions bool
	Detail      string // for Unexpected and Unreachable: what was wrong, cleaned
	Err         error  // the cause, for errors.Is; never shown raw

	cause cause // which next step fits an Unreachable
}

type cause int

const (
	causeOther cause = iota
	causeTimeout
	causeDNS
	causeRefused
	causeTLS
)

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
			return "Lattice is limiting requests (429); it asked to wait " + HumanDuration(e.RetryAfter)
		}
		return "Lattice is limiting requests (429)"
	case ServerError:
		return fmt.Sprintf("Lattice answered with a server error (%d)", e.Status)
	case Unreachable:
		if e.TimedOut() {
			return fmt.Sprintf("%s did not answer within %s", e.Host, within(e.Timeout))
		}
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

// Source is where the key that failed came from. The advice differs: a key
// typed just now may be mistyped, a stored key that worked before was not.
type Source int

const (
	// Typed: typed or pasted just now, in the wizard or in plain mode.
	Typed Source = iota
	// Piped: read by a command from stdin or LATTICE_API_KEY.
	Piped
	// Stored: the key stored on this machine.
	Stored
)

// KeysPath is where keys are made and revoked in Lattice's admin UI, as
// Lattice's own help article names it.
const KeysPath = "Admin › Settings › Platform › API keys"

// ExplainFor says what happened and what to do next, for a key from src.
// flags says whether the user is at a shell running a command, so that
// command-line options (--region, --api-url) and commands (lattice-link
// connect) are advice they can act on; without it the advice names the
// wizard's own keys. The text never contains the key, and Lattice's own
// text never reaches it. Lines are separated by "\n".
func ExplainFor(err error, c *Client, src Source, flags bool) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "The check was cancelled before Lattice answered; nothing changed.\nStart it again when you are ready."
	case !errors.As(err, &e):
		return "The check failed: " + err.Error() + ".\nTry again in a moment."
	}
	switch e.Kind {
	case Rejected:
		return explainRejected(e, c, src, flags)
	case Forbidden:
		what := "Lattice knows this key but would not say who owns it (403): a key has only the rights of " +
			"the person who created it."
		if src == Stored {
			return what + "\nGenerate a key from an admin account (" + KeysPath + ") and replace this one: " +
				replaceHow(flags)
		}
		return what + "\nGenerate a key from an admin account (" + KeysPath + ") and use that one instead."
	case RateLimited:
		return explainRateLimited(e)
	case ServerError:
		return fmt.Sprintf("Lattice answered with a server error (%d) each time it was asked.\n", e.Status) +
			"The problem is on Lattice's side, and says nothing about the key: try again in a few minutes."
	case Unreachable:
		return explainUnreachable(e, c, flags)
	default:
		what := "Unexpected answer from " + e.Host + ": " + e.Detail + "."
		if flags {
			return what + "\nCheck --region and --api-url; if they are right, Lattice's API may have " +
				"changed: try again later."
		}
		return what + "\nSomething other than Lattice may have answered, or its API changed: try again later."
	}
}

func explainRejected(e *Error, c *Client, src Source, flags bool) string {
	pinned := c != nil && c.Alternate == nil
	if src == Stored {
		s := "This key no longer works (revoked or expired): Lattice rejected it (401)."
		if flags && pinned {
			s += "\nIt was checked only at " + e.Host + " (--api-url): if that is not where it belongs, " +
				"run again with the right --api-url."
		}
		return s + "\nGenerate a new key in Lattice (" + KeysPath + ") and replace this one: " + replaceHow(flags)
	}
	s := "Lattice rejected this key (401)."
	if e.BothRegions {
		s += " It was tried in both the US and EMEA regions, so it is mistyped, incomplete or revoked."
	} else {
		s += " It may be mistyped, incomplete or revoked, or belong to another region."
	}
	if src == Piped {
		s += "\nCopy it again from " + KeysPath + " (or generate a new one) and give it to the command again."
	} else {
		s += "\nCopy it again from " + KeysPath + " (or generate a new one) and paste it here."
	}
	if flags && !e.BothRegions {
		s += "\n" + regionHint(c)
	}
	return s
}

// regionHint names the option that points the check at the right region.
func regionHint(c *Client) string {
	switch {
	case c == nil:
		return "If your company's Lattice is in the other region, use --region us or --region emea."
	case c.Alternate == nil:
		return "It was checked only at " + c.Primary.Host() + " (--api-url): if the key belongs " +
			"elsewhere, run again with the right --api-url, or without it."
	default:
		other := c.Primary.Region.Other()
		return "If your company's Lattice is in the " + other.Label() + " region, run again with --region " +
			string(other) + "."
	}
}

// replaceHow says how to swap the stored key for a new one where the user is.
func replaceHow(shell bool) string {
	if shell {
		return "run lattice-link connect."
	}
	return "choose Rotate (r) on the home screen."
}

func explainRateLimited(e *Error) string {
	if e.RetryAfter <= 0 {
		return "Lattice is limiting requests (429) and did not say for how long.\n" +
			"Wait a minute, then try again."
	}
	what := "Lattice is limiting requests (429) and asked to wait " + HumanDuration(e.RetryAfter) + "."
	if e.RetryAt.IsZero() {
		return what + "\nTry again in " + HumanDuration(e.RetryAfter) + "."
	}
	return what + "\nTry again after " + e.RetryAt.Local().Format("15:04:05") + "."
}

func explainUnreachable(e *Error, c *Client, flags bool) string {
	where := e.Host
	if r := regionOf(c, e.Host); r != "" {
		where += ", " + r.Label()
	}
	const proxy = "Behind a proxy, set HTTPS_PROXY; it is honoured."
	if e.TimedOut() {
		return fmt.Sprintf("Lattice (%s) did not answer within %s.\n", where, within(e.Timeout)) +
			"It may be slow or down, or a firewall may be holding the connection: try again in a minute. " + proxy
	}
	what := fmt.Sprintf("Could not reach Lattice (%s): %s.\n", where, e.Detail)
	pinned := flags && c != nil && c.Alternate == nil
	switch {
	case e.cause == causeTLS:
		return what + "A proxy or firewall that inspects TLS may be in the way: add its certificate to " +
			"this machine's trusted certificates, then try again."
	case pinned && (e.cause == causeDNS || e.cause == causeRefused):
		return what + "Check --api-url and that the server there is running, then try again."
	case e.cause == causeDNS:
		return what + "Check your connection and DNS, then try again. " + proxy
	default:
		return what + "Check your connection, then try again. " + proxy
	}
}

// regionOf names the region of host when the client chose it by region;
// a host given with --api-url has none worth naming.
func regionOf(c *Client, host string) Region {
	if c == nil || c.Alternate == nil {
		return ""
	}
	for _, ep := range []Endpoint{c.Primary, *c.Alternate} {
		if ep.Host() == host {
			return ep.Region
		}
	}
	return ""
}

// ExplainSCIM says why SCIM could not be checked, for a key whose own check
// passed; err is from CheckSCIM. Lines are separated by "\n".
func ExplainSCIM(err error) string {
	const again = "The key itself works: check SCIM again later."
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "SCIM was not checked: the check was cancelled.\n" + again
	case !errors.As(err, &e):
		return "SCIM could not be checked: " + err.Error() + ".\n" + again
	case e.Kind == Rejected:
		return "SCIM could not be checked: Lattice's SCIM API rejected the key (401) although its main API accepts it.\n" +
			"Make sure SCIM is enabled (Admin › Settings › Platform › Integrations › Enable SCIM), then check again."
	case e.Kind == RateLimited && e.RetryAfter > 0:
		return "SCIM could not be checked: " + e.Error() + ".\nThe key itself works: check SCIM again in " +
			HumanDuration(e.RetryAfter) + "."
	default:
		return "SCIM could not be checked: " + e.Error() + ".\n" + again
	}
}

// HumanDuration shows a wait the way people say it: "1 s", "12 s", "2 min",
// "3 h".
func HumanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "a moment"
	case d < 2*time.Minute:
		return strconv.Itoa(int(d.Round(time.Second).Seconds())) + " s"
	case d < 2*time.Hour:
		return strconv.Itoa(int(d.Round(time.Minute).Minutes())) + " min"
	default:
		return strconv.Itoa(int(d.Round(time.Hour).Hours())) + " h"
	}
}

// within is a time limit as text: HumanDuration, except that a limit under
// a second (only tests set one) keeps its value.
func within(d time.Duration) string {
	if d < time.Second {
		return d.String()
	}
	return HumanDuration(d)
}
