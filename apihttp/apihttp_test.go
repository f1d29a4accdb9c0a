package apihttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "  7 ": 7 * time.Second, "-3": 0, "99999": time.Hour, "soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Minute).Format(http.TimeFormat):     0,
	} {
		if got := RetryAfter(v, now, time.Hour); got != want {
			t.Errorf("%q: %v, want %v", v, got, want)
		}
	}
}

// TestWindowsSocketErrorsAreRecognised builds the errors Go's net package
// returns on Windows (an *os.SyscallError around a Winsock errno) on every
// OS: "connection refused" must not depend on the OS's words.
func TestWindowsSocketErrorsAreRecognised(t *testing.T) {
	wrap := func(op, call string, errno syscall.Errno) error {
		return &net.OpError{Op: op, Net: "tcp", Err: os.NewSyscallError(call, errno)}
	}
	for _, c := range []struct {
		err  error
		want Cause
	}{
		{wrap("dial", "connectex", 10061), CauseRefused}, // WSAECONNREFUSED
		{wrap("read", "wsarecv", 10054), CauseClosed},    // WSAECONNRESET
		{wrap("read", "wsarecv", 10053), CauseClosed},    // WSAECONNABORTED
		{wrap("dial", "connectex", 10060), CauseTimeout}, // WSAETIMEDOUT
		{wrap("dial", "connectex", 10051), CauseNoRoute}, // WSAENETUNREACH
		{wrap("dial", "connectex", 10065), CauseNoRoute}, // WSAEHOSTUNREACH
		{wrap("dial", "connect", syscall.ECONNREFUSED), CauseRefused},
		{wrap("read", "read", syscall.ECONNRESET), CauseClosed},
		{fmt.Errorf("x: %w", io.ErrUnexpectedEOF), CauseClosed},
		{&net.DNSError{Name: "nowhere.test", IsNotFound: true}, CauseDNS},
		{context.Canceled, CauseCancelled},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), CauseTimeout},
		// Words are not read: an error that merely says so is not one.
		{errors.New("connection refused.."), CauseOther},
		{errors.New("malformed HTTP response"), CauseOther},
		{errors.New("remote error: tls: handshake failure"), CauseOther},
	} {
		if got := Classify(c.err); got != c.want {
			t.Errorf("%v: cause %d, want %d", c.err, got, c.want)
		}
	}
}

func get(t *testing.T, hc *http.Client, url string) (Answer, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Send(hc, req)
}

func TestSendClassifiesWhatReallyHappened(t *testing.T) {
	// Nothing listens: refused, and nothing was sent.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = get(t, NewClient(), "http://"+addr+"/?token=secret-token-value")
	var f *Failure
	if !errors.As(err, &f) || f.Cause != CauseRefused || f.MaybeSent || f.Retryable() {
		t.Errorf("refused: %#v", err)
	}
	if strings.Contains(err.Error(), "secret-token-value") {
		t.Errorf("the failure carries the URL: %v", err)
	}

	// A server that answers with something that is not HTTP.
	garbage := rawServer(t, func(c net.Conn) { _, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n\r\n") })
	_, err = get(t, NewClient(), "http://"+garbage+"/")
	if !errors.As(err, &f) || f.Cause != CauseNotHTTP || !f.MaybeSent || f.Retryable() {
		t.Errorf("not HTTP: %#v", err)
	}

	// A server that closes the connection without answering.
	closer := rawServer(t, func(c net.Conn) {})
	_, err = get(t, NewClient(), "http://"+closer+"/")
	if !errors.As(err, &f) || f.Cause != CauseClosed || !f.Retryable() {
		t.Errorf("closed: %#v", err)
	}

	// A certificate this machine does not trust.
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake error it logs is the point
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	_, err = get(t, NewClient(), tlsSrv.URL)
	if !errors.As(err, &f) || f.Cause != CauseTLS || f.MaybeSent || f.Retryable() {
		t.Errorf("TLS: %#v", err)
	}

	// An answer larger than MaxBody.
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "Application/JSON; charset=utf-8")
		_, _ = w.Write(make([]byte, MaxBody+1))
	}))
	defer big.Close()
	var large *TooLargeError
	if _, err := get(t, NewClient(), big.URL); !errors.As(err, &large) || large.Status != 200 {
		t.Errorf("too large: %v", err)
	}
	small := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "Application/JSON; charset=utf-8")
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(429)
	}))
	defer small.Close()
	if a, err := get(t, NewClient(), small.URL); err != nil || a.MediaType != "Application/JSON" ||
		a.RetryAfter != 7*time.Second || a.Status != 429 || a.OK() {
		t.Errorf("answer: %+v, %v", a, err)
	}
}

// rawServer accepts connections on loopback and hands each to serve after
// reading the request's first bytes.
func rawServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = c.Read(make([]byte, 4096))
				serve(c)
			}()
		}
	}()
	return l.Addr().String()
}

// TestLocalhostIsDialledAsLoopback checks that the name localhost is never
// handed to a resolver: the dialer is given 127.0.0.1, then ::1.
func TestLocalhostIsDialledAsLoopback(t *testing.T) {
	var dialled []string
	loopback := dialLoopbackName(func(_ context.Context, _, addr string) (net.Conn, error) {
		dialled = append(dialled, addr)
		return nil, errors.New("no")
	})
	_, _ = loopback(context.Background(), "tcp", "LocalHost.:3003")
	_, _ = loopback(context.Background(), "tcp", "localhost.example.com:3003")
	want := "127.0.0.1:3003 [::1]:3003 localhost.example.com:3003"
	if got := strings.Join(dialled, " "); got != want {
		t.Errorf("dialled %s, want %s", got, want)
	}

	// NewClient's own transport applies the rule.
	real := dial
	t.Cleanup(func() { dial = real })
	dialled = nil
	dial = func(_ context.Context, _, addr string) (net.Conn, error) {
		dialled = append(dialled, addr)
		return nil, errors.New("no")
	}
	_, _ = NewClient().Transport.(*http.Transport).DialContext(context.Background(), "tcp", "localhost:3003")
	if got := strings.Join(dialled, " "); got != "127.0.0.1:3003 [::1]:3003" {
		t.Errorf("NewClient dialled %s", got)
	}
	dial = real

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	if a, err := get(t, NewClient(), "http://localhost:"+port+"/"); err != nil || a.Status != 204 {
		t.Errorf("localhost: %+v %v", a, err)
	}
}

func TestPolicyRetries(t *testing.T) {
	answers := func(statuses ...int) (func(context.Context) (Answer, error), *atomic.Int32) {
		var n atomic.Int32
		return func(context.Context) (Answer, error) {
			i := int(n.Add(1)) - 1
			return Answer{Status: statuses[min(i, len(statuses)-1)]}, nil
		}, &n
	}
	var waits []Wait
	p := Policy{Attempts: 3, Backoff: time.Millisecond, MaxRetryWait: time.Second, OnWait: func(w Wait) { waits = append(waits, w) }}

	send, n := answers(503, 502, 200)
	if a, err := p.Do(context.Background(), send); err != nil || a.Status != 200 || n.Load() != 3 {
		t.Errorf("5xx: %v %v after %d", a.Status, err, n.Load())
	}
	if len(waits) != 2 || waits[0].Why != WhyServerError || waits[0].Status != 503 || waits[1].Duration != 2*time.Millisecond || waits[1].Attempt != 3 {
		t.Errorf("waits %+v", waits)
	}

	send, n = answers(401)
	if a, _ := p.Do(context.Background(), send); a.Status != 401 || n.Load() != 1 {
		t.Errorf("401 retried: %d", n.Load())
	}

	// One attempt (a POST): a 5xx is the answer.
	send, n = answers(500, 200)
	if a, _ := (Policy{Attempts: 1, Backoff: time.Millisecond}).Do(context.Background(), send); a.Status != 500 || n.Load() != 1 {
		t.Errorf("POST retried: %d", n.Load())
	}

	// A Retry-After longer than MaxRetryWait is reported, not waited out;
	// with MaxRetryWait 0 a 429 is never retried.
	var m atomic.Int32
	long := func(context.Context) (Answer, error) {
		m.Add(1)
		return Answer{Status: 429, RetryAfter: time.Hour}, nil
	}
	if a, _ := p.Do(context.Background(), long); a.Status != 429 || m.Load() != 1 {
		t.Errorf("long Retry-After waited: %d", m.Load())
	}
	send, n = answers(429, 200)
	if a, _ := (Policy{Attempts: 2}).Do(context.Background(), send); a.Status != 429 || n.Load() != 1 {
		t.Errorf("429 retried without MaxRetryWait: %d", n.Load())
	}

	// A failure that will not change is not retried; a dropped one is.
	var k atomic.Int32
	for _, cause := range []Cause{CauseTLS, CauseRefused, CauseDNS, CauseNotHTTP} {
		k.Store(0)
		waits = nil
		fail := func(context.Context) (Answer, error) {
			k.Add(1)
			return Answer{}, &Failure{Cause: cause, Err: errors.New("x")}
		}
		if _, err := p.Do(context.Background(), fail); Classify(err) != cause || k.Load() != 1 || len(waits) != 0 {
			t.Errorf("cause %d retried: %d attempts, waits %+v", cause, k.Load(), waits)
		}
	}
	k.Store(0)
	dropped := func(context.Context) (Answer, error) {
		if k.Add(1) == 1 {
			return Answer{}, &Failure{Cause: CauseClosed, Err: io.EOF}
		}
		return Answer{Status: 200}, nil
	}
	if a, err := p.Do(context.Background(), dropped); err != nil || a.Status != 200 || k.Load() != 2 {
		t.Errorf("dropped: %v %v after %d", a.Status, err, k.Load())
	}

	// No time left for the wait: what there is is reported at once.
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	send, n = answers(503, 200)
	if a, _ := (Policy{Attempts: 3, Backoff: 2 * time.Hour}).Do(ctx, send); a.Status != 503 || n.Load() != 1 {
		t.Errorf("waited past the deadline: %d", n.Load())
	}
}

func TestAttemptTimeout(t *testing.T) {
	var n atomic.Int32
	slow := func(ctx context.Context) (Answer, error) {
		n.Add(1)
		<-ctx.Done()
		return Answer{}, &Failure{Cause: CauseTimeout, Err: ctx.Err()}
	}
	_, err := (Policy{Attempts: 3, AnswerTimeout: 20 * time.Millisecond}).Do(context.Background(), slow)
	var at *AttemptTimeout
	if !errors.As(err, &at) || at.Limit != 20*time.Millisecond || n.Load() != 1 {
		t.Errorf("%v after %d attempts", err, n.Load())
	}
}

type kindErr int

func (k kindErr) Error() string        { return "kind" }
func (k kindErr) FailureKind() kindErr { return k }

func TestKindOf(t *testing.T) {
	if KindOf[kindErr](fmt.Errorf("x: %w", kindErr(3))) != 3 || KindOf[kindErr](errors.New("x")) != 0 {
		t.Error("KindOf")
	}
}

func TestWithholdAndDurations(t *testing.T) {
	const secret = "0123456789abcdef"
	for _, s := range []string{"x " + secret, "x 89abcdef y", "01234567 y", "x 89ABCDEF y"} {
		if Withhold(s, secret) != Withheld {
			t.Errorf("%q not withheld", s)
		}
	}
	if Withhold("plain words", secret, "") != "plain words" {
		t.Error("withheld ordinary text")
	}
	for d, want := range map[time.Duration]string{
		500 * time.Millisecond: "a moment", 12 * time.Second: "12 s", 3 * time.Minute: "3 min", 3 * time.Hour: "3 h",
	} {
		if got := HumanDuration(d); got != want {
			t.Errorf("%v: %q", d, got)
		}
	}
	if Within(200*time.Millisecond) != "200ms" || Within(20*time.Second) != "20 s" {
		t.Error("Within")
	}
	if ContentTypeNote("") != "" || ContentTypeNote("text/html") != " (content type text/html)" {
		t.Error("ContentTypeNote")
	}
}

// TestProxyOnlyForHTTPS: HTTPS_PROXY is honoured for https; plain http (to
// loopback only) never goes through a proxy, which would see the credential
// in clear. Go reads the proxy variables once per process, so the test
// runs again in a child that sets them first.
func TestProxyOnlyForHTTPS(t *testing.T) {
	if os.Getenv("APIHTTP_PROXY_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestProxyOnlyForHTTPS$")
		// The proxy variables of the test's own environment go, in either
		// case: Windows reads names without regard to case, so an empty
		// https_proxy there would unset HTTPS_PROXY.
		for _, kv := range os.Environ() {
			name, _, _ := strings.Cut(kv, "=")
			switch strings.ToUpper(name) {
			case "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY":
			default:
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, "APIHTTP_PROXY_CHILD=1", "HTTPS_PROXY=http://proxy.test:3128", "HTTP_PROXY=http://proxy.test:3128")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	proxy := NewClient().Transport.(*http.Transport).Proxy
	for target, want := range map[string]string{
		"https://api.latticehq.com/v1/me": "http://proxy.test:3128",
		"http://api.example.test/v1/me":   "",
	} {
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		u, err := proxy(req)
		if got := ""; err == nil && u != nil {
			got = u.String()
			if got != want {
				t.Errorf("%s: proxy %q, want %q", target, got, want)
			}
		} else if want != "" {
			t.Errorf("%s: no proxy (%v), want %q", target, err, want)
		}
	}
}
