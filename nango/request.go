package nango

// The requests of a Client: one under its budget, checked answers, and
// failures as facts, with every secret taken out of what Nango sends back.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/sanitize"
)

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

// do sends one request under the call's budget. A GET is tried once more
// after a dropped connection or a 5xx; the POST never is. Every non-2xx
// answer, and a 2xx whose body carries an error (Nango's Connect UI counts
// only a 200 without one as success), becomes an *Error.
func (c *Client) do(ctx context.Context, r request) (apihttp.Answer, error) {
	if c.link.IsZero() {
		return apihttp.Answer{}, linkError(LinkEmpty, 0)
	}
	if c.NeedsApproval() {
		return apihttp.Answer{}, &Error{Kind: HostNotApproved, Call: r.call, Host: c.link.Host(), APISource: c.link.APISource()}
	}
	budget := positive(c.Budget, 20*time.Second)
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	policy := apihttp.Policy{Attempts: 2, Backoff: positive(c.Backoff, 400*time.Millisecond)}
	if r.method != http.MethodGet {
		policy.Attempts = 1
	}
	res, err := policy.Do(ctx, func(actx context.Context) (apihttp.Answer, error) { return c.send(actx, r) })
	if err != nil {
		return apihttp.Answer{}, c.transportError(ctx, r, err, budget)
	}
	res.MediaType = c.clean(res.MediaType, 60, r.apiKey)
	return res, c.statusError(r, res)
}

func (c *Client) send(ctx context.Context, r request) (apihttp.Answer, error) {
	target := c.link.APIURL() + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	var body *bytes.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	var req *http.Request
	var err error
	if body != nil {
		req, err = http.NewRequestWithContext(ctx, r.method, target, body)
	} else {
		req, err = http.NewRequestWithContext(ctx, r.method, target, nil)
	}
	if err != nil {
		// Its text would hold the URL, and with it the token.
		return apihttp.Answer{}, &Error{Kind: Bug, Call: r.call, Host: c.link.Host(), Detail: "the request could not be built"}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.UserAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Header.Set("Authorization", "Bearer "+c.link.sessionToken())
	}
	res, err := apihttp.Send(c.HTTP, req)
	var large *apihttp.TooLargeError
	if errors.As(err, &large) {
		return apihttp.Answer{}, &Error{Kind: Unexpected, Call: r.call, Host: c.link.Host(), Status: large.Status,
			Detail: large.Error(), Uncertain: r.method == http.MethodPost}
	}
	return res, err
}

func (c *Client) statusError(r request, res apihttp.Answer) error {
	var body struct {
		Error json.RawMessage `json:"error"`
	}
	hasError := json.Unmarshal(res.Body, &body) == nil && len(body.Error) > 0 && string(body.Error) != "null"
	if res.OK() && !hasError {
		return nil
	}
	e := &Error{Call: r.call, Host: c.link.Host(), Status: res.Status}
	var coded struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if hasError && json.Unmarshal(body.Error, &coded) == nil {
		if validCode(coded.Code) && c.clean(coded.Code, 60, r.apiKey) == coded.Code {
			e.Code = coded.Code
		}
		e.Message = c.clean(coded.Message, 200, r.apiKey)
	}
	kind, known := kindOfCode[e.Code]
	switch {
	case res.Status >= 500:
		e.Kind = ServerError
	case res.Status == http.StatusTooManyRequests:
		e.Kind, e.RetryAfter = RateLimited, res.RetryAfter
	case res.Status == http.StatusUnsupportedMediaType:
		e.Kind = Bug
	case e.Code == "invalid_body" && r.call == CallSession:
		// GET /connect/session has no body of ours: Nango says this when
		// the app made the session without an end user (getSession.ts).
		e.Kind = NoEndUser
	case known:
		e.Kind = kind
	case res.Status >= 300 && res.Status < 400:
		e.Kind, e.Detail = Unexpected, "a redirect, which is not followed so the link's token stays with this host"
	case e.Code != "":
		e.Kind = Refused
	default:
		e.Kind, e.Detail = Unexpected, "status "+itoa(res.Status)+" without a Nango error"+apihttp.ContentTypeNote(res.MediaType)
	}
	// The request may have reached Nango's handler only when the answer
	// is a server error: every coded refusal comes before anything is saved.
	e.Uncertain = r.method == http.MethodPost && e.Kind == ServerError
	return e
}

func (c *Client) unexpected(call Call, res apihttp.Answer, detail string) *Error {
	return &Error{Kind: Unexpected, Call: call, Host: c.link.Host(), Status: res.Status,
		Detail: detail + apihttp.ContentTypeNote(res.MediaType)}
}

// clean makes a string from Nango safe to show and to keep: the session
// token (whole, or its hex part alone), the given secrets (the key, when it
// was sent) and controls removed.
func (c *Client) clean(s string, limit int, secrets ...string) string {
	token := c.link.sessionToken()
	return sanitize.Line(redact(s, append(secrets, strings.TrimPrefix(token, TokenPrefix), token)...), limit)
}

func (c *Client) transportError(ctx context.Context, r request, err error, budget time.Duration) error {
	var typed *Error
	if errors.As(err, &typed) {
		return typed
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != context.DeadlineExceeded {
		return context.Canceled
	}
	e := &Error{Kind: Unreachable, Call: r.call, Host: c.link.Host(), Err: err, Cause: apihttp.Classify(err)}
	switch {
	case ctx.Err() == context.DeadlineExceeded || e.Cause == apihttp.CauseTimeout:
		e.Kind, e.Cause, e.Budget = Timeout, apihttp.CauseTimeout, budget
	case e.Cause == apihttp.CauseNotHTTP:
		e.Kind, e.Detail = Unexpected, "the answer was not valid HTTP"
	case e.Cause == apihttp.CauseOther:
		e.Detail = c.clean(apihttp.Root(err).Error(), 120, r.apiKey)
	}
	var f *apihttp.Failure
	e.Uncertain = r.method == http.MethodPost && (!errors.As(err, &f) || f.MaybeSent)
	return e
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

func itoa(n int) string { return strconv.Itoa(n) }
