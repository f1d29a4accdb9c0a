package nango

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind says what went wrong with a Connect link or a call to Nango.
type Kind int

const (
	InvalidLink          Kind = iota + 1 // not a Connect link or token (also Nango's invalid_connect_session_token_format)
	InvalidAPIURL                        // the API base is not https, or plain http to a name or a remote host
	SessionExpired                       // unknown_connect_session_token: expired (30 min) or replaced
	NotAllowed                           // integration_not_allowed: the link is for other integrations
	NoLatticeIntegration                 // unknown_provider_config(_template), or no Lattice in the app's list
	WrongAuthMode                        // invalid_auth_mode: the app's Lattice integration is not API_KEY
	KeyRefused                           // connection_test_failed, connection_validation_failed, invalid_credentials
	ConnectionGone                       // invalid_connection: the connection a reconnect link was for is gone
	Bug                                  // invalid_body, invalid_query_params, 415 and the like: our request was wrong
	RateLimited                          // 429
	Refused                              // any other refusal that carries a Nango error code
	ServerError                          // 5xx
	Unreachable                          // DNS, connect, TLS, dropped connection
	Timeout                              // no complete answer within the call's budget
	Unexpected                           // an answer that is not what Nango sends
)

var kindNames = map[Kind]string{
	InvalidLink: "invalid_link", InvalidAPIURL: "invalid_api_url", SessionExpired: "session_expired",
	NotAllowed: "not_allowed", NoLatticeIntegration: "no_lattice_integration", WrongAuthMode: "wrong_auth_mode",
	KeyRefused: "key_refused", ConnectionGone: "connection_gone", Bug: "bug", RateLimited: "rate_limited",
	Refused: "refused", ServerError: "server_error", Unreachable: "unreachable", Timeout: "timeout",
	Unexpected: "unexpected",
}

// String is a stable snake_case name, for JSON output and tests.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "kind_" + strconv.Itoa(int(k))
}

// kindOfCode maps Nango's error codes (read in packages/shared/lib/utils/error.ts,
// packages/server/lib/middleware/access.middleware.ts and
// packages/server/lib/controllers/auth/postApiKey.ts) to what the user can do.
var kindOfCode = map[string]Kind{
	"invalid_connect_session_token_format": InvalidLink,
	"unknown_connect_session_token":        SessionExpired,
	"integration_not_allowed":              NotAllowed,
	"unknown_provider_config":              NoLatticeIntegration,
	"unknown_provider_template":            NoLatticeIntegration,
	"invalid_auth_mode":                    WrongAuthMode,
	"connection_test_failed":               KeyRefused,
	"connection_validation_failed":         KeyRefused,
	"invalid_credentials":                  KeyRefused,
	"invalid_connection":                   ConnectionGone,
	"invalid_body":                         Bug,
	"invalid_query_params":                 Bug,
	"invalid_uri_params":                   Bug,
	"invalid_content_type":                 Bug,
	"missing_auth_header":                  Bug,
	"malformed_auth_header":                Bug,
	"missing_public_key":                   Bug,
	"too_many_request":                     RateLimited,
}

// Call names which request failed, for messages.
type Call string

const (
	CallSession      Call = "reading the Connect session"
	CallIntegrations Call = "listing the app's integrations"
	CallHandOff      Call = "handing the key to Nango"
)

// Error is every failure of this package. Nothing in it holds the session
// token or the API key: Nango's code and message are cleaned and redacted
// before they are stored, and transport errors lose the request URL.
type Error struct {
	Kind       Kind
	Call       Call          // which request; empty for link parsing
	Host       string        // Nango's API host
	Status     int           // the HTTP status, when there was an answer
	Code       string        // Nango's error code, cleaned; empty when none
	Message    string        // Nango's message, cleaned and redacted; empty when none
	Detail     string        // what this package found wrong, for InvalidLink, Unexpected, Unreachable…
	Allowed    []string      // for NotAllowed: the integrations the link is for, when known
	RetryAfter time.Duration // for RateLimited
	// Uncertain is set when the hand-off failed after the request may have
	// reached Nango (a timeout, a dropped connection, a server error): the
	// app may already hold the key, and a blind second try could give it
	// two connections.
	Uncertain bool
	Err       error // the cause, for errors.Is; never shown raw
}

func (e *Error) Error() string {
	var s string
	switch e.Kind {
	case InvalidLink:
		s = "not a usable Nango Connect link: " + e.Detail
	case InvalidAPIURL:
		s = "Nango API address refused: " + e.Detail
	case SessionExpired:
		s = "the Nango Connect link has expired or was replaced"
	case NotAllowed:
		s = "the Nango Connect link does not allow Lattice"
	case NoLatticeIntegration:
		s = "the app has no Lattice integration in Nango"
	case WrongAuthMode:
		s = "the app's Lattice integration in Nango does not take an API key"
	case KeyRefused:
		s = "Nango did not take the key"
	case ConnectionGone:
		s = "the connection this link was to update no longer exists"
	case Bug:
		s = "Nango refused lattice-link's request as malformed"
	case RateLimited:
		s = "Nango is limiting requests"
	case Refused:
		s = "Nango refused the request"
	case ServerError:
		s = "Nango answered with a server error"
	case Unreachable:
		s = "could not reach Nango at " + e.Host + ": " + e.Detail
	case Timeout:
		s = "Nango at " + e.Host + " did not answer in time"
		if e.Detail != "" {
			s += ": " + e.Detail
		}
	default:
		s = "unexpected answer from Nango at " + e.Host
		if e.Detail != "" {
			s += ": " + e.Detail
		}
	}
	var facts []string
	if e.Status != 0 {
		facts = append(facts, strconv.Itoa(e.Status))
	}
	if e.Code != "" {
		facts = append(facts, e.Code)
	}
	if len(facts) > 0 {
		s += " (" + strings.Join(facts, " ") + ")"
	}
	if e.Message != "" && e.Kind != KeyRefused { // KeyRefused's Hint quotes it
		s += ": " + e.Message
	}
	if e.Call != "" && (e.Kind == Unreachable || e.Kind == Timeout || e.Kind == ServerError || e.Kind == Unexpected) {
		s += ", while " + string(e.Call)
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Hint is what the user should do next, as one or two sentences.
func (e *Error) Hint() string {
	var s string
	switch e.Kind {
	case InvalidLink:
		s = "Copy the whole Connect link the app gave you (https://connect.nango.dev/?session_token=…) " +
			"and pass it with --nango, or in NANGO_CONNECT_LINK to keep it out of the process list."
	case InvalidAPIURL:
		s = "Nango's API address must use https; plain http is allowed only to 127.0.0.1 or [::1]. " +
			"Ask the app for a link with an https apiURL, or fix --nango-url / NANGO_SERVER_URL."
	case SessionExpired:
		s = "Connect links last 30 minutes and stop working when the app makes a newer one: " +
			"ask the app for a new link and use it within 30 minutes."
	case NotAllowed:
		s = "This link is for other integrations"
		if len(e.Allowed) > 0 {
			s += " (" + strings.Join(e.Allowed, ", ") + ")"
		}
		s += ", not Lattice: ask the app for a link that allows Lattice."
	case NoLatticeIntegration:
		s = "The app has not set up a Lattice integration in Nango: ask its admins to add one " +
			"(Lattice, API key), then to send you a new link."
	case WrongAuthMode:
		s = "The app's Lattice integration is set up for another way of signing in: ask its admins " +
			"to set it up with Lattice's API-key authentication, then to send you a new link."
	case KeyRefused:
		s = "Lattice accepted the key, but Nango or the app's own check refused it"
		if e.Message != "" {
			s += " (" + e.Message + ")"
		}
		s += ": ask the app's admins what their check expects."
	case ConnectionGone:
		s = "The app's Lattice connection that this link was to update was deleted: ask the app for a new link."
	case Bug:
		s = "This is a bug in lattice-link, not something you did: please report it with this message."
	case RateLimited:
		s = "Wait"
		if e.RetryAfter > 0 {
			s += " " + humanDuration(e.RetryAfter)
		} else {
			s += " a minute"
		}
		s += ", then try again; the link stays valid for 30 minutes from when the app made it."
	case Refused:
		s = "Ask the app that sent the link; quote Nango's code above."
	case ServerError:
		s = "The problem is on Nango's side: try again in a few minutes, or ask the app for a new link if this one expires meanwhile."
	case Unreachable, Timeout:
		s = "Check your connection and the API address (" + e.Host + "). Behind a proxy, set HTTPS_PROXY; it is honoured."
	default:
		s = "Check that " + e.Host + " is Nango's API (the link's apiURL, --nango-url or NANGO_SERVER_URL), not the Connect page. " +
			"If it is, Nango's API may have changed: please report it."
	}
	if e.Uncertain {
		s += "\nThe key may already have reached the app: check with the app whether Lattice shows as connected " +
			"before trying again, so it does not end up with two connections."
	}
	return s
}

// KindOf returns the Kind of an error from this package, or 0.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// Explain is what happened, then what to do, for a screen or a terminal.
// It never contains the token or the key.
func Explain(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return "The hand-off to Nango failed: " + err.Error()
	}
	msg := e.Error()
	if !strings.HasSuffix(msg, ".") { // Nango's own messages end in one
		msg += "."
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "\n" + e.Hint()
}

func humanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "a moment"
	case d < 2*time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second).Seconds()))
	default:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
	}
}
