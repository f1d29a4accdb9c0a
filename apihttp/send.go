package apihttp

import (
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"
)

// MaxBody is the most of any answer that is read.
const MaxBody = 1 << 20

// maxRetryAfter bounds a Retry-After: a day is past any real rate limit,
// and the value is only shown or compared, never waited out past a
// caller's own limit.
const maxRetryAfter = 24 * time.Hour

// Answer is an HTTP answer read in full.
type Answer struct {
	Status int
	// MediaType is the Content-Type's type/subtype as sent (not lowered, so
	// that a secret echoed in it can still be found), without parameters;
	// "" when there is none that looks like one.
	MediaType  string
	RetryAfter time.Duration // from a Retry-After header, at most a day
	At         time.Time     // when the answer came, for the clock time Retry-After points to
	Body       []byte
}

// OK reports a 2xx status.
func (a Answer) OK() bool { return a.Status >= 200 && a.Status < 300 }

// TooLargeError is an answer larger than MaxBody. It is not retried.
type TooLargeError struct{ Status int }

func (e *TooLargeError) Error() string { return "the answer is larger than 1 MiB" }

// Send sends req with hc and reads the answer, at most MaxBody of it. A
// failure is a *Failure (never carrying the request URL, which may hold a
// credential in its query) or a *TooLargeError.
func Send(hc *http.Client, req *http.Request) (Answer, error) {
	var tr trace
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), tr.hooks()))
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return Answer{}, tr.failure(err, start)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	now := time.Now()
	switch {
	case err != nil:
		// Cut off mid-answer: the connection dropped after the answer began.
		return Answer{}, tr.failure(err, start)
	case len(body) > MaxBody:
		return Answer{}, &TooLargeError{Status: resp.StatusCode}
	}
	return Answer{
		Status:     resp.StatusCode,
		MediaType:  mediaType(resp.Header.Get("Content-Type")),
		RetryAfter: RetryAfter(resp.Header.Get("Retry-After"), now, maxRetryAfter),
		At:         now,
		Body:       body,
	}, nil
}

// trace records how far a request got, which says more about a failure
// than its text: a TLS handshake that failed is a TLS problem whatever the
// error's words, and an error after the first byte of the answer came means
// the server answered with something that is not HTTP.
type trace struct {
	mu        sync.Mutex
	getConn   bool // the transport began (only Go's own transport reports it)
	gotConn   bool // a connection was there to write to
	tlsErr    error
	firstByte bool // the answer had begun
}

func (t *trace) hooks() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(string) {
			t.mu.Lock()
			defer t.mu.Unlock()
			t.getConn = true
		},
		GotConn: func(httptrace.GotConnInfo) {
			t.mu.Lock()
			defer t.mu.Unlock()
			t.gotConn = true
		},
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			t.mu.Lock()
			defer t.mu.Unlock()
			if err != nil {
				t.tlsErr = err
			}
		},
		GotFirstResponseByte: func() {
			t.mu.Lock()
			defer t.mu.Unlock()
			t.firstByte = true
		},
	}
}

func (t *trace) failure(err error, start time.Time) *Failure {
	// *url.Error carries the full URL, query and all: keep what it wraps.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	f := &Failure{Err: err, Elapsed: time.Since(start), Cause: classify(err)}
	switch {
	case f.Cause == CauseTimeout || f.Cause == CauseCancelled:
	case t.tlsErr != nil:
		f.Cause = CauseTLS
	case t.firstByte && f.Cause == CauseOther:
		f.Cause = CauseNotHTTP
	}
	// Without a connection nothing of the request left this machine; a
	// transport that reports nothing is judged by its error alone.
	f.MaybeSent = f.Cause != CauseDNS && f.Cause != CauseRefused && f.Cause != CauseTLS && !dialFailed(err)
	if t.getConn && !t.gotConn {
		f.MaybeSent = false
	}
	return f
}

// mediaType keeps the case it was sent in: a caller redacts secrets from
// it, and a secret lowered would no longer match.
func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	if !strings.Contains(mt, "/") {
		return ""
	}
	return mt
}
