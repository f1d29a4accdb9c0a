package nango

import (
	"strconv"
	"strings"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
)

// Kind says what went wrong with a Connect link or a call to Nango.
type Kind int

const (
	InvalidLink          Kind = iota + 1 // not a Connect link or token (also Nango's invalid_connect_session_token_format); see Problem
	InvalidAPIURL                        // the API base is not https, or plain http off this machine; see APISource
	HostNotApproved                      // the link's apiURL names a host the user has not approved: nothing was sent to it
	SessionExpired                       // unknown_connect_session_token: expired (30 min) or deleted
	NotAllowed                           // integration_not_allowed: the link is for other integrations
	NoLatticeIntegration                 // unknown_provider_config(_template), or no Lattice in the app's list
	SeveralIntegrations                  // the link allows more than one Lattice integration: Choices, pick one
	UnknownIntegration                   // the integration chosen is not among Choices
	WrongAuthMode                        // invalid_auth_mode: the app's Lattice integration is not API_KEY
	KeyRefused                           // connection_test_failed, connection_validation_failed, invalid_credentials
	ConnectionGone                       // invalid_connection: the connection a reconnect link was for is gone
	AccountGone                          // unknown_account, plan_not_found: the app's Nango account or plan
	EndUserGone                          // not_found on the session: the end user the link was made for
	Forbidden                            // forbidden: the session may not do this (a scope the app did not grant)
	NoEndUser                            // invalid_body from GET /connect/session: the app made the session without an end user
	Bug                                  // invalid_body, invalid_query_params, 415 and the like on our requests
	RateLimited                          // 429
	Refused                              // any other refusal that carries a Nango error code
	ServerError                          // 5xx
	Unreachable                          // DNS, connect, TLS, dropped connection; see Cause
	Timeout                              // no complete answer within the call's budget
	Unexpected                           // an answer that is not what Nango sends
)

var kindNames = map[Kind]string{
	InvalidLink: "invalid_link", InvalidAPIURL: "invalid_api_url", HostNotApproved: "host_not_approved",
	SessionExpired: "session_expired", NotAllowed: "not_allowed", NoLatticeIntegration: "no_lattice_integration",
	SeveralIntegrations: "several_integrations", UnknownIntegration: "unknown_integration",
	WrongAuthMode: "wrong_auth_mode", KeyRefused: "key_refused", ConnectionGone: "connection_gone",
	AccountGone: "account_gone", EndUserGone: "end_user_gone", Forbidden: "forbidden", NoEndUser: "no_end_user",
	Bug: "bug", RateLimited: "rate_limited", Refused: "refused", ServerError: "server_error",
	Unreachable: "unreachable", Timeout: "timeout", Unexpected: "unexpected",
}

// Kinds is every Kind, for tests that check each has its words.
func Kinds() []Kind {
	var ks []Kind
	for k := InvalidLink; k <= Unexpected; k++ {
		ks = append(ks, k)
	}
	return ks
}

// String is a stable snake_case name, for JSON output and tests.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "kind_" + strconv.Itoa(int(k))
}

// kindOfCode maps Nango's error codes (read in packages/shared/lib/utils/error.ts,
// packages/server/lib/middleware/access.middleware.ts,
// packages/server/lib/controllers/connect/getSession.ts and
// packages/server/lib/controllers/auth/postApiKey.ts) to what happened.
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
	"unknown_account":                      AccountGone,
	"plan_not_found":                       AccountGone,
	"not_found":                            EndUserGone,
	"forbidden":                            Forbidden,
	"invalid_body":                         Bug,
	"invalid_query_params":                 Bug,
	"invalid_uri_params":                   Bug,
	"invalid_content_type":                 Bug,
	"missing_auth_header":                  Bug,
	"malformed_auth_header":                Bug,
	"missing_public_key":                   Bug,
	"too_many_request":                     RateLimited,
}

// Call says which request failed.
type Call int

const (
	CallSession      Call = iota + 1 // GET /connect/session
	CallIntegrations                 // GET /integrations
	CallHandOff                      // POST /api-auth/api-key/…: the key was sent
)

// LinkProblem says what is wrong with a pasted link, for InvalidLink.
type LinkProblem int

const (
	LinkRefused   LinkProblem = iota // Nango's own invalid_connect_session_token_format
	LinkEmpty                        // nothing was given
	LinkNotALink                     // neither a Connect link nor a session token
	LinkNoToken                      // a URL without session_token: cut short
	LinkTwoTokens                    // more than one session_token
	LinkTwoAPIs                      // more than one apiURL
	LinkBadToken                     // a token not in Nango's format; TokenLength says how long it was
	LinkBadQuery                     // a query with a ';' or a broken %-escape: a part of it cannot be read
)

// Error is every failure of this package: facts, which link words for each
// face. Nothing in it holds the session token or the API key: Nango's code
// and message are checked, cleaned and redacted before they are kept, and
// transport errors lose the request URL.
type Error struct {
	Kind        Kind
	Call        Call          // which request; 0 for link parsing
	Host        string        // Nango's API host, cleaned (ASCII)
	APISource   APISource     // where the API came from, for InvalidAPIURL and HostNotApproved
	Status      int           // the HTTP status, when there was an answer
	Code        string        // Nango's error code, when it is one (lower case and _); empty when none
	Message     string        // Nango's message, cleaned and redacted; empty when none
	Detail      string        // what this package found wrong, for InvalidAPIURL and Unexpected
	Problem     LinkProblem   // for InvalidLink
	TokenLength int           // for LinkBadToken
	Allowed     []string      // for NotAllowed: the integrations the link is for, when known
	Choices     []Integration // for SeveralIntegrations and UnknownIntegration: the Lattice integrations offered
	Chosen      string        // for UnknownIntegration: what was asked for, cleaned
	RetryAfter  time.Duration // for RateLimited
	Cause       apihttp.Cause // for Unreachable and Timeout
	Budget      time.Duration // for Timeout: the time allowed
	// Reconnect is set on a hand-off's error when the link was a reconnect
	// one: a refused key then stays on the app's existing connection, which
	// Nango marks failed (a new connection is deleted instead).
	Reconnect bool
	// Uncertain is set when the hand-off failed after the request may have
	// reached Nango (a timeout, a dropped connection, a server error): the
	// app may already hold the key, and a blind second try could give it
	// two connections.
	Uncertain bool
	Err       error // the cause, for errors.Is; never shown raw
}

// FailureKind is the Kind, for apihttp.KindOf.
func (e *Error) FailureKind() Kind { return e.Kind }

// KeySent reports whether the key was sent to Nango (the POST was tried):
// only then did Lattice see it first, since the key is checked with
// Lattice right before it is posted.
func (e *Error) KeySent() bool { return e.Call == CallHandOff }

// Error is a short, factual line; link words each Kind for the faces.
func (e *Error) Error() string {
	s := "nango: " + e.Kind.String()
	if e.Host != "" {
		s += " at " + e.Host
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
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of an error from this package, or 0.
func KindOf(err error) Kind { return apihttp.KindOf[Kind](err) }
