package lattice

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
)

const testKey = "test-key-0123456789-abcd"

// server starts an httptest server whose handler counts requests.
func server(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func client(t *testing.T, url string) *Client {
	t.Helper()
	c, err := New(Options{APIURL: url, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c.Backoff = 10 * time.Millisecond
	return c
}

func me(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"id":"1","object":"user","name":"Grace Hopper","email":"grace@example.com","isAdmin":true,"status":"ACTIVE"}`))
}

func TestVerifySendsTheRightRequest(t *testing.T) {
	var got *http.Request
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) { got = r.Clone(context.Background()); me(w, r) })
	id, err := client(t, srv.URL).Verify(context.Background(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL.Path != "/v1/me" || got.Method != http.MethodGet {
		t.Errorf("asked %s %s", got.Method, got.URL.Path)
	}
	if h := got.Header.Get("Authorization"); h != "Bearer "+testKey {
		t.Errorf("Authorization = %q", h)
	}
	if got.Header.Get("Accept") != "application/json" || got.Header.Get("User-Agent") != "lattice-link/test" {
		t.Errorf("headers %v", got.Header)
	}
	if id.User.Name != "Grace Hopper" || id.User.Email != "grace@example.com" || !id.User.IsAdmin {
		t.Errorf("identity %+v", id.User)
	}
}

func TestVerifyStatuses(t *testing.T) {
	cases := []struct {
		status   int
		want     Kind
		attempts int32
	}{
		{401, Rejected, 1},
		{403, Forbidden, 1},
		{404, Unexpected, 1},
		{500, ServerError, 3},
		{503, ServerError, 3},
		{302, Unexpected, 1},
	}
	for _, tc := range cases {
		srv, n := server(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Location", "https://evil.example/steal")
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte("\x1b]52;c;SGVsbG8=\x07" + testKey))
		})
		_, err := client(t, srv.URL).Verify(context.Background(), testKey)
		if KindOf(err) != tc.want {
			t.Errorf("%d: kind %v, want %v (%v)", tc.status, KindOf(err), tc.want, err)
		}
		if n.Load() != tc.attempts {
			t.Errorf("%d: %d attempts, want %d", tc.status, n.Load(), tc.attempts)
		}
		if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), "\x1b") {
			t.Errorf("%d: error shows the body: %q", tc.status, err)
		}
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	var leaked atomic.Bool
	other, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
		me(w, r)
	})
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/v1/me", http.StatusTemporaryRedirect)
	})
	_, err := client(t, srv.URL).Verify(context.Background(), testKey)
	if KindOf(err) != Unexpected || !strings.Contains(err.Error(), "redirect") {
		t.Errorf("err = %v", err)
	}
	if leaked.Load() {
		t.Error("the key followed the redirect to another host")
	}
}

func TestRetryAfterSecondsAndDate(t *testing.T) {
	for _, header := range []string{"1", time.Now().Add(2500 * time.Millisecond).UTC().Format(http.TimeFormat)} {
		srv, n := server(t, func(w http.ResponseWriter, r *http.Request) {
			if n := r.Context().Value(http.LocalAddrContextKey); n == nil {
				t.Error("no context")
			}
			if calls.Add(1) == 1 {
				w.Header().Set("Retry-After", header)
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			me(w, r)
		})
		var waits []Wait
		ctx := WithWaitHook(context.Background(), func(w Wait) { waits = append(waits, w) })
		start := time.Now()
		_, err := client(t, srv.URL).Verify(ctx, testKey)
		calls.Store(0)
		if err != nil {
			t.Fatalf("Retry-After %q: %v", header, err)
		}
		if n.Load() != 2 || len(waits) != 1 {
			t.Fatalf("Retry-After %q: %d requests, %d waits", header, n.Load(), len(waits))
		}
		if waits[0].Duration < 400*time.Millisecond || waits[0].Duration > 2*time.Second || time.Since(start) < 400*time.Millisecond {
			t.Errorf("Retry-After %q: waited %v", header, waits[0].Duration)
		}
	}
}

var calls atomic.Int32

func TestRateLimitedThreeTimesGivesUp(t *testing.T) {
	srv, n := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	_, err := client(t, srv.URL).Verify(context.Background(), testKey)
	if KindOf(err) != RateLimited || n.Load() != 3 {
		t.Errorf("err %v after %d attempts", err, n.Load())
	}
}

func TestWaitLongerThanBudgetIsNotSlept(t *testing.T) {
	srv, n := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := client(t, srv.URL)
	c.Budget = time.Second
	start := time.Now()
	_, err := c.Verify(context.Background(), testKey)
	var e *Error
	if !errors.As(err, &e) || e.Kind != RateLimited || e.RetryAfter != 5*time.Second {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 500*time.Millisecond || n.Load() != 1 {
		t.Errorf("slept %v over %d attempts", time.Since(start), n.Load())
	}
}

func TestHugeBodyIsCut(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"1","name":"` + strings.Repeat("x", MaxBody+10) + `"}`))
	})
	_, err := client(t, srv.URL).Verify(context.Background(), testKey)
	if KindOf(err) != Unexpected || !strings.Contains(err.Error(), "1 MiB") {
		t.Errorf("err = %v", err)
	}
}

func TestMalformedAnswers(t *testing.T) {
	for _, body := range []string{"<html>hello</html>", `{"id":`, `[]`, `{}`, "\xff\xfe"} {
		srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(body))
		})
		_, err := client(t, srv.URL).Verify(context.Background(), testKey)
		if KindOf(err) != Unexpected {
			t.Errorf("%q: err = %v", body, err)
			continue
		}
		if strings.Contains(err.Error(), "\x1b") {
			t.Errorf("escape in error: %q", err)
		}
	}
}

func TestMalformedHTTPIsUnexpected(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html\x1b[2J")
	})
	_, err := client(t, srv.URL).Verify(context.Background(), testKey)
	if KindOf(err) != Unexpected || strings.Contains(err.Error(), "\x1b") {
		t.Errorf("err = %q", err)
	}
}

func TestHostileUserFieldsAreCleaned(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"id":"1","name":"Eve\u001b[2J\u001b]52;c;AAAA\u0007","email":"e@x\u0007.com"}`))
	})
	id, err := client(t, srv.URL).Verify(context.Background(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if id.User.Name != "Eve" || id.User.Email != "e@x.com" {
		t.Errorf("not cleaned: %q %q", id.User.Name, id.User.Email)
	}
}

func TestHangingServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := client(t, srv.URL)
	c.Budget = 300 * time.Millisecond
	start := time.Now()
	_, err := c.Verify(context.Background(), testKey)
	var e *Error
	if !errors.As(err, &e) || !e.TimedOut() || e.Timeout != c.Budget || !strings.Contains(err.Error(), "did not answer within 300ms") {
		t.Errorf("err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestCancelMidWait(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "8")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	ctx, cancel := context.WithCancel(context.Background())
	ctx = WithWaitHook(ctx, func(Wait) { cancel() })
	start := time.Now()
	_, err := client(t, srv.URL).Verify(ctx, testKey)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("cancel took %v", time.Since(start))
	}
}

func TestDroppedConnectionIsRetried(t *testing.T) {
	srv, n := server(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		me(w, r)
	})
	defer calls.Store(0)
	if _, err := client(t, srv.URL).Verify(context.Background(), testKey); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Errorf("%d attempts", n.Load())
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := client(t, url).Verify(context.Background(), testKey)
	if KindOf(err) != Unreachable || !strings.Contains(err.Error(), "refused") {
		t.Errorf("err = %v", err)
	}
}

func TestRegionFallback(t *testing.T) {
	us, usN := server(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) })
	emea, _ := server(t, me)
	c := &Client{Primary: Endpoint{US, us.URL}, Alternate: &Endpoint{EMEA, emea.URL}, HTTP: NewHTTPClient()}
	id, err := c.Verify(context.Background(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if !id.SwitchedRegion || id.Endpoint.Region != EMEA || usN.Load() != 1 {
		t.Errorf("identity %+v after %d US attempts", id, usN.Load())
	}

	// Rejected on both: the first region's error, one attempt each.
	emeaReject, emeaN := server(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) })
	c.Alternate = &Endpoint{EMEA, emeaReject.URL}
	if _, err := c.Verify(context.Background(), testKey); KindOf(err) != Rejected || emeaN.Load() != 1 {
		t.Errorf("err %v, %d EMEA attempts", err, emeaN.Load())
	}

	// A pinned host is never left.
	pinned := client(t, us.URL)
	if pinned.Alternate != nil {
		t.Error("--api-url must pin the host")
	}
}

func TestCheckSCIM(t *testing.T) {
	for status, want := range map[int]SCIM{200: {true, 200}, 403: {false, 403}, 404: {false, 404}} {
		var accept, query string
		srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
			accept, query = r.Header.Get("Accept"), r.URL.RawQuery
			w.WriteHeader(status)
		})
		c := client(t, srv.URL)
		got, err := c.CheckSCIM(context.Background(), testKey, c.Primary)
		if err != nil || got != want {
			t.Errorf("%d: got %+v, %v", status, got, err)
		}
		if accept != "application/scim+json" || query != "startIndex=1&count=1" {
			t.Errorf("asked with Accept %q, query %q", accept, query)
		}
	}
	srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) })
	c := client(t, srv.URL)
	if _, err := c.CheckSCIM(context.Background(), testKey, c.Primary); KindOf(err) != Rejected {
		t.Errorf("401: %v", err)
	}
}

func TestParseAPIURL(t *testing.T) {
	ok := map[string]string{
		"https://api.latticehq.com/":       "https://api.latticehq.com",
		"http://127.0.0.1:8080":            "http://127.0.0.1:8080",
		"http://127.1.2.3":                 "http://127.1.2.3",
		"http://[::1]:9000":                "http://[::1]:9000",
		"http://127.0.0.1:1234/base/":      "http://127.0.0.1:1234/base",
		"https://localhost:8443/":          "https://localhost:8443",
		" https://api.emea.latticehq.com ": "https://api.emea.latticehq.com",
		// Lattice documents its base with the version; the client adds it.
		"https://api.latticehq.com/v1":      "https://api.latticehq.com",
		"https://api.latticehq.com/v1/":     "https://api.latticehq.com",
		"http://127.0.0.1:8080/v1":          "http://127.0.0.1:8080",
		"https://api.emea.latticehq.com/v1": "https://api.emea.latticehq.com",
		// localhost is loopback, dialled as 127.0.0.1 or ::1 without DNS.
		"http://localhost:1234": "http://localhost:1234",
		"http://LOCALHOST":      "http://localhost",
		"http://localhost.":     "http://localhost",
		// A non-ASCII host is kept in the form it is dialled in.
		"https://api.lаtticehq.com": "https://api.xn--ltticehq-16g.com",
	}
	for in, want := range ok {
		if got, err := ParseAPIURL(in, ""); err != nil || got != want {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	// A name other than localhost is never trusted with plain http: the
	// resolver decides where it goes.
	for _, bad := range []string{"http://api.latticehq.com", "http://10.0.0.1", "ftp://x", "api.latticehq.com",
		"https://user:pw@api.latticehq.com", "https://x?y=1", "http://localhost.evil.com", "",
		"http://127.0.0.1.nip.io", "https://api.latticehq.com\u202e", "https://a\u009b.example"} {
		if _, err := ParseAPIURL(bad, ""); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseRegion(t *testing.T) {
	if r, err := ParseRegion("EMEA"); err != nil || r != EMEA {
		t.Errorf("EMEA: %v %v", r, err)
	}
	if _, err := ParseRegion("apac"); err == nil {
		t.Error("apac accepted")
	}
}

func TestSlowDripIsCutOffByTheBudget(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		for _, b := range []byte(`{"id":"1","name":"slow"}`) {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			_, _ = w.Write([]byte{b})
			w.(http.Flusher).Flush()
		}
	})
	c := client(t, srv.URL)
	c.Budget = 400 * time.Millisecond
	start := time.Now()
	_, err := c.Verify(context.Background(), testKey)
	if KindOf(err) != Unreachable || time.Since(start) > 2*time.Second {
		t.Errorf("after %v: %v", time.Since(start), err)
	}
}

func TestAnswerTimeoutIsReportedAsSuchAndNotRetried(t *testing.T) {
	srv, n := server(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c := client(t, srv.URL)
	c.AnswerTimeout = 200 * time.Millisecond
	c.Budget = 5 * time.Second
	var waits []Wait
	ctx := WithWaitHook(context.Background(), func(w Wait) { waits = append(waits, w) })
	start := time.Now()
	_, err := c.Verify(ctx, testKey)
	var e *Error
	if !errors.As(err, &e) || e.Kind != Unreachable || !e.TimedOut() || e.Timeout != c.AnswerTimeout {
		t.Fatalf("err = %#v", err)
	}
	if n.Load() != 1 || len(waits) != 0 || time.Since(start) > 2*time.Second {
		t.Errorf("%d attempts, waits %v, after %v: a timeout is not a dropped connection to retry", n.Load(), waits, time.Since(start))
	}
	if e.Cause != apihttp.CauseTimeout || !strings.Contains(e.Error(), "did not answer within 200ms") {
		t.Errorf("%#v: %q", e, e.Error())
	}
}

func TestDefaultsLeaveRoomForTheAnswerTimeout(t *testing.T) {
	if DefaultAnswerTimeout >= DefaultBudget || DefaultSCIMBudget >= DefaultBudget || DefaultMaxRetryWait >= DefaultBudget {
		t.Error("the per-attempt limits must fit in the budget")
	}
}

func TestLongRetryAfterIsReportedNotWaited(t *testing.T) {
	for _, header := range []string{"120", time.Now().Add(2 * time.Minute).UTC().Format(http.TimeFormat)} {
		srv, n := server(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", header)
			w.WriteHeader(http.StatusTooManyRequests)
		})
		c := client(t, srv.URL)
		var waits []Wait
		ctx := WithWaitHook(context.Background(), func(w Wait) { waits = append(waits, w) })
		start := time.Now()
		_, err := c.Verify(ctx, testKey)
		var e *Error
		if !errors.As(err, &e) || e.Kind != RateLimited {
			t.Fatalf("%q: err = %v", header, err)
		}
		if n.Load() != 1 || len(waits) != 0 || time.Since(start) > time.Second {
			t.Errorf("%q: %d attempts, %d waits, %v", header, n.Load(), len(waits), time.Since(start))
		}
		if e.RetryAfter < 118*time.Second || e.RetryAfter > 120*time.Second {
			t.Errorf("%q: RetryAfter %v", header, e.RetryAfter)
		}
		if d := time.Until(e.RetryAt); d < 118*time.Second || d > 121*time.Second {
			t.Errorf("%q: RetryAt in %v", header, d)
		}
	}
}

func TestCheckSCIMHangingHasItsOwnBudget(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/me" {
			me(w, r)
			return
		}
		<-r.Context().Done()
	})
	c := client(t, srv.URL)
	c.SCIMBudget = 300 * time.Millisecond
	c.Budget = 5 * time.Second
	id, err := c.Verify(context.Background(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.CheckSCIM(context.Background(), testKey, id.Endpoint)
	var e *Error
	if !errors.As(err, &e) || e.Kind != Unreachable || !e.TimedOut() || e.Timeout != c.SCIMBudget {
		t.Fatalf("err = %#v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v with a %v budget", d, c.SCIMBudget)
	}
	if msg := e.Error(); !strings.Contains(msg, "did not answer within 300ms") || strings.Contains(msg, testKey) {
		t.Errorf("said as %q", msg)
	}
}

func TestRejectedInBothRegionsSaysSo(t *testing.T) {
	us, _ := server(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) })
	emea, _ := server(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) })
	c, err := New(Options{Region: US, RegionURLs: map[Region]string{US: us.URL, EMEA: emea.URL}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Verify(context.Background(), testKey)
	var e *Error
	if !errors.As(err, &e) || !e.BothRegions || e.Host != c.Primary.Host() {
		t.Fatalf("err = %#v", err)
	}
}

func TestRegionURLsAreChecked(t *testing.T) {
	for _, urls := range []map[Region]string{
		{US: "http://127.0.0.1:1"},                                 // EMEA missing
		{US: "http://127.0.0.1:1", EMEA: "http://example.com"},     // clear text off the machine
		{US: "http://lattice.test:1", EMEA: "https://example.com"}, // a name, with plain http
		{US: "https://example.com", EMEA: "https://example.com?x"}, // not a base URL
	} {
		if _, err := New(Options{RegionURLs: urls}); err == nil {
			t.Errorf("%v accepted", urls)
		}
	}
	c, err := New(Options{Region: EMEA, RegionURLs: map[Region]string{US: "https://us.example/", EMEA: "http://127.0.0.1:9"}})
	if err != nil || c.Primary != (Endpoint{EMEA, "http://127.0.0.1:9"}) || *c.Alternate != (Endpoint{US, "https://us.example"}) {
		t.Errorf("%+v %v", c, err)
	}
}

// A caller's own transport may time out first; that is reported with the
// time it really waited, and not retried as a dropped connection.
func TestTransportHeaderTimeoutIsATimeout(t *testing.T) {
	srv, n := server(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	hc := NewHTTPClient()
	hc.Transport.(*http.Transport).ResponseHeaderTimeout = 300 * time.Millisecond
	c, err := New(Options{APIURL: srv.URL, HTTP: hc})
	if err != nil {
		t.Fatal(err)
	}
	var waits []Wait
	_, err = c.Verify(WithWaitHook(context.Background(), func(w Wait) { waits = append(waits, w) }), testKey)
	var e *Error
	if !errors.As(err, &e) || !e.TimedOut() || e.Timeout < 300*time.Millisecond || e.Timeout > time.Second {
		t.Fatalf("err = %#v", err)
	}
	if n.Load() != 1 || len(waits) != 0 {
		t.Errorf("%d attempts, waits %v", n.Load(), waits)
	}
}

// TestAPIURLWithLatticesVersionPath: Lattice documents its base as
// https://api.latticehq.com/v1; given so, the check still asks /v1/me.
func TestAPIURLWithLatticesVersionPath(t *testing.T) {
	var paths []string
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		me(w, r)
	})
	for _, base := range []string{srv.URL + "/v1", srv.URL + "/v1/", srv.URL} {
		c, err := New(Options{APIURL: base})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Verify(context.Background(), testKey); err != nil {
			t.Errorf("%s: %v", base, err)
		}
	}
	if strings.Join(paths, " ") != "/v1/me /v1/me /v1/me" {
		t.Errorf("asked %v", paths)
	}
}

// TestNotFoundFromAnotherHostIsKnownAsSuch: a 404 from a host that is not
// Lattice's is a wrong address, not Lattice changing (link words it).
func TestNotFoundFromAnotherHostIsKnownAsSuch(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotFound) })
	c := client(t, srv.URL)
	_, err := c.Verify(context.Background(), testKey)
	var e *Error
	if !errors.As(err, &e) || !e.NotFound() {
		t.Fatalf("err = %v", err)
	}
	if IsLatticeHost(e.Host) || !IsLatticeHost("api.latticehq.com") || !IsLatticeHost("api.emea.latticehq.com") {
		t.Errorf("%s is taken for Lattice's, or Lattice's own hosts are not", e.Host)
	}
}

// TestAUserRecordThatEchoesTheKeyKeepsNoneOfIt: the name and the other
// fields of /v1/me are shown and stored, so none may carry the key.
func TestAUserRecordThatEchoesTheKeyKeepsNoneOfIt(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		_, _ = w.Write([]byte(`{"id":"u1","name":"Grace ` + key + `","email":"` + key[:len(key)/2] + `@example.com","title":"x` + key[len(key)/2:] + `"}`))
	})
	id, err := client(t, srv.URL).Verify(context.Background(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	u := id.User
	for _, v := range []string{u.Name, u.Email, u.Title} {
		if strings.Contains(v, testKey[:len(testKey)/2]) || strings.Contains(v, testKey[len(testKey)/2:]) {
			t.Errorf("the user record keeps the key: %+v", u)
		}
	}
}

// TestARefusedConnectionIsNotRetried: nothing listens there, at once and
// every time, so the answer is given after one dial, with no wait.
func TestARefusedConnectionIsNotRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := client(t, "http://"+addr)
	c.HTTP = NewHTTPClient()
	transport := c.HTTP.Transport.(*http.Transport)
	var dials atomic.Int32
	dial := transport.DialContext
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return dial(ctx, network, addr)
	}
	var waits []Wait
	ctx := WithWaitHook(context.Background(), func(w Wait) { waits = append(waits, w) })
	_, err = c.Verify(ctx, testKey)
	var e *Error
	if !errors.As(err, &e) || e.Kind != Unreachable || e.Cause != apihttp.CauseRefused {
		t.Fatalf("err %v", err)
	}
	if dials.Load() != 1 || len(waits) != 0 {
		t.Errorf("%d dials, waits %+v: a refused connection was retried", dials.Load(), waits)
	}
}
