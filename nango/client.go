// Package nango hands an API key that Lattice accepted to an app built on
// Nango, through the app's Connect link: it reads the Connect session, finds
// the app's Lattice integration and posts the key, as Nango's own Connect UI
// does. Every failure is a typed *Error that says what to do, and neither the
// session token nor the key ever appears in an error, a String or a log.
//
// The calls, fields and error codes were checked against NangoHQ/nango at
// commit 2f4c0af (2026-08-21):
//   - packages/server/lib/controllers/connect/getSession.ts and
//     packages/types/lib/connect/api.ts (GetConnectSession, ConnectSessionOutput),
//     packages/types/lib/endUser/index.ts (ApiEndUser): data.endUser
//     {id, display_name, email, organization {id, display_name}} (endUser may
//     be null), data.allowed_integrations (unique keys), data.isReconnecting;
//   - packages/server/lib/controllers/integrations/getListIntegrations.ts and
//     packages/server/lib/formatters/integration.ts (integrationToPublicApi):
//     data[] {unique_key, provider, display_name, logo, …}, already filtered
//     by the session's allowed integrations;
//   - packages/server/lib/controllers/auth/postApiKey.ts,
//     packages/server/lib/helpers/validation.ts (connectionCredentialsApiKeySchema:
//     a strict {apiKey: 1..1024 chars}) and routes.public.ts
//     (POST /api-auth/api-key/:providerConfigKey, token in
//     ?connect_session_token=, JSON content type or 415): 200
//     {connectionId, providerConfigKey}; a reconnect session updates its
//     connection in place.
package nango

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf16"

	"github.com/lattice-link/lattice-link/netfail"
	"github.com/lattice-link/lattice-link/sanitize"
)

// MaxBody is the most of any answer that is read.
const MaxBody = 1 << 20

// MaxAPIKeyLength is the longest key Nango takes (UTF-16 code units, as
// its JavaScript validation counts).
const MaxAPIKeyLength = 1024

// LatticeProvider is the provider name of Nango's Lattice template.
const LatticeProvider = "lattice"

// validProviderConfigKey is Nango's providerConfigKeySchema
// (^[a-zA-Z0-9~:.@ _-]{1,255}$): a unique key outside it would be refused by
// the POST anyway, and checking it here keeps a hostile answer out of the
// request path. Written out, not a regexp compiled at start-up.
func validProviderConfigKey(k string) bool {
	if len(k) == 0 || len(k) > 255 {
		return false
	}
	for _, c := range []byte(k) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("~:.@ _-", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// Options configure a Client.
type Options struct {
	Version string       // for the User-Agent
	HTTP    *http.Client // nil: NewHTTPClient()
}

// Client makes the Connect-session calls for one link. Its zero-valued
// tuning fields take the defaults below; tests shorten them.
type Client struct {
	link      Link
	UserAgent string
	HTTP      *http.Client
	Budget    time.Duration // each call, its retry and wait included; default 20 s
	Backoff   time.Duration // wait before a GET's one retry; default 400 ms
}

// New builds a client for the session behind link.
func New(link Link, o Options) *Client {
	c := &Client{link: link, UserAgent: "lattice-link/" + o.Version, HTTP: o.HTTP}
	if c.HTTP == nil {
		c.HTTP = NewHTTPClient()
	}
	return c
}

// Link is the link the client was built for.
func (c *Client) Link() Link { return c.link }

// NewHTTPClient honours HTTPS_PROXY and never follows a redirect: the
// session token must not be led to another host.
func NewHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = http.ProxyFromEnvironment
	t.ResponseHeaderTimeout = 15 * time.Second
	return &http.Client{
		Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// EndUser is who the app made the link for.
type EndUser struct {
	ID          string
	Email       string // may be empty
	DisplayName string // may be empty
}

// Organization is the end user's organization in the app, when it gave one.
type Organization struct {
	ID          string
	DisplayName string // may be empty
}

// Session is what GET /connect/session tells about the link.
type Session struct {
	// EndUser is nil when the app made the session with tags only.
	EndUser *EndUser
	// Organization is nil when the app gave none (Nango nests it in endUser).
	Organization *Organization
	// AllowedIntegrations are unique keys; nil means every integration.
	AllowedIntegrations []string
	// IsReconnecting: the link updates one existing connection of the app
	// (its key is rotated) instead of creating a new one.
	IsReconnecting bool
}

// Allows reports whether the session lets the user connect uniqueKey.
func (s Session) Allows(uniqueKey string) bool {
	if s.AllowedIntegrations == nil {
		return true
	}
	for _, k := range s.AllowedIntegrations {
		if k == uniqueKey {
			return true
		}
	}
	return false
}

// Integration is one integration the app offers through the link.
type Integration struct {
	UniqueKey   string // the providerConfigKey the key is posted to
	Provider    string // "lattice" for Lattice
	DisplayName string
}

// Target is where a key will go: the session and the app's Lattice integration.
type Target struct {
	Session     Session
	Integration Integration
}

// Connection is what the hand-off made.
type Connection struct {
	ID                string    // Nango's connection id, which the app uses
	ProviderConfigKey string    // the app's Lattice integration
	Host              string    // Nango's API host
	Updated           bool      // a reconnect link: an existing connection got the new key
	At                time.Time // when Nango confirmed
}

// Session reads the Connect session: who it is for, what it allows, and
// whether it updates an existing connection.
func (c *Client) Session(ctx context.Context) (Session, error) {
	res, err := c.do(ctx, request{call: CallSession, method: http.MethodGet, path: "/connect/session"})
	if err != nil {
		return Session{}, err
	}
	var body struct {
		Data *struct {
			EndUser *struct {
				ID           string  `json:"id"`
				DisplayName  *string `json:"display_name"`
				Email        *string `json:"email"`
				Organization *struct {
					ID          string  `json:"id"`
					DisplayName *string `json:"display_name"`
				} `json:"organization"`
			} `json:"endUser"`
			AllowedIntegrations []string `json:"allowed_integrations"`
			IsReconnecting      bool     `json:"isReconnecting"`
		} `json:"data"`
	}
	if err := json.Unmarshal(res.body, &body); err != nil || body.Data == nil {
		return Session{}, c.unexpected(CallSession, res, "the answer is not the Connect session Nango sends")
	}
	d := body.Data
	s := Session{IsReconnecting: d.IsReconnecting}
	if d.EndUser != nil {
		s.EndUser = &EndUser{
			ID:          c.clean(d.EndUser.ID, 120),
			Email:       c.clean(deref(d.EndUser.Email), 200),
			DisplayName: c.clean(deref(d.EndUser.DisplayName), 120),
		}
		if o := d.EndUser.Organization; o != nil {
			s.Organization = &Organization{ID: c.clean(o.ID, 120), DisplayName: c.clean(deref(o.DisplayName), 120)}
		}
	}
	if d.AllowedIntegrations != nil {
		// Kept raw for comparison with unique keys; each is checked against
		// Nango's key pattern, which leaves nothing to clean.
		s.AllowedIntegrations = make([]string, 0, len(d.AllowedIntegrations))
		for _, k := range d.AllowedIntegrations {
			if validProviderConfigKey(k) {
				s.AllowedIntegrations = append(s.AllowedIntegrations, k)
			}
		}
	}
	return s, nil
}

// Integrations lists the integrations the link offers (Nango filters them
// by the session's allowed integrations).
func (c *Client) Integrations(ctx context.Context) ([]Integration, error) {
	res, err := c.do(ctx, request{call: CallIntegrations, method: http.MethodGet, path: "/integrations"})
	if err != nil {
		return nil, err
	}
	var body struct {
		Data *[]struct {
			UniqueKey   string `json:"unique_key"`
			Provider    string `json:"provider"`
			DisplayName string `json:"display_name"`
		} `json:"data"`
	}
	if err := json.Unmarshal(res.body, &body); err != nil || body.Data == nil {
		return nil, c.unexpected(CallIntegrations, res, "the answer is not the list of integrations Nango sends")
	}
	list := make([]Integration, 0, len(*body.Data))
	for _, i := range *body.Data {
		if !validProviderConfigKey(i.UniqueKey) {
			continue // Nango would refuse to post to it
		}
		list = append(list, Integration{
			UniqueKey:   i.UniqueKey,
			Provider:    c.clean(i.Provider, 80),
			DisplayName: c.clean(i.DisplayName, 120),
		})
	}
	return list, nil
}

// PickLattice chooses the app's Lattice integration: provider "lattice",
// allowed by the session; among several, the one keyed "lattice", else the
// first Nango listed. The key it is posted to is its UniqueKey, which is
// often but not always "lattice".
func PickLattice(list []Integration, s Session) (Integration, error) {
	var lattice, allowed []Integration
	for _, i := range list {
		if i.Provider != LatticeProvider {
			continue
		}
		lattice = append(lattice, i)
		if s.Allows(i.UniqueKey) {
			allowed = append(allowed, i)
		}
	}
	switch {
	case len(allowed) > 0:
		for _, i := range allowed {
			if i.UniqueKey == LatticeProvider {
				return i, nil
			}
		}
		return allowed[0], nil
	case len(lattice) > 0 || len(s.AllowedIntegrations) > 0:
		// Either Nango listed Lattice but the session excludes it, or the
		// session names integrations and Lattice is not among them: both
		// mean the link was made for something else.
		return Integration{}, &Error{Kind: NotAllowed, Allowed: cleanAll(s.AllowedIntegrations, 8)}
	default:
		return Integration{}, &Error{Kind: NoLatticeIntegration}
	}
}

// Lookup reads the session and finds the app's Lattice integration: all a
// screen needs to say where the key will go before it is sent.
func (c *Client) Lookup(ctx context.Context) (Target, error) {
	s, err := c.Session(ctx)
	if err != nil {
		return Target{}, err
	}
	list, err := c.Integrations(ctx)
	if err != nil {
		return Target{}, err
	}
	i, err := PickLattice(list, s)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Host = c.link.Host()
		}
		return Target{}, err
	}
	return Target{Session: s, Integration: i}, nil
}

// HandOff posts apiKey to the target integration, exactly once: a POST that
// failed after it may have reached Nango is reported (Error.Uncertain), never
// repeated, because a repeated success can create a second connection.
// (net/http itself resends a POST only when none of it was written.)
// The key should already have passed Lattice's check: Nango's Lattice
// template verifies nothing and stores any string.
func (c *Client) HandOff(ctx context.Context, t Target, apiKey string) (Connection, error) {
	host := c.link.Host()
	if n := utf16Len(apiKey); n == 0 || n > MaxAPIKeyLength {
		return Connection{}, &Error{Kind: KeyRefused, Call: CallHandOff, Host: host,
			Message: fmt.Sprintf("Nango takes keys of 1 to %d characters", MaxAPIKeyLength)}
	}
	key := t.Integration.UniqueKey
	if !validProviderConfigKey(key) {
		return Connection{}, &Error{Kind: NoLatticeIntegration, Call: CallHandOff, Host: host}
	}
	body, err := encodeAPIKey(apiKey)
	if err != nil {
		return Connection{}, &Error{Kind: Bug, Call: CallHandOff, Host: host, Detail: "the key could not be encoded"}
	}
	res, err := c.do(ctx, request{
		call:   CallHandOff,
		method: http.MethodPost,
		path:   "/api-auth/api-key/" + url.PathEscape(key),
		query:  url.Values{"connect_session_token": {c.link.sessionToken()}},
		body:   body,
		apiKey: apiKey,
	})
	if err != nil {
		return Connection{}, err
	}
	var answer struct {
		ConnectionID      string `json:"connectionId"`
		ProviderConfigKey string `json:"providerConfigKey"`
	}
	if err := json.Unmarshal(res.body, &answer); err != nil || answer.ConnectionID == "" {
		e := c.unexpected(CallHandOff, res, "the answer does not name the connection Nango made")
		e.Uncertain = true
		return Connection{}, e
	}
	conn := Connection{
		ID:                c.clean(answer.ConnectionID, 200),
		ProviderConfigKey: c.clean(answer.ProviderConfigKey, 255),
		Host:              host,
		Updated:           t.Session.IsReconnecting,
		At:                time.Now(),
	}
	if conn.ProviderConfigKey == "" {
		conn.ProviderConfigKey = key
	}
	return conn, nil
}

// encodeAPIKey writes exactly {"apiKey":"…"}: Nango's schema is strict, and
// HTML escaping is off so the key's characters go as they are.
func encodeAPIKey(apiKey string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		APIKey string `json:"apiKey"`
	}{apiKey}); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

type request struct {
	call   Call
	method string
	path   string
	query  url.Values
	body   []byte // set only for the POST, which then carries the token in query
	apiKey string // to redact from anything Nango echoes
}

type answer struct {
	status      int
	contentType string
	retryAfter  time.Duration
	body        []byte
}

// do sends one request under the call's budget. A GET is tried once more
// after a dropped connection or a 5xx; the POST never is. Every non-2xx
// answer becomes an *Error.
func (c *Client) do(ctx context.Context, r request) (answer, error) {
	if c.link.IsZero() {
		return answer{}, linkError("no Connect link was given")
	}
	budget := positive(c.Budget, 20*time.Second)
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	attempts := 2
	if r.method != http.MethodGet {
		attempts = 1
	}
	for attempt := 1; ; attempt++ {
		res, err := c.once(ctx, r)
		var retry bool
		switch {
		case err != nil:
			retry = ctx.Err() == nil && retryable(err)
		case res.status >= 500:
			retry = true
		}
		if !retry || attempt == attempts {
			if err != nil {
				return answer{}, c.transportError(ctx, r, err, budget)
			}
			return res, c.statusError(r, res)
		}
		wait := positive(c.Backoff, 400*time.Millisecond)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			if err != nil {
				return answer{}, c.transportError(ctx, r, err, budget)
			}
			return res, c.statusError(r, res)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return answer{}, c.transportError(ctx, r, ctx.Err(), budget)
		case <-t.C:
		}
	}
}

func (c *Client) once(ctx context.Context, r request) (answer, error) {
	target := c.link.APIURL() + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, body)
	if err != nil {
		// Its text would hold the URL, and with it the token.
		return answer{}, &Error{Kind: Bug, Call: r.call, Host: c.link.Host(), Detail: "the request could not be built"}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.UserAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Header.Set("Authorization", "Bearer "+c.link.sessionToken())
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	switch {
	case err != nil:
		return answer{}, err // cut off mid-answer: a dropped connection
	case len(data) > MaxBody:
		return answer{}, &Error{Kind: Unexpected, Call: r.call, Host: c.link.Host(), Status: resp.StatusCode,
			Detail: "the answer is larger than 1 MiB"}
	}
	return answer{
		status:      resp.StatusCode,
		contentType: resp.Header.Get("Content-Type"),
		retryAfter:  netfail.RetryAfter(resp.Header.Get("Retry-After"), time.Now(), time.Hour),
		body:        data,
	}, nil
}

func (c *Client) statusError(r request, res answer) error {
	if res.status >= 200 && res.status < 300 {
		return nil
	}
	e := &Error{Call: r.call, Host: c.link.Host(), Status: res.status}
	var body struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(res.body, &body) == nil && body.Error != nil {
		e.Code = c.clean(body.Error.Code, 60)
		e.Message = c.clean(redact(body.Error.Message, r.apiKey), 200)
	}
	kind, known := kindOfCode[e.Code]
	switch {
	case res.status >= 500:
		e.Kind = ServerError
	case res.status == http.StatusTooManyRequests:
		e.Kind, e.RetryAfter = RateLimited, res.retryAfter
	case res.status == http.StatusUnsupportedMediaType:
		e.Kind = Bug
	case known:
		e.Kind = kind
	case res.status >= 300 && res.status < 400:
		e.Kind, e.Detail = Unexpected, "a redirect, which is not followed so the link's token stays with this host"
	case e.Code != "":
		e.Kind = Refused
	default:
		e.Kind, e.Detail = Unexpected, "status "+strconv.Itoa(res.status)+" without a Nango error"+contentTypeNote(res.contentType)
	}
	// The request may have reached Nango's handler only when the answer
	// is a server error: every coded refusal comes before anything is saved.
	e.Uncertain = r.method == http.MethodPost && e.Kind == ServerError
	return e
}

func (c *Client) unexpected(call Call, res answer, detail string) *Error {
	return &Error{Kind: Unexpected, Call: call, Host: c.link.Host(), Status: res.status,
		Detail: detail + contentTypeNote(res.contentType)}
}

// clean makes a string from Nango safe to show and to keep.
func (c *Client) clean(s string, limit int) string {
	return sanitize.Line(redact(s, c.link.sessionToken()), limit)
}

func (c *Client) transportError(ctx context.Context, r request, err error, budget time.Duration) error {
	var typed *Error
	if errors.As(err, &typed) {
		return typed
	}
	if errors.Is(err, context.Canceled) {
		return context.Canceled
	}
	// *url.Error carries the full URL, query and token included: keep
	// only what it wraps.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	e := &Error{Kind: Unreachable, Call: r.call, Host: c.link.Host(), Err: err}
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded || netfail.Timeout(err):
		e.Kind, e.Detail = Timeout, "no complete answer within "+roundBudget(budget).String()
	case strings.Contains(err.Error(), "malformed"):
		e.Kind, e.Detail = Unexpected, "the answer was not valid HTTP"
	case errors.As(err, &dnsErr):
		e.Detail = "the name " + sanitize.Line(dnsErr.Name, 100) + " could not be looked up"
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Detail = "the connection was refused"
	case netfail.TLS(err):
		e.Detail = "its TLS certificate could not be verified"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET):
		e.Detail = "the connection was closed before Nango answered"
	default:
		e.Detail = sanitize.Line(redact(netfail.Root(err).Error(), r.apiKey, c.link.sessionToken()), 120)
	}
	e.Uncertain = r.method == http.MethodPost && !neverSent(err)
	return e
}

// neverSent reports errors that happen before a request leaves: then a
// failed POST certainly made no connection.
func neverSent(err error) bool {
	var op *net.OpError
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) || (errors.As(err, &op) && op.Op == "dial") ||
		errors.Is(err, syscall.ECONNREFUSED) || netfail.TLS(err)
}

func retryable(err error) bool {
	var dnsErr *net.DNSError
	var typed *Error
	switch {
	case errors.As(err, &typed), errors.As(err, &dnsErr), errors.Is(err, context.Canceled), netfail.TLS(err):
		return false
	}
	return true
}

func contentTypeNote(ct string) string {
	if ct == "" {
		return ""
	}
	return " (content type " + sanitize.Line(ct, 60) + ")"
}

func cleanAll(list []string, limit int) []string {
	var out []string
	for i, s := range list {
		if i == limit {
			out = append(out, "…")
			break
		}
		out = append(out, sanitize.Line(s, 60))
	}
	return out
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func roundBudget(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Second)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func positive(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
