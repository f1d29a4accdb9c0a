package lattice

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/baseurl"
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

// detail is what went wrong, as a clause.
func (e *Error) detail() string {
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
			return "Lattice is limiting requests (429); it asked to wait " + HumanDuration(e.RetryAfter)
		}
		return "Lattice is limiting requests (429)"
	case ServerError:
		return fmt.Sprintf("Lattice answered with a server error (%d)", e.Status)
	case Unreachable:
		if e.TimedOut() {
			return fmt.Sprintf("%s did not answer within %s", e.Host, within(e.Timeout))
		}
		return fmt.Sprintf("could not reach %s: %s", e.Host, e.detail())
	default:
		if e.Status != 0 {
			return fmt.Sprintf("unexpected answer from %s (%d): %s", e.Host, e.Status, e.detail())
		}
		return fmt.Sprintf("unexpected answer from %s: %s", e.Host, e.detail())
	}
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of a client error, or 0 for any other error.
func KindOf(err error) Kind { return apihttp.KindOf[Kind](err) }

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
	if e.NotFound() && !isLatticeHost(e.Host) {
		what := "There is no Lattice API at " + e.Host + " (it answered 404 Not Found): the address looks wrong."
		if flags {
			return what + "\nCheck --api-url: Lattice's is " + Hosts[US] + " (EMEA: " + Hosts[EMEA] +
				"), with or without /v1; or leave it out and use --region."
		}
		return what + "\nLattice's API is at " + Hosts[US] + " (EMEA: " + Hosts[EMEA] + ")."
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
		what := "Unexpected answer from " + e.Host + ": " + e.detail() + "."
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
		return s + "\nGenerate a new key in Lattice (" + KeysPath + ") and replace this one" + replaceHow(flags)
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

// replaceHow says how to swap the stored key for a new one at a shell; a
// face that offers its own way (the wizard's and plain mode's rotate) shows
// that itself.
func replaceHow(shell bool) string {
	if shell {
		return ": run lattice-link connect."
	}
	return "."
}

// isLatticeHost reports whether host is one of Lattice's own API hosts.
func isLatticeHost(host string) bool {
	for _, u := range Hosts {
		if baseurl.Host(u) == host {
			return true
		}
	}
	return false
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
	what := fmt.Sprintf("Could not reach Lattice (%s): %s.\n", where, e.detail())
	pinned := c != nil && c.Alternate == nil // --api-url names the host
	switch {
	case e.Cause == apihttp.CauseTLS:
		return what + "A proxy or firewall that inspects TLS may be in the way: add its certificate to " +
			"this machine's trusted certificates, then try again."
	case pinned && flags && (e.Cause == apihttp.CauseDNS || e.Cause == apihttp.CauseRefused):
		return what + "Check --api-url and that the server there is running, then try again."
	case pinned && (e.Cause == apihttp.CauseDNS || e.Cause == apihttp.CauseRefused):
		// A running wizard takes no flag: it names the address it was given.
		return what + "Check that the server at " + e.Host + " is running and is the one you meant to use, " +
			"then try again."
	case e.Cause == apihttp.CauseDNS:
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
func HumanDuration(d time.Duration) string { return apihttp.HumanDuration(d) }

func within(d time.Duration) string { return apihttp.Within(d) }
