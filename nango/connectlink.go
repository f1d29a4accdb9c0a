package nango

import (
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"

	"github.com/lattice-link/lattice-link/baseurl"
	"github.com/lattice-link/lattice-link/sanitize"
)

// DefaultAPIURL is Nango Cloud's API, which a link without apiURL talks to
// (Nango's Connect UI uses the same default).
const DefaultAPIURL = "https://api.nango.dev"

// TokenPrefix starts every Connect session token.
const TokenPrefix = "nango_connect_session_"

// tokenPattern is Nango's own check (connectSessionTokenSchema in
// packages/server/lib/helpers/validation.ts): checking it here means a
// mistyped token is reported before it is sent anywhere.
var tokenPattern = regexp.MustCompile(`^nango_connect_session_[a-f0-9]{64}$`)

// APISource says where a Link's API base came from, so a screen can tell
// the user which setting to fix when Nango cannot be reached.
type APISource int

const (
	FromDefault  APISource = iota // https://api.nango.dev
	FromLink                      // the link's apiURL parameter
	FromFallback                  // the caller's --nango-url / NANGO_SERVER_URL
)

func (s APISource) String() string {
	switch s {
	case FromLink:
		return "the link's apiURL"
	case FromFallback:
		return "--nango-url (NANGO_SERVER_URL)"
	default:
		return "Nango Cloud's default"
	}
}

// Link is a parsed Connect link: a session token and the API it belongs to.
// The token is a credential (it lets anyone attach a connection to the
// app), so nothing a Link prints, formats, marshals or logs contains more
// than its last four characters. It sits behind a pointer so that even a
// struct holding a Link in an unexported field, printed with %+v, shows an
// address rather than the token.
type Link struct {
	token     *string
	apiURL    string
	apiSource APISource
}

// ParseLink reads what the user pasted: a Connect link
// (https://connect.nango.dev/?session_token=…[&apiURL=…]) or a bare session
// token. The API base is the link's apiURL, else fallbackAPIURL (from
// --nango-url or NANGO_SERVER_URL; may be empty), else DefaultAPIURL, and must
// pass baseurl.Parse. Every error is a *Error of Kind InvalidLink or
// InvalidAPIURL, which callers treat as usage errors, and none contains the
// token.
func ParseLink(raw, fallbackAPIURL string) (Link, error) {
	raw = strings.Trim(strings.TrimSpace(raw), `"'<>`)
	var token, linkAPI string
	switch {
	case raw == "":
		return Link{}, linkError("no Connect link was given")
	case strings.HasPrefix(raw, TokenPrefix) && !strings.ContainsAny(raw, "?&/"):
		token = raw
	default:
		// url.Parse's own errors quote the input, token and all: they are
		// never passed on.
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Link{}, linkError("that is neither a Nango Connect link (https://connect.nango.dev/?session_token=…) nor a session token")
		}
		q := u.Query()
		tokens := q["session_token"]
		switch len(tokens) {
		case 0:
			return Link{}, linkError("the link has no session_token: copy the whole link, up to its end")
		case 1:
			token = tokens[0]
		default:
			return Link{}, linkError("the link has more than one session_token")
		}
		if apis := q["apiURL"]; len(apis) > 1 {
			return Link{}, linkError("the link has more than one apiURL")
		} else if len(apis) == 1 {
			linkAPI = apis[0]
		}
	}
	if !tokenPattern.MatchString(token) {
		return Link{}, linkError(fmt.Sprintf("the session token is not in Nango's format (%s and 64 hex digits; this one has %d characters): copy it again, in one piece",
			TokenPrefix, len([]rune(token))))
	}

	l := Link{token: &token, apiURL: DefaultAPIURL, apiSource: FromDefault}
	var from string
	switch {
	case linkAPI != "":
		l.apiSource, from = FromLink, "the link's apiURL"
	case strings.TrimSpace(fallbackAPIURL) != "":
		l.apiSource, from, linkAPI = FromFallback, "--nango-url (NANGO_SERVER_URL)", fallbackAPIURL
	default:
		return l, nil
	}
	api, err := baseurl.Parse(linkAPI, from, DefaultAPIURL)
	if err != nil {
		// baseurl quotes what it was given; a crafted link could have put the
		// token there too.
		return Link{}, &Error{Kind: InvalidAPIURL, Detail: sanitize.Line(redact(err.Error(), token), 300)}
	}
	l.apiURL = api
	return l, nil
}

func linkError(detail string) *Error {
	return &Error{Kind: InvalidLink, Detail: detail}
}

// IsZero reports whether l was never parsed.
func (l Link) IsZero() bool { return l.token == nil }

// APIURL is the Nango API base the calls go to, without a trailing slash.
func (l Link) APIURL() string { return l.apiURL }

// APISource says where APIURL came from.
func (l Link) APISource() APISource { return l.apiSource }

// Host is the API's host, for messages.
func (l Link) Host() string { return hostOf(l.apiURL) }

// Tail is the token's last four characters, the most of it ever shown.
func (l Link) Tail() string {
	if l.token == nil {
		return ""
	}
	return tail(*l.token)
}

// String names the session without revealing it.
func (l Link) String() string {
	if l.token == nil {
		return "no Nango Connect link"
	}
	return "Nango Connect session …" + l.Tail() + " at " + l.Host()
}

// Format makes every verb (%v, %+v, %#v, %s, %q, %x) print String, so the
// token cannot be printed by accident.
func (l Link) Format(f fmt.State, verb rune) {
	_, _ = fmt.Fprint(f, l.String())
}

// GoString is String, for %#v through interfaces that check GoStringer.
func (l Link) GoString() string { return l.String() }

// LogValue keeps the token out of slog output.
func (l Link) LogValue() slog.Value { return slog.StringValue(l.String()) }

// MarshalText keeps the token out of JSON and other encodings. A Link
// cannot be read back: a session token is never stored.
func (l Link) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

func (l Link) sessionToken() string {
	if l.token == nil {
		return ""
	}
	return *l.token
}

func tail(s string) string {
	r := []rune(s)
	if len(r) <= 8 {
		return "?"
	}
	return string(r[len(r)-4:])
}

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}

// anyToken catches a session token, whole or cut, in text Nango sends back
// (its not-found errors carry the first 32 characters of the token).
var anyToken = regexp.MustCompile(`nango_connect_session_[A-Za-z0-9]*`)

// redact removes the given secrets and anything shaped like a session token
// from s. Secrets shorter than 8 characters are left alone: replacing them
// would mangle ordinary words and say more about the secret than it hides.
func redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) >= 8 {
			s = strings.ReplaceAll(s, secret, "…"+tail(secret))
		}
	}
	return anyToken.ReplaceAllString(s, TokenPrefix+"…")
}
