// Package lattice talks to Lattice's public API: it checks a key with
// GET /v1/me, checks SCIM, and turns every failure into a typed *Error that
// says what happened without ever containing the key.
package lattice

import (
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

	"github.com/lattice-link/lattice-link/baseurl"
	"github.com/lattice-link/lattice-link/netfail"
	"github.com/lattice-link/lattice-link/sanitize"
)

// MaxBody is the most of any answer that is read.
const MaxBody = 1 << 20

// Endpoint is one API host and the region it serves.
type Endpoint struct {
	Region Region
	URL    string // base URL without a trailing slash
}

// Host is the endpoint's host name, for messages.
func (e Endpoint) Host() string {
	if u, err := url.Parse(e.URL); err == nil {
		return u.Host
	}
	return e.URL
}

// User is who a key belongs to, as GET /v1/me tells.
type User struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	PreferredName string `json:"preferredName"`
	Email         string `json:"email"`
	Title         string `json:"title"`
	Status        string `json:"status"`
	IsAdmin       bool   `json:"isAdmin"`
}

// Identity is the result of a successful check.
type Identity struct {
	User     User
	Endpoint Endpoint // where the key worked
	// SwitchedRegion is set when the key was rejected in the chosen region
	// and accepted in the other one.
	SwitchedRegion bool
}

// SCIM is what the SCIM check found.
type SCIM struct {
	Enabled bool
	Status  int // the HTTP status Lattice answered with
}

// Options configure a Client.
type Options struct {
	Region Region
	APIURL string // when set, the only host used: no region fallback
	// RegionURLs replaces Lattice's host for each region, keeping the
	// fallback between them: for the demo and tests, whose stand-in serves
	// both regions. Both regions must be given; APIURL wins over it.
	RegionURLs map[Region]string
	Version    string // for the User-Agent
	HTTP       *http.Client
}

// Client checks keys with Lattice. Its zero-valued tuning fields take the
// defaults below; tests shorten them.
type Client struct {
	Primary Endpoint
	// Alternate is tried once when Primary rejects a key (401); nil when
	// --api-url pins the host.
	Alternate *Endpoint

	UserAgent   string
	HTTP        *http.Client
	MaxAttempts int           // default 3
	Budget      time.Duration // all attempts and waits of one Verify; default 20 s
	// SCIMBudget is CheckSCIM's Budget, shorter because SCIM is an extra
	// asked for after the key already passed: default 10 s.
	SCIMBudget time.Duration
	// AnswerTimeout is how long one attempt waits for Lattice to answer in
	// full; default 15 s. A timed-out attempt is not retried: what is left
	// of the budget would not be enough for another.
	AnswerTimeout time.Duration
	// MaxRetryWait is the longest Retry-After that is waited out before
	// trying again; a longer one is reported at once; default 10 s.
	MaxRetryWait time.Duration
	Backoff      time.Duration // first wait after a 5xx or dropped connection; default 400 ms
}

// Defaults of the Client's tuning fields.
const (
	DefaultBudget        = 20 * time.Second
	DefaultSCIMBudget    = 10 * time.Second
	DefaultAnswerTimeout = 15 * time.Second
	DefaultMaxRetryWait  = 10 * time.Second
)

// New builds a client for a region, or for the --api-url override.
func New(o Options) (*Client, error) {
	region := o.Region
	if region == "" {
		region = US
	}
	c := &Client{UserAgent: "lattice-link/" + o.Version, HTTP: o.HTTP}
	switch {
	case o.APIURL != "":
		u, err := ParseAPIURL(o.APIURL)
		if err != nil {
			return nil, err
		}
		c.Primary = Endpoint{Region: region, URL: u}
	case o.RegionURLs != nil:
		hosts := map[Region]string{}
		for _, r := range []Region{region, region.Other()} {
			u, err := baseurl.Parse(o.RegionURLs[r], "the "+r.Label()+" host", Hosts[r])
			if err != nil {
				return nil, err
			}
			hosts[r] = u
		}
		c.Primary = Endpoint{Region: region, URL: hosts[region]}
		c.Alternate = &Endpoint{Region: region.Other(), URL: hosts[region.Other()]}
	default:
		c.Primary = Endpoint{Region: region, URL: Hosts[region]}
		c.Alternate = &Endpoint{Region: region.Other(), URL: Hosts[region.Other()]}
	}
	if c.HTTP == nil {
		c.HTTP = NewHTTPClient()
	}
	return c, nil
}

// NewHTTPClient is an HTTP client that honours HTTPS_PROXY and never follows
// a redirect, so the Authorization header cannot be led to another host.
// It sets no answer timeout of its own: the Client bounds each attempt, so
// that a timeout is reported with the time that was really allowed.
func NewHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = httpsProxyOnly
	return &http.Client{
		Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// httpsProxyOnly is the proxy from the environment for https requests and
// none for plain http. Plain http is only allowed to a loopback address,
// which Go already never proxies; this keeps it so whatever Go does, since a
// plain-http request through a proxy hands the proxy the key in clear.
func httpsProxyOnly(r *http.Request) (*url.URL, error) {
	if r.URL.Scheme != "https" {
		return nil, nil
	}
	return http.ProxyFromEnvironment(r)
}

// Verify asks Lattice who the key belongs to. A key rejected in the chosen
// region is tried once in the other, unless the host is pinned.
func (c *Client) Verify(ctx context.Context, key string) (Identity, error) {
	id, err := c.VerifyAt(ctx, key, c.Primary)
	if KindOf(err) != Rejected || c.Alternate == nil {
		return id, err
	}
	alt, altErr := c.VerifyAt(ctx, key, *c.Alternate)
	if altErr == nil {
		alt.SwitchedRegion = true
		return alt, nil
	}
	var e *Error
	if KindOf(altErr) == Rejected && errors.As(err, &e) {
		both := *e
		both.BothRegions = true
		return id, &both
	}
	return id, err
}

// VerifyAt is Verify at one endpoint, without fallback.
func (c *Client) VerifyAt(ctx context.Context, key string, ep Endpoint) (Identity, error) {
	res, err := c.get(ctx, ep, "/v1/me", "application/json", key, or(c.Budget, DefaultBudget))
	if err != nil {
		return Identity{}, err
	}
	if err := statusError(ep, res); err != nil {
		return Identity{}, err
	}
	var u User
	if err := json.Unmarshal(res.body, &u); err != nil || (u.ID == "" && u.Email == "") {
		return Identity{}, &Error{Kind: Unexpected, Host: ep.Host(), Status: res.status,
			Detail: "the answer is not the user record Lattice sends" + contentTypeNote(res.contentType)}
	}
	u.ID = sanitize.Line(u.ID, 80)
	u.Name = sanitize.Line(u.Name, 120)
	u.PreferredName = sanitize.Line(u.PreferredName, 120)
	u.Email = sanitize.Line(u.Email, 200)
	u.Title = sanitize.Line(u.Title, 120)
	u.Status = sanitize.Line(u.Status, 20)
	return Identity{User: u, Endpoint: ep}, nil
}

// CheckSCIM asks Lattice's SCIM API for one user. Any answer but 2xx or 401
// means SCIM is not available for this key (most often: not enabled). It
// gives up after SCIMBudget with an *Error, so that a SCIM endpoint that
// never answers costs the caller a bounded wait and leaves a reason to show
// (see ExplainSCIM).
func (c *Client) CheckSCIM(ctx context.Context, key string, ep Endpoint) (SCIM, error) {
	res, err := c.get(ctx, ep, "/scim/v2/Users?startIndex=1&count=1", "application/scim+json", key,
		or(c.SCIMBudget, DefaultSCIMBudget))
	if err != nil {
		return SCIM{}, err
	}
	switch {
	case res.status == http.StatusUnauthorized:
		return SCIM{}, statusError(ep, res)
	case res.status >= 200 && res.status < 300:
		return SCIM{Enabled: true, Status: res.status}, nil
	default:
		return SCIM{Status: res.status}, nil
	}
}

func statusError(ep Endpoint, res answer) error {
	e := &Error{Host: ep.Host(), Status: res.status}
	switch {
	case res.status >= 200 && res.status < 300:
		return nil
	case res.status == http.StatusUnauthorized:
		e.Kind = Rejected
	case res.status == http.StatusForbidden:
		e.Kind = Forbidden
	case res.status == http.StatusTooManyRequests:
		e.Kind, e.RetryAfter = RateLimited, res.retryAfter
		if res.retryAfter > 0 {
			e.RetryAt = res.at.Add(res.retryAfter)
		}
	case res.status >= 500:
		e.Kind = ServerError
	case res.status >= 300 && res.status < 400:
		e.Kind, e.Detail = Unexpected, "a redirect, which is not followed so the key stays with this host"
	default:
		e.Kind, e.Detail = Unexpected, "status "+strconv.Itoa(res.status)+contentTypeNote(res.contentType)
	}
	return e
}

type answer struct {
	status      int
	contentType string
	retryAfter  time.Duration
	at          time.Time // when the answer came, for the clock time Retry-After points to
	body        []byte
}

// get sends one GET with retries, all within budget: after a 429 it waits
// as Lattice asks (unless that is longer than MaxRetryWait: then the answer
// is reported, since a caller cannot sit through it), after a 5xx or a
// dropped connection it backs off. It never retries 401, 403 or a timeout,
// and every wait ends when ctx does.
func (c *Client) get(ctx context.Context, ep Endpoint, path, accept, key string, budget time.Duration) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = 3
	}
	backoff := or(c.Backoff, 400*time.Millisecond)
	maxRetryWait := or(c.MaxRetryWait, DefaultMaxRetryWait)

	for attempt := 1; ; attempt++ {
		start := time.Now()
		res, err := c.once(ctx, ep, path, accept, key)
		var wait time.Duration
		var reason string
		switch {
		case err != nil:
			if ctx.Err() != nil || !retryable(err) || attempt == attempts {
				return answer{}, c.transportError(ctx, ep, err, key, budget, start)
			}
			wait, reason = backoff<<(attempt-1), "the connection dropped"
		case res.status == http.StatusTooManyRequests:
			if attempt == attempts || res.retryAfter > maxRetryWait {
				return res, nil
			}
			wait, reason = res.retryAfter, "Lattice asked to wait"
			if wait <= 0 {
				wait = backoff << (attempt - 1)
			}
		case res.status >= 500 && attempt < attempts:
			wait, reason = backoff<<(attempt-1), fmt.Sprintf("Lattice answered %d", res.status)
		default:
			return res, nil
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			if err != nil {
				return answer{}, c.transportError(ctx, ep, err, key, budget, start)
			}
			return res, nil // no time left to wait: report what we have
		}
		notifyWait(ctx, Wait{Duration: wait, Reason: reason, Attempt: attempt + 1})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return answer{}, c.transportError(ctx, ep, ctx.Err(), key, budget, start)
		case <-t.C:
		}
	}
}

// once is one attempt, bounded by AnswerTimeout within ctx.
func (c *Client) once(ctx context.Context, ep Endpoint, path, accept, key string) (answer, error) {
	timeout := or(c.AnswerTimeout, DefaultAnswerTimeout)
	actx := ctx
	// When the budget ends first, it alone bounds the attempt, so that a
	// timeout names the one limit that was reached.
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > timeout {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	res, err := c.send(actx, ep, path, accept, key)
	if err != nil && actx != ctx && ctx.Err() == nil && actx.Err() == context.DeadlineExceeded {
		return answer{}, &Error{Kind: Unreachable, Host: ep.Host(), Timeout: timeout, cause: causeTimeout,
			Detail: "no answer within " + within(timeout), Err: err}
	}
	return res, err
}

func (c *Client) send(ctx context.Context, ep Endpoint, path, accept, key string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep.URL+path, nil)
	if err != nil {
		return answer{}, err
	}
	// New only builds clients that pass this, but Primary and Alternate can
	// be set by hand: the key goes in clear to nothing but this machine.
	if req.URL.Scheme != "https" && !baseurl.IsLoopbackIP(req.URL.Hostname()) {
		return answer{}, &Error{Kind: Unexpected, Host: ep.Host(),
			Detail: "the URL is plain http to a host that is not a loopback address, so the key was not sent"}
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.UserAgent)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	now := time.Now()
	res := answer{
		status:      resp.StatusCode,
		contentType: mediaType(resp.Header.Get("Content-Type"), key),
		retryAfter:  netfail.RetryAfter(resp.Header.Get("Retry-After"), now, maxRetryAfter*time.Second),
		at:          now,
		body:        body,
	}
	switch {
	case err != nil && resp.StatusCode >= 200 && resp.StatusCode < 300:
		return answer{}, err // cut off mid-answer: a dropped connection
	case len(body) > MaxBody:
		return answer{}, &Error{Kind: Unexpected, Host: ep.Host(), Status: resp.StatusCode,
			Detail: "the answer is larger than 1 MiB"}
	}
	return res, nil
}

// transportError turns a failed attempt into an *Error. start is when the
// last attempt began, for a timeout that came from below the Client.
func (c *Client) transportError(ctx context.Context, ep Endpoint, err error, key string, budget time.Duration, start time.Time) error {
	var typed *Error
	if errors.As(err, &typed) {
		return typed
	}
	if errors.Is(err, context.Canceled) {
		return context.Canceled
	}
	e := &Error{Kind: Unreachable, Host: ep.Host(), Err: err}
	if strings.Contains(err.Error(), "malformed") {
		e.Kind, e.Detail = Unexpected, "the answer was not valid HTTP"
		return e
	}
	var dnsErr *net.DNSError
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		e.cause, e.Timeout = causeTimeout, budget
		e.Detail = "no answer within " + within(budget)
	case netfail.Timeout(err) || errors.Is(err, context.DeadlineExceeded):
		// A timeout of the transport (a TLS handshake, a caller's own
		// client): say how long it really waited.
		e.cause, e.Timeout = causeTimeout, max(time.Since(start).Round(100*time.Millisecond), time.Millisecond)
		e.Detail = "no answer within " + within(e.Timeout)
	case errors.As(err, &dnsErr):
		e.cause, e.Detail = causeDNS, "the name "+sanitize.Line(dnsErr.Name, 120)+" could not be looked up"
	case errors.Is(err, syscall.ECONNREFUSED):
		e.cause, e.Detail = causeRefused, "the connection was refused"
	case netfail.TLS(err):
		e.cause, e.Detail = causeTLS, "its TLS certificate could not be verified"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET):
		e.Detail = "the connection was closed before Lattice answered"
	default:
		e.Detail = withoutKey(sanitize.Line(netfail.Root(err).Error(), 120), key)
	}
	return e
}

func retryable(err error) bool {
	var dnsErr *net.DNSError
	var typed *Error
	switch {
	case errors.As(err, &typed), errors.As(err, &dnsErr), errors.Is(err, context.Canceled):
		return false
	case netfail.TLS(err), netfail.Timeout(err):
		return false
	}
	return true
}

// maxRetryAfter bounds a Retry-After in seconds: it is only shown, never
// waited out past MaxRetryWait, and a day is past any real rate limit.
const maxRetryAfter = 24 * 60 * 60

// mediaType is the type/subtype of a Content-Type, the one part worth
// showing; parameters are dropped, and so is anything that carries the key,
// since a hostile or broken server can echo the Authorization header there.
func mediaType(ct, key string) string {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if !strings.Contains(mt, "/") || withoutKey(mt, key) != mt {
		return ""
	}
	return mt
}

// withoutKey is s, or a placeholder when s holds the key or a good part of
// it: text from outside (an error of the network stack, an answer) is never
// trusted not to.
func withoutKey(s, key string) string {
	if len(key) >= MinKeyLength && (strings.Contains(s, key) || strings.Contains(s, key[len(key)/2:])) {
		return "(withheld: it contained the key)"
	}
	return s
}

func contentTypeNote(ct string) string {
	if ct == "" {
		return ""
	}
	return " (content type " + sanitize.Line(ct, 60) + ")"
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Wait is a pause between attempts, reported so the screen can say why it
// is still waiting.
type Wait struct {
	Duration time.Duration
	Reason   string
	Attempt  int // the attempt that follows the wait
}

type waitHookKey struct{}

// WithWaitHook returns a context whose client calls report each wait to fn.
func WithWaitHook(ctx context.Context, fn func(Wait)) context.Context {
	return context.WithValue(ctx, waitHookKey{}, fn)
}

func notifyWait(ctx context.Context, w Wait) {
	if fn, ok := ctx.Value(waitHookKey{}).(func(Wait)); ok {
		fn(w)
	}
}
