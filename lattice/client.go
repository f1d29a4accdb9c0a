// Package lattice talks to Lattice's public API: it checks a key with
// GET /v1/me, checks SCIM, and turns every failure into a typed *Error that
// says what happened without ever containing the key.
package lattice

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/baseurl"
	"github.com/lattice-link/lattice-link/sanitize"
)

// MaxBody is the most of any answer that is read.
const MaxBody = apihttp.MaxBody

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
	// APIURLFrom names what gave APIURL, as messages say it: "--api-url"
	// (also when empty) or "LATTICE_API_URL".
	APIURLFrom string
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
	// APIURLFrom names what pinned the host ("--api-url",
	// "LATTICE_API_URL"), for advice to name it; see PinnedBy.
	APIURLFrom string

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
		u, err := ParseAPIURL(o.APIURL, o.APIURLFrom)
		if err != nil {
			return nil, err
		}
		c.Primary = Endpoint{Region: region, URL: u}
		c.APIURLFrom = o.APIURLFrom
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

// Pinned reports whether the client asks one host only, with no other
// region to try: the host was given (an API URL), not chosen by region.
func (c *Client) Pinned() bool { return c.Alternate == nil }

// PinnedBy names what gave the pinned host, as advice says it:
// "--api-url" unless the client was told otherwise (LATTICE_API_URL).
func (c *Client) PinnedBy() string {
	if c == nil {
		return apiURLName("")
	}
	return apiURLName(c.APIURLFrom)
}

// RegionOf is the region host serves when the client chose it by region;
// "" for a pinned host, whose region is not worth naming.
func (c *Client) RegionOf(host string) Region {
	if c.Pinned() {
		return ""
	}
	for _, ep := range []Endpoint{c.Primary, *c.Alternate} {
		if ep.Host() == host {
			return ep.Region
		}
	}
	return ""
}

// NewHTTPClient is the shared HTTP layer's client (apihttp.NewClient): it
// honours HTTPS_PROXY for https only and never follows a redirect, so the
// Authorization header cannot be led to another host.
func NewHTTPClient() *http.Client { return apihttp.NewClient() }

// Verify asks Lattice who the key belongs to. A key rejected in the chosen
// region is tried once in the other, unless the host is pinned.
func (c *Client) Verify(ctx context.Context, key string) (Identity, error) {
	id, err := c.VerifyAt(ctx, key, c.Primary)
	if KindOf(err) != Rejected || c.Pinned() {
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
	if err := json.Unmarshal(res.Body, &u); err != nil || (u.ID == "" && u.Email == "") {
		return Identity{}, &Error{Kind: Unexpected, Host: ep.Host(), Status: res.Status,
			Detail: "the answer is not the user record Lattice sends" + apihttp.ContentTypeNote(res.MediaType)}
	}
	// What Lattice says is shown and stored: cleaned, and never the key
	// (a hostile or broken server can echo the Authorization header).
	clean := func(s string, limit int) string { return apihttp.Withhold(sanitize.Line(s, limit), key) }
	u.ID = clean(u.ID, 80)
	u.Name = clean(u.Name, 120)
	u.PreferredName = clean(u.PreferredName, 120)
	u.Email = clean(u.Email, 200)
	u.Title = clean(u.Title, 120)
	u.Status = clean(u.Status, 20)
	return Identity{User: u, Endpoint: ep}, nil
}

// CheckSCIM asks Lattice's SCIM API for one user. Any answer but 2xx or 401
// means SCIM is not available for this key (most often: not enabled). It
// gives up after SCIMBudget with an *Error, so that a SCIM endpoint that
// never answers costs the caller a bounded wait and leaves a reason to show
// (link explains it).
func (c *Client) CheckSCIM(ctx context.Context, key string, ep Endpoint) (SCIM, error) {
	res, err := c.get(ctx, ep, "/scim/v2/Users?startIndex=1&count=1", "application/scim+json", key,
		or(c.SCIMBudget, DefaultSCIMBudget))
	if err != nil {
		return SCIM{}, err
	}
	switch {
	case res.Status == http.StatusUnauthorized:
		return SCIM{}, statusError(ep, res)
	case res.Status >= 200 && res.Status < 300:
		return SCIM{Enabled: true, Status: res.Status}, nil
	default:
		return SCIM{Status: res.Status}, nil
	}
}

func statusError(ep Endpoint, res apihttp.Answer) error {
	e := &Error{Host: ep.Host(), Status: res.Status}
	switch {
	case res.Status >= 200 && res.Status < 300:
		return nil
	case res.Status == http.StatusUnauthorized:
		e.Kind = Rejected
	case res.Status == http.StatusForbidden:
		e.Kind = Forbidden
	case res.Status == http.StatusTooManyRequests:
		e.Kind, e.RetryAfter = RateLimited, res.RetryAfter
		if res.RetryAfter > 0 {
			e.RetryAt = res.At.Add(res.RetryAfter)
		}
	case res.Status >= 500:
		e.Kind = ServerError
	case res.Status >= 300 && res.Status < 400:
		e.Kind, e.Detail = Unexpected, "a redirect, which is not followed so the key stays with this host"
	default:
		e.Kind, e.Detail = Unexpected, "status "+strconv.Itoa(res.Status)+apihttp.ContentTypeNote(res.MediaType)
	}
	return e
}

// get sends one GET with retries, all within budget: after a 429 it waits
// as Lattice asks (unless that is longer than MaxRetryWait: then the answer
// is reported, since a caller cannot sit through it), after a 5xx or a
// dropped connection it backs off. It never retries 401, 403 or a timeout,
// and every wait ends when ctx does.
func (c *Client) get(ctx context.Context, ep Endpoint, path, accept, key string, budget time.Duration) (apihttp.Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = 3
	}
	policy := apihttp.Policy{
		Attempts:      attempts,
		Backoff:       or(c.Backoff, 400*time.Millisecond),
		MaxRetryWait:  or(c.MaxRetryWait, DefaultMaxRetryWait),
		AnswerTimeout: or(c.AnswerTimeout, DefaultAnswerTimeout),
		OnWait:        func(w apihttp.Wait) { notifyWait(ctx, w) },
	}
	res, err := policy.Do(ctx, func(actx context.Context) (apihttp.Answer, error) {
		return c.send(actx, ep, path, accept, key)
	})
	if err != nil {
		return apihttp.Answer{}, c.transportError(ctx, ep, err, key, budget)
	}
	res.MediaType = apihttp.Withhold(res.MediaType, key)
	if res.MediaType == apihttp.Withheld {
		res.MediaType = ""
	}
	return res, nil
}

func (c *Client) send(ctx context.Context, ep Endpoint, path, accept, key string) (apihttp.Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep.URL+path, nil)
	if err != nil {
		return apihttp.Answer{}, &Error{Kind: Unexpected, Host: ep.Host(), Detail: "the request could not be built"}
	}
	// New only builds clients that pass this, but Primary and Alternate can
	// be set by hand: the key goes in clear to nothing but this machine.
	if req.URL.Scheme != "https" && !baseurl.IsLoopback(req.URL.Hostname()) {
		return apihttp.Answer{}, &Error{Kind: Unexpected, Host: ep.Host(),
			Detail: "the URL is plain http to a host that is not a loopback address, so the key was not sent"}
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.UserAgent)
	res, err := apihttp.Send(c.HTTP, req)
	var large *apihttp.TooLargeError
	if errors.As(err, &large) {
		return apihttp.Answer{}, &Error{Kind: Unexpected, Host: ep.Host(), Status: large.Status, Detail: large.Error()}
	}
	return res, err
}

// transportError turns a call that got no answer into an *Error.
func (c *Client) transportError(ctx context.Context, ep Endpoint, err error, key string, budget time.Duration) error {
	var typed *Error
	if errors.As(err, &typed) {
		return typed
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != context.DeadlineExceeded {
		return context.Canceled
	}
	e := &Error{Kind: Unreachable, Host: ep.Host(), Err: err}
	var attempt *apihttp.AttemptTimeout
	var f *apihttp.Failure
	cause := apihttp.Classify(err)
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		e.Cause, e.Timeout = apihttp.CauseTimeout, budget
	case errors.As(err, &attempt):
		e.Cause, e.Timeout = apihttp.CauseTimeout, attempt.Limit
	case cause == apihttp.CauseTimeout:
		// A timeout of the transport (a TLS handshake, a caller's own
		// client): say how long it really waited.
		e.Cause, e.Timeout = cause, time.Millisecond
		if errors.As(err, &f) {
			e.Timeout = max(f.Elapsed.Round(100*time.Millisecond), time.Millisecond)
		}
	case cause == apihttp.CauseNotHTTP:
		e.Kind, e.Cause = Unexpected, cause
	default:
		e.Cause = cause
		if cause == apihttp.CauseOther {
			e.Detail = apihttp.Withhold(sanitize.Line(apihttp.Root(err).Error(), 120), key)
		}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		e.Name = apihttp.Withhold(sanitize.Line(dnsErr.Name, 120), key)
	}
	return e
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Wait is a pause between attempts, reported so a face can say why the
// check is still waiting: the HTTP layer's facts (why, the status or the
// cause, how long, the attempt that follows), worded by the face.
type Wait = apihttp.Wait

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
