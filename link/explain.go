package link

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/sanitize"
)

// Source is where the key being checked came from; messages differ: a key
// typed just now may be mistyped, a stored key that worked before was not.
type Source int

// The sources a face names.
const (
	// Typed: typed or pasted just now, in the wizard or in plain mode.
	Typed Source = iota
	// Piped: read by a command from stdin.
	Piped
	// FromEnv: LATTICE_API_KEY, which a command uses in place of the
	// stored key.
	FromEnv
	// Stored: the key stored on this machine.
	Stored
)

// Explain says what went wrong in an operation and what to do next, for
// any face. flags says whether the user is at a shell running a command, so
// that command-line options (--region, --api-url) and commands (lattice-link
// connect) are advice they can act on; a running wizard takes none, and its
// own keys are its own to name. The text never contains the key, and what
// Lattice sent never reaches it. Lines are separated by "\n".
func (l *Link) Explain(err error, src Source, flags bool) string {
	var ns *NotStoredError
	var two *config.TwoKeysError
	var unsure *UnsureError
	var failed *lattice.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, config.ErrLocked):
		return err.Error()
	case errors.As(err, &failed):
		return l.explainLattice(failed, src, flags)
	case errors.Is(err, ErrConnectLink):
		return "That is an app's Nango Connect link, not a Lattice API key, and it was sent nowhere.\n" +
			"To give your key to that app, run lattice-link --nango with the link (or set NANGO_CONNECT_LINK); " +
			"here, paste the key you generated in Lattice."
	case errors.Is(err, ErrSameKey):
		return "That is the key already stored. Generate a new key in Lattice (" + KeysPage + ") and use the new one."
	case errors.Is(err, config.ErrReplaced):
		return "Lattice accepted the key, but " + err.Error() + ". Run " + l.Command("status") + " to see which key is stored."
	case errors.As(err, &two):
		return sanitize.Line(err.Error(), 600) + ".\nlattice-link will not pick one. Forget both (" + l.Command("logout") + " " +
			"forgets every copy), revoke in Lattice the one you no longer use, then connect the key you keep."
	case errors.As(err, &unsure):
		return sanitize.Line(err.Error(), 600) + ".\nRun " + l.Command("status") + " to see which key is stored now, " +
			"and do not revoke the old key in Lattice until it shows the new one."
	case errors.Is(err, ErrDirtyKey):
		return sanitize.Line(err.Error(), 400) + ". Forget it (" + l.Command("logout") + "), then connect your key again."
	case errors.As(err, &ns):
		msg := strings.TrimSuffix(sanitize.Line(err.Error(), 400), ".") + ".\nNothing was stored."
		if noKeyring(err) {
			msg += " " + noKeyringAdvice
		}
		return msg
	case noKeyring(err):
		what := strings.TrimSuffix(sanitize.Line(err.Error(), 400), ".")
		return strings.ToUpper(what[:1]) + what[1:] + ".\n" + noKeyringAdvice
	}
	return sanitize.Line(err.Error(), 400)
}

// noKeyringAdvice is the way on when the store asked for is a keyring this
// machine does not have. The store is chosen where lattice-link is started
// (--store, LATTICE_LINK_STORE), so every face names the same way.
const noKeyringAdvice = "To keep the key in a file instead (credentials.json, readable only by you), " +
	"run lattice-link again with --store file (or LATTICE_LINK_STORE=file)."

// noKeyring reports whether err says there is no OS keyring here at all.
func noKeyring(err error) bool {
	problem, ok := config.IsKeyring(err)
	return ok && problem == config.KeyringAbsent
}

// explainLattice words a failure of the Lattice client l asked (l.Client
// nil when unknown).
func (l *Link) explainLattice(e *lattice.Error, src Source, flags bool) string {
	c := l.Client
	if e.NotFound() && !lattice.IsLatticeHost(e.Host) {
		what := "There is no Lattice API at " + e.Host + " (it answered 404 Not Found): the address looks wrong."
		us, emea := lattice.Hosts[lattice.US], lattice.Hosts[lattice.EMEA]
		if flags {
			return what + "\nCheck " + c.PinnedBy() + ": Lattice's is " + us + " (EMEA: " + emea +
				"), with or without /v1; or leave it out and use --region."
		}
		return what + "\nLattice's API is at " + us + " (EMEA: " + emea + ")."
	}
	switch e.Kind {
	case lattice.Rejected:
		return l.explainRejected(e, src, flags)
	case lattice.Forbidden:
		what := "Lattice knows this key but would not say who owns it (403): a key has only the rights of " +
			"the person who created it."
		if src == Stored {
			return what + "\nGenerate a key from an admin account (" + KeysPage + ") and replace this one" +
				l.replaceHow(flags)
		}
		return what + "\nGenerate a key from an admin account (" + KeysPage + ") and use that one instead."
	case lattice.RateLimited:
		return explainRateLimited(e)
	case lattice.ServerError:
		return fmt.Sprintf("Lattice answered with a server error (%d) each time it was asked.\n", e.Status) +
			"The problem is on Lattice's side, and says nothing about the key: try again in a few minutes."
	case lattice.Unreachable:
		return explainUnreachable(e, c, flags)
	default:
		what := "Unexpected answer from " + e.Host + ": " + e.Clause() + "."
		if flags {
			if c != nil && c.Pinned() {
				return what + "\nCheck " + c.PinnedBy() + "; if it is right, Lattice's API may have changed: try again later."
			}
			return what + "\nCheck --region; if it is right, Lattice's API may have changed: try again later."
		}
		return what + "\nSomething other than Lattice may have answered, or its API changed: try again later."
	}
}

func (l *Link) explainRejected(e *lattice.Error, src Source, flags bool) string {
	c := l.Client
	pinned := c != nil && c.Pinned()
	if src == Stored {
		s := "This key no longer works (revoked or expired): Lattice rejected it (401)."
		if flags && pinned {
			s += "\nIt was checked only at " + e.Host + " (" + c.PinnedBy() + "): if that is not where it belongs, " +
				"run again with the right " + c.PinnedBy() + "."
		}
		return s + "\nGenerate a new key in Lattice (" + KeysPage + ") and replace this one" + l.replaceHow(flags)
	}
	s := "Lattice rejected this key (401)."
	if e.BothRegions {
		s += " It was tried in both the US and EMEA regions, so it is mistyped, incomplete or revoked."
	} else {
		s += " It may be mistyped, incomplete or revoked, or belong to another region."
	}
	switch src {
	case Piped:
		s += "\nCopy it again from " + KeysPage + " (or generate a new one) and give it to the command again."
	case FromEnv:
		s += "\nCopy it again from " + KeysPage + " (or generate a new one) and set LATTICE_API_KEY to it, " +
			"or unset LATTICE_API_KEY to use the key stored here."
	default:
		s += "\nCopy it again from " + KeysPage + " (or generate a new one) and paste it here."
	}
	if flags && !e.BothRegions {
		s += "\n" + regionHint(c)
	}
	return s
}

// regionHint names the option that points the check at the right region.
func regionHint(c *lattice.Client) string {
	switch {
	case c == nil:
		return "If your company's Lattice is in the other region, use --region us or --region emea."
	case c.Pinned():
		return "It was checked only at " + c.Primary.Host() + " (" + c.PinnedBy() + "): if the key belongs " +
			"elsewhere, run again with the right " + c.PinnedBy() + ", or without it."
	default:
		other := c.Primary.Region.Other()
		return "If your company's Lattice is in the " + other.Label() + " region, run again with --region " +
			string(other) + "."
	}
}

// replaceHow says how to swap the stored key for a new one at a shell; a
// face that offers its own way (the wizard's and plain mode's rotate) shows
// that itself.
func (l *Link) replaceHow(shell bool) string {
	if shell {
		return ": run " + l.Command("connect") + "."
	}
	return "."
}

// DefaultProfile is the profile of a run that names none.
const DefaultProfile = "default"

// Command is the lattice-link command line that runs sub (none: the
// wizard) on this link's profile, so that advice run as told acts on the
// profile it is about, not on the default one.
func (l *Link) Command(sub string) string {
	s := "lattice-link"
	if l.Profile != "" && l.Profile != DefaultProfile {
		s += " --profile " + l.Profile
	}
	if sub != "" {
		s += " " + sub
	}
	return s
}

func explainRateLimited(e *lattice.Error) string {
	if e.RetryAfter <= 0 {
		return "Lattice is limiting requests (429) and did not say for how long.\n" +
			"Wait a minute, then try again."
	}
	wait := apihttp.HumanDuration(e.RetryAfter)
	what := "Lattice is limiting requests (429) and asked to wait " + wait + "."
	if e.RetryAt.IsZero() {
		return what + "\nTry again in " + wait + "."
	}
	return what + "\nTry again after " + e.RetryAt.Local().Format("15:04:05") + "."
}

func explainUnreachable(e *lattice.Error, c *lattice.Client, flags bool) string {
	where := e.Host
	if c != nil {
		if r := c.RegionOf(e.Host); r != "" {
			where += ", " + r.Label()
		}
	}
	const proxy = "Behind a proxy, set HTTPS_PROXY; it is honoured."
	if e.TimedOut() {
		return fmt.Sprintf("Lattice (%s) did not answer within %s.\n", where, apihttp.Within(e.Timeout)) +
			"It may be slow or down, or a firewall may be holding the connection: try again in a minute. " + proxy
	}
	what := fmt.Sprintf("Could not reach Lattice (%s): %s.\n", where, e.Clause())
	pinned := c != nil && c.Pinned() // the host was given, not chosen by region
	noServer := e.Cause == apihttp.CauseDNS || e.Cause == apihttp.CauseRefused
	switch {
	case e.Cause == apihttp.CauseTLS:
		return what + "A proxy or firewall that inspects TLS may be in the way: add its certificate to " +
			"this machine's trusted certificates, then try again."
	case pinned && noServer && flags:
		return what + "Check " + c.PinnedBy() + " and that the server there is running, then try again."
	case pinned && noServer:
		// A running wizard takes no flag: it names the address it was given.
		return what + "Check that the server at " + e.Host + " is running and is the one you meant to use, " +
			"then try again."
	case e.Cause == apihttp.CauseDNS:
		return what + "Check your connection and DNS, then try again. " + proxy
	default:
		return what + "Check your connection, then try again. " + proxy
	}
}

// ExplainSCIM says why SCIM could not be checked, for a key whose own check
// passed; err is from lattice's CheckSCIM. Lines are separated by "\n".
// The command it names acts on l's profile; the demo names no loopback
// address.
func (l *Link) ExplainSCIM(err error) string { return explainSCIM(err, l.Demo, l.Profile) }

// demoLattice is what the demo names in place of its stand-in's loopback
// address.
const demoLattice = "the demo's stand-in for Lattice"

// explainSCIM is ExplainSCIM for profile ("" for the default); in the
// demo it names no loopback address.
func explainSCIM(err error, demo bool, profile string) string {
	again := "The key itself works: check SCIM again later (" + (&Link{Profile: profile}).Command("status --scim") + ")."
	var e *lattice.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "SCIM was not checked: the check was cancelled.\n" + again
	case !errors.As(err, &e):
		return "SCIM could not be checked: " + err.Error() + ".\n" + again
	case e.Kind == lattice.Rejected:
		return "SCIM could not be checked: Lattice's SCIM API rejected the key (401) although its main API accepts it.\n" +
			"Make sure SCIM is enabled (Admin › Settings › Platform › Integrations › Enable SCIM), then check again."
	case e.Kind == lattice.Unreachable && e.TimedOut():
		// Lattice itself answered: only its SCIM API kept the check waiting.
		api := "Lattice's SCIM API (" + e.Host + ")"
		if demo {
			api = "the SCIM API of " + demoLattice
		}
		return "SCIM could not be checked: " + api + " did not answer within " +
			apihttp.Within(e.Timeout) + ".\n" + again
	case e.Kind == lattice.RateLimited && e.RetryAfter > 0:
		return "SCIM could not be checked: " + e.Error() + ".\nThe key itself works: check SCIM again in " +
			apihttp.HumanDuration(e.RetryAfter) + "."
	default:
		return "SCIM could not be checked: " + e.Error() + ".\n" + again
	}
}
