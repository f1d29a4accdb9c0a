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
// (Nango's Connect UI uses the same default). It is trusted with a key.
const DefaultAPIURL = "https://api.nango.dev"

// TokenPrefix starts every Connect session token.
const TokenPrefix = "nango_connect_session_"

// tokenPattern is Nango's own check (connectSessionTokenSchema in
// packages/server/lib/helpers/validation.ts): checking it here means a
// mistyped token is reported before it is sent anywhere.
var tokenPattern = regexp.MustCompile(`^nango_connect_session_[a-f0-9]{64}$`)

// APISource says where a ConnectLink's API base came from, so a face can
// say which setting to fix when Nango cannot be reached.
type APISource int

const (
	FromDefault APISource = iota // Nango Cloud, https://api.nango.dev
	FromLink                     // the link's apiURL parameter
	FromNamed                    // the API the user named for the run (the caller's named URL)
)

// ConnectLink is a parsed Connect link: a session token and the API it
// belongs to. The token is a credential (it lets anyone attach a connection
// to the app), so nothing a ConnectLink prints, formats, marshals or logs
// contains more than its last four characters. It sits behind a pointer so
// that even a struct holding a ConnectLink in an unexported field, printed
// with %+v, shows an address rather than the token.
type ConnectLink struct {
	token     *string
	apiURL    string
	apiSource APISource
	trusted   bool
}

// ParseLink reads what the user pasted: a Connect link
// (https://connect.nango.dev/?session_token=…[&apiURL=…]) or a bare session
// token. named is the Nango API the user named for this run ("" for none):
// it is the API when the link names none, and naming the same origin the
// link names is what trusts that host.
//
// A link does not choose where a verified key goes: the API is trusted when
// it is Nango Cloud's or the origin the user named; any other host a link's
// apiURL names must be approved by the user (Client.ApproveHost) before the
// client sends it anything. Every error is a *Error of Kind InvalidLink or
// InvalidAPIURL, which callers treat as usage errors, and none contains the
// token.
func ParseLink(raw, named string) (ConnectLink, error) {
	raw = strings.Trim(strings.TrimSpace(raw), `"'<>`)
	var token, linkAPI string
	switch {
	case raw == "":
		return ConnectLink{}, linkError(LinkEmpty, 0)
	case strings.HasPrefix(raw, TokenPrefix) && !strings.ContainsAny(raw, "?&/"):
		token = raw
	default:
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return ConnectLink{}, linkError(LinkNotALink, 0)
		}
		// ParseQuery drops each part it cannot read (one with a ';', which
		// Go no longer takes as a separator, or a broken %-escape) and says
		// so only in its error: a link whose apiURL was dropped would send
		// the key to Nango Cloud unexplained, so such a link is refused.
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return ConnectLink{}, linkError(LinkBadQuery, 0)
		}
		tokens := q["session_token"]
		switch len(tokens) {
		case 0:
			return ConnectLink{}, linkError(LinkNoToken, 0)
		case 1:
			token = tokens[0]
		default:
			return ConnectLink{}, linkError(LinkTwoTokens, 0)
		}
		if apis := q["apiURL"]; len(apis) > 1 {
			return ConnectLink{}, linkError(LinkTwoAPIs, 0)
		} else if len(apis) == 1 {
			linkAPI = apis[0]
		}
	}
	if !tokenPattern.MatchString(token) {
		return ConnectLink{}, linkError(LinkBadToken, len([]rune(token)))
	}

	l := ConnectLink{token: &token, apiURL: DefaultAPIURL, apiSource: FromDefault, trusted: true}
	var namedAPI string
	if strings.TrimSpace(named) != "" {
		u, err := baseurl.Parse(named, "the Nango API named for this run", DefaultAPIURL)
		if err != nil {
			return ConnectLink{}, &Error{Kind: InvalidAPIURL, APISource: FromNamed, Detail: sanitize.Line(redact(err.Error(), token), 300)}
		}
		namedAPI = u
	}
	switch {
	case linkAPI != "":
		api, err := baseurl.Parse(linkAPI, "the link's apiURL", DefaultAPIURL)
		if err != nil {
			// baseurl quotes what it was given, cleaned; a crafted link
			// could have put the token there too.
			return ConnectLink{}, &Error{Kind: InvalidAPIURL, APISource: FromLink, Detail: sanitize.Line(redact(err.Error(), token), 300)}
		}
		l.apiURL, l.apiSource = api, FromLink
		l.trusted = origin(api) == origin(DefaultAPIURL) || namedAPI != "" && origin(api) == origin(namedAPI)
	case namedAPI != "":
		l.apiURL, l.apiSource = namedAPI, FromNamed
	}
	return l, nil
}

func linkError(p LinkProblem, tokenLength int) *Error {
	return &Error{Kind: InvalidLink, Problem: p, TokenLength: tokenLength}
}

// origin is scheme://host[:port] of a URL baseurl returned.
func origin(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	return u.Scheme + "://" + u.Host
}

// IsZero reports whether l was never parsed.
func (l ConnectLink) IsZero() bool { return l.token == nil }

// APIURL is the Nango API base the calls go to, without a trailing slash.
func (l ConnectLink) APIURL() string { return l.apiURL }

// APISource says where APIURL came from.
func (l ConnectLink) APISource() APISource { return l.apiSource }

// Host is the API's host, for messages: ASCII (a non-ASCII name in
// punycode) and free of controls, as baseurl returns it.
func (l ConnectLink) Host() string { return baseurl.Host(l.apiURL) }

// Trusted reports whether the API is one a key may go to without asking:
// Nango Cloud's, or the one the user named for the run.
func (l ConnectLink) Trusted() bool { return l.trusted }

// Tail is the token's last four characters, the most of it ever shown.
func (l ConnectLink) Tail() string {
	if l.token == nil {
		return ""
	}
	return tail(*l.token)
}

// String names the session without revealing it.
func (l ConnectLink) String() string {
	if l.token == nil {
		return "no Nango Connect link"
	}
	return "Nango Connect session …" + l.Tail() + " at " + l.Host()
}

// Format makes every verb (%v, %+v, %#v, %s, %q, %x) print String, so the
// token cannot be printed by accident.
func (l ConnectLink) Format(f fmt.State, verb rune) {
	_, _ = fmt.Fprint(f, l.String())
}

// GoString is String, for %#v through interfaces that check GoStringer.
func (l ConnectLink) GoString() string { return l.String() }

// LogValue keeps the token out of slog output.
func (l ConnectLink) LogValue() slog.Value { return slog.StringValue(l.String()) }

// MarshalText keeps the token out of JSON and other encodings. A
// ConnectLink cannot be read back: a session token is never stored.
func (l ConnectLink) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

func (l ConnectLink) sessionToken() string {
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

// anyToken catches a session token, whole or cut, in text Nango sends back
// (its not-found errors carry the first 32 characters of the token).
var anyToken = regexp.MustCompile(`(?i)nango_connect_session_[A-Za-z0-9…]*`)

// redact removes the given secrets, and anything shaped like a session
// token, from s. A secret's halves are removed too: text from outside may
// carry a part of one. Secrets shorter than 8 characters are left alone:
// replacing them would mangle ordinary words and say more about the secret
// than it hides.
func redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) >= 8 {
			s = replaceFold(s, secret, "…"+tail(secret))
			s = replaceFold(s, secret[:len(secret)/2], "…")
			s = replaceFold(s, secret[len(secret)/2:], "…")
		}
	}
	return anyToken.ReplaceAllString(s, TokenPrefix+"…")
}

// replaceFold replaces old in s whatever its case: an echo may change it.
func replaceFold(s, old, repl string) string {
	if !strings.Contains(strings.ToLower(s), strings.ToLower(old)) {
		return s
	}
	return regexp.MustCompile(`(?i)`+regexp.QuoteMeta(old)).ReplaceAllLiteralString(s, repl)
}
