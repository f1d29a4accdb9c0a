package link

import (
	"errors"
	"strconv"
	"strings"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/nango"
)

// The words for the Connect-link path, in one place for every face. nango
// returns facts (*nango.Error); this says what happened, whether Lattice
// saw the key, and who can fix it. shell says whether the user is at a
// shell running a command, so that options and environment variables are
// advice they can act on.

// InProcessListNote is said once when the Connect link was given as an
// argument (nango.Client.InProcessList).
const InProcessListNote = "the Connect link was given on the command line, so anyone on this machine can read " +
	"its token in the process list (ps) while lattice-link runs. Next time, put the link in NANGO_CONNECT_LINK instead."

// HostQuestion asks the user to approve the Nango API a link names
// (nango.Client.NeedsApproval), before the key is asked for: host is
// Link().Host(), already ASCII and clean.
func HostQuestion(host string) string {
	q := "This Connect link sends your Lattice key to a Nango API at " + host + ", which is not Nango Cloud " +
		"(api.nango.dev)."
	if strings.Contains(strings.ToLower(host), "xn--") { // punycode: a name written with non-ASCII letters
		q += " That name is shown in its ASCII form (xn--…) because it is written with non-Latin letters, " +
			"which can look like the letters of another name, such as api.nango.dev."
	}
	return q + " A link does not decide where your key goes: you do. Send it to " + host +
		" only if you know it is the app's own Nango."
}

// NotSent says that a failure came before the key went anywhere.
const NotSent = "The key was not sent anywhere: neither to Lattice nor to Nango."

// ExplainNango says what went wrong with a Connect link or a call to Nango
// and what to do next: first what happened, then whether the key was sent,
// then the advice. It never contains the token or the key.
func ExplainNango(err error, shell bool) string {
	var e *nango.Error
	if !errors.As(err, &e) {
		return "The hand-off to Nango failed: " + err.Error()
	}
	what, advice := nangoWords(e, shell)
	lines := []string{what}
	switch {
	case e.KeySent() && e.Uncertain:
		lines = append(lines, "Lattice accepted the key; it may already have reached the app: check with the app "+
			"whether Lattice shows as connected before trying again, so that it does not end up with two connections.")
	case e.KeySent():
		lines = append(lines, "Lattice accepted the key, and it was sent to Nango.")
	default:
		lines = append(lines, NotSent)
	}
	if advice != "" {
		lines = append(lines, advice)
	}
	return strings.Join(lines, "\n")
}

// nangoWords are a failure's two parts: what happened, and the advice.
func nangoWords(e *nango.Error, shell bool) (what, advice string) {
	at := "Nango at " + e.Host
	if e.Host == "" {
		at = "Nango"
	}
	newLink := "Ask the app for a new Connect link."
	switch e.Kind {
	case nango.InvalidLink:
		what = "That is not a usable Nango Connect link: " + linkProblem(e) + "."
		if e.Problem == nango.LinkBadQuery {
			return what, newLink // the link came that way: copying it again would not help
		}
		if shell {
			return what, "Copy the whole link the app gave you (https://connect.nango.dev/?session_token=…) and put it in " +
				"NANGO_CONNECT_LINK, which keeps it out of the process list (--nango LINK works too)."
		}
		return what, "Copy the whole link the app gave you (https://connect.nango.dev/?session_token=…) and paste it again."
	case nango.InvalidAPIURL:
		what = "The Nango API address was refused: " + e.Detail + "."
		if e.APISource == nango.FromNamed && shell {
			return what, "Fix --nango-url (or NANGO_SERVER_URL): https, or plain http only to this machine (localhost, 127.0.0.1, [::1])."
		}
		return what, "Ask the app for a link whose apiURL uses https."
	case nango.HostNotApproved:
		what = "The link sends the key to a Nango API at " + e.Host + ", which is not Nango Cloud (api.nango.dev) " +
			"and was not named for this run."
		if shell {
			return what, "If you trust " + e.Host + ", run again with --nango-url https://" + e.Host +
				" (or NANGO_SERVER_URL); otherwise ask the app for a link to Nango Cloud."
		}
		return what, "Go on only if you know " + e.Host + " is the app's own Nango."
	case nango.SessionExpired:
		return "The Connect link has expired or was deleted.",
			"Connect links last 30 minutes from when the app makes them. " + newLink
	case nango.NotAllowed:
		what = "This link is for other integrations"
		if len(e.Allowed) > 0 {
			what += " (" + strings.Join(e.Allowed, ", ") + ")"
		}
		return what + ", not Lattice.", "Ask the app for a link that allows Lattice."
	case nango.NoLatticeIntegration:
		return "The app has no Lattice integration in Nango.",
			"Ask the app's admins to add one (Lattice, API key), then to send you a new link."
	case nango.SeveralIntegrations, nango.UnknownIntegration:
		if e.Kind == nango.UnknownIntegration {
			what = "The link offers no Lattice integration " + e.Chosen + "."
		} else {
			what = "The link offers more than one Lattice integration."
		}
		advice = "Choose one: " + IntegrationChoices(e.Choices) + "."
		if shell {
			advice = "Choose one with --integration KEY: " + IntegrationChoices(e.Choices) + "."
		}
		return what, advice
	case nango.WrongAuthMode:
		return "The app's Lattice integration in Nango does not take an API key.",
			"Ask the app's admins to set it up with Lattice's API-key authentication, then to send you a new link."
	case nango.KeyRefused:
		what = "Nango or the app's own check refused the key"
		if e.Message != "" {
			what += ": " + e.Message
		}
		what += "."
		switch {
		case e.Code == "connection_validation_failed" && e.Reconnect:
			what += " The app's existing Lattice connection now holds this key and is marked as failed."
		case e.Code == "connection_validation_failed":
			what += " Nango deleted the connection it had made for it."
		}
		if e.Detail != "" {
			what = "Nango would not take this key: " + e.Detail + "."
		}
		return what, "Ask the app's admins what their check expects." + codeWords(e)
	case nango.ConnectionGone:
		return "The app's Lattice connection that this link was to update no longer exists.", newLink
	case nango.AccountGone:
		if e.Code == "plan_not_found" {
			return "The app's Nango account has no plan.",
				"The app's admins must fix their Nango account; then ask them for a new link."
		}
		return "Nango does not know the account this link was made in.",
			"The app's Nango environment may have been deleted: ask the app's admins for a new link."
	case nango.EndUserGone:
		return "The user this link was made for no longer exists in the app's Nango.", newLink
	case nango.Forbidden:
		return "Nango does not let this link do that: the app made the session without the rights it needs.",
			"Ask the app's admins to check how they make Connect sessions, then for a new link." + codeWords(e)
	case nango.NoEndUser:
		return "The app made this link without saying who it is for (no end user).",
			"Ask the app for a link made for you (with an end user)."
	case nango.Bug:
		what = "Nango refused lattice-link's request"
		if e.Message != "" {
			what += ": " + e.Message
		}
		return what + ".", "This is a bug in lattice-link, not something you did: please report it with this message." + codeWords(e)
	case nango.RateLimited:
		wait := "a minute"
		if e.RetryAfter > 0 {
			wait = apihttp.HumanDuration(e.RetryAfter)
		}
		return "Nango is limiting requests (429).", "Wait " + wait + ", then try again, within the link's 30 minutes."
	case nango.Refused:
		what = at + " refused the request"
		if e.Message != "" {
			what += ": " + e.Message
		}
		return what + ".", "Ask the app that sent the link what it means." + codeWords(e)
	case nango.ServerError:
		return at + " answered with a server error (" + strconv.Itoa(e.Status) + ").",
			"The problem is on Nango's side: try again in a few minutes, or ask the app for a new link if this one expires meanwhile."
	case nango.Unreachable, nango.Timeout:
		what = "Could not reach " + at + ": " + transportWords(e) + "."
		advice = "Check your connection and the address " + e.Host + ". Behind a proxy, set HTTPS_PROXY; it is honoured."
		if shell && e.APISource == nango.FromNamed {
			advice = "Check --nango-url (NANGO_SERVER_URL) and that Nango runs there. Behind a proxy, set HTTPS_PROXY; it is honoured."
		}
		return what, advice
	default:
		what = "Unexpected answer from " + at
		if e.Status != 0 {
			what += " (" + strconv.Itoa(e.Status) + ")"
		}
		if e.Detail != "" {
			what += ": " + e.Detail
		}
		return what + ".", "Check that " + e.Host + " is Nango's API, not its Connect page. If it is, Nango's API may have changed: please report it."
	}
}

// codeWords is Nango's error code, said once at the end of the advice, for
// the failures whose words send the user to someone who reads Nango's
// codes (the app's admins, a bug report); "" when Nango gave none. The
// code never goes into the sentence an admin reads first: the words say
// what it means.
func codeWords(e *nango.Error) string {
	if e.Code == "" {
		return ""
	}
	return " Nango's code: " + e.Code + "."
}

func linkProblem(e *nango.Error) string {
	switch e.Problem {
	case nango.LinkEmpty:
		return "no link was given"
	case nango.LinkNotALink:
		return "it is neither a Connect link (https://connect.nango.dev/?session_token=…) nor a session token"
	case nango.LinkNoToken:
		return "it has no session_token: copy the whole link, up to its end"
	case nango.LinkTwoTokens:
		return "it has more than one session_token"
	case nango.LinkTwoAPIs:
		return "it has more than one apiURL"
	case nango.LinkBadQuery:
		return "its query (after the ?) has a ';' or a broken %-escape, so a part of it, such as the apiURL that says " +
			"which Nango the key goes to, cannot be read"
	case nango.LinkBadToken:
		return "the session token is not in Nango's format (" + nango.TokenPrefix + " and 64 hex digits; this one has " +
			strconv.Itoa(e.TokenLength) + " characters): copy it again, in one piece"
	}
	return "Nango says the token is not in its format"
}

func transportWords(e *nango.Error) string {
	switch e.Cause {
	case apihttp.CauseTimeout:
		if e.Budget > 0 {
			return "no complete answer within " + apihttp.Within(e.Budget)
		}
		return "no answer in time"
	}
	if clause := e.Cause.Clause("Nango", e.Host); clause != "" {
		return clause
	}
	if e.Detail != "" {
		return e.Detail
	}
	return "the request failed"
}

// IntegrationChoices lists Lattice integrations for a question or a message:
// "lattice-hr (Lattice HR), lattice-eu".
func IntegrationChoices(list []nango.Integration) string {
	var parts []string
	for _, i := range list {
		s := i.UniqueKey
		if i.DisplayName != "" && i.DisplayName != i.UniqueKey {
			s += " (" + i.DisplayName + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
