package lattice

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// failures makes the client fail in each way it can, against servers that
// echo the key back in every place they can, so the messages can be checked
// for what they say and for what they must never say.
func failures(t *testing.T) map[string]struct {
	err error
	c   *Client
} {
	t.Helper()
	echo := func(status int, header string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; "+r.Header.Get("Authorization"))
			w.Header().Set("Location", "https://evil.example/"+testKey)
			if header != "" {
				w.Header().Set("Retry-After", header)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(r.Header.Get("Authorization")))
		}
	}
	out := map[string]struct {
		err error
		c   *Client
	}{}
	run := func(name string, h http.HandlerFunc, tune func(*Client)) {
		srv, _ := server(t, h)
		c := client(t, srv.URL)
		c.MaxAttempts = 1
		if tune != nil {
			tune(c)
		}
		_, err := c.Verify(context.Background(), testKey)
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		out[name] = struct {
			err error
			c   *Client
		}{err, c}
	}
	run("401", echo(401, ""), nil)
	run("403", echo(403, ""), nil)
	run("429 unsaid", echo(429, ""), nil)
	run("429 long", echo(429, "3600"), nil)
	run("500", echo(500, ""), nil)
	run("404", echo(404, ""), nil)
	run("302", echo(302, ""), nil)
	run("timeout", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		func(c *Client) { c.AnswerTimeout = 100 * time.Millisecond })

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	c := client(t, closed.URL)
	_, err := c.Verify(context.Background(), testKey)
	out["refused"] = struct {
		err error
		c   *Client
	}{err, c}

	// By region, as without --api-url: Lattice's hosts, never dialled.
	regional, _ := New(Options{Region: EMEA})
	out["401 regional"] = struct {
		err error
		c   *Client
	}{&Error{Kind: Rejected, Host: regional.Primary.Host(), Status: 401}, regional}
	return out
}

func TestExplainForEverySourceAndFailure(t *testing.T) {
	for name, f := range failures(t) {
		for _, src := range []Source{Typed, Piped, Stored} {
			for _, flags := range []bool{false, true} {
				msg := ExplainFor(f.err, f.c, src, flags)
				where := func() string {
					return name + " src " + string(rune('0'+src)) + " flags " + map[bool]string{true: "on", false: "off"}[flags]
				}
				if strings.Contains(msg, testKey) || strings.Contains(msg, "Bearer") || strings.Contains(msg, "evil") {
					t.Errorf("%s: shows what the server sent: %q", where(), msg)
				}
				lines := strings.Split(msg, "\n")
				if len(lines) < 2 {
					t.Errorf("%s: no next step: %q", where(), msg)
				}
				for _, l := range lines {
					if !strings.HasSuffix(l, ".") {
						t.Errorf("%s: unfinished sentence %q", where(), l)
					}
				}
				if !flags && (strings.Contains(msg, "--") || strings.Contains(msg, "lattice-link ")) {
					t.Errorf("%s: command-line advice where none can be given: %q", where(), msg)
				}
				if strings.Contains(msg, "Wait a moment") {
					t.Errorf("%s: says to wait without saying how long: %q", where(), msg)
				}
				typing := strings.Contains(msg, "mistyped") || strings.Contains(msg, "paste")
				if src == Stored && typing {
					t.Errorf("%s: typing advice for the stored key: %q", where(), msg)
				}
				if src == Piped && strings.Contains(msg, "paste it here") {
					t.Errorf("%s: paste advice for a piped key: %q", where(), msg)
				}
			}
		}
	}
}

func TestExplainRejected(t *testing.T) {
	f := failures(t)
	pinned, regional := f["401"], f["401 regional"]

	stored := ExplainFor(pinned.err, pinned.c, Stored, false)
	// The wizard and plain mode offer their own way to replace it: this
	// package names no face's keys.
	if !strings.HasPrefix(stored, "This key no longer works (revoked or expired)") ||
		!strings.HasSuffix(stored, "replace this one.") || strings.Contains(stored, "(r)") {
		t.Errorf("stored, in the wizard: %q", stored)
	}
	if s := ExplainFor(regional.err, regional.c, Stored, true); !strings.Contains(s, "run lattice-link connect.") ||
		strings.Contains(s, "--region") {
		t.Errorf("stored, at the shell: %q", s)
	}
	if s := ExplainFor(pinned.err, pinned.c, Stored, true); !strings.Contains(s, "--api-url") {
		t.Errorf("stored, pinned host, at the shell: %q", s)
	}

	typed := ExplainFor(regional.err, regional.c, Typed, false)
	if !strings.Contains(typed, "mistyped") || !strings.Contains(typed, "paste it here") || strings.Contains(typed, "--region") {
		t.Errorf("typed in the wizard: %q", typed)
	}
	if s := ExplainFor(regional.err, regional.c, Piped, true); !strings.Contains(s, "mistyped") ||
		!strings.Contains(s, "--region us") {
		t.Errorf("piped, EMEA chosen: %q", s)
	}
	if s := ExplainFor(pinned.err, pinned.c, Typed, true); !strings.Contains(s, "--api-url") {
		t.Errorf("typed, pinned host: %q", s)
	}
}

func TestExplainOtherErrors(t *testing.T) {
	if s := ExplainFor(context.Canceled, nil, Typed, false); !strings.Contains(s, "cancelled") {
		t.Errorf("cancelled: %q", s)
	}
	if s := ExplainFor(errors.New("boom"), nil, Typed, false); !strings.Contains(s, "boom") || !strings.Contains(s, "\n") {
		t.Errorf("other: %q", s)
	}
	if ExplainFor(nil, nil, Typed, true) != "" {
		t.Error("no error, yet a message")
	}
	at := time.Date(2026, 1, 2, 14, 3, 9, 0, time.Local)
	e := &Error{Kind: RateLimited, RetryAfter: 3 * time.Hour, RetryAt: at}
	if s := ExplainFor(e, nil, Stored, true); !strings.Contains(s, "asked to wait 3 h.") || !strings.Contains(s, "after 14:03:09.") {
		t.Errorf("rate limited: %q", s)
	}
	if s := ExplainFor(&Error{Kind: RateLimited}, nil, Typed, false); !strings.Contains(s, "did not say for how long") {
		t.Errorf("rate limited, no Retry-After: %q", s)
	}
}

func TestExplainSCIM(t *testing.T) {
	for _, err := range []error{
		&Error{Kind: Rejected, Host: "h", Status: 401},
		&Error{Kind: Unreachable, Host: "h", Timeout: 10 * time.Second, Detail: "no answer within 10 s"},
		&Error{Kind: RateLimited, RetryAfter: time.Minute},
		&Error{Kind: ServerError, Status: 502},
		context.Canceled,
		errors.New("boom"),
	} {
		s := ExplainSCIM(err)
		if !strings.HasPrefix(s, "SCIM ") || !strings.Contains(s, "\n") || !strings.HasSuffix(s, ".") {
			t.Errorf("%v: %q", err, s)
		}
	}
	if s := ExplainSCIM(&Error{Kind: Unreachable, Host: "api.latticehq.com", Timeout: 10 * time.Second}); !strings.Contains(s, "did not answer within 10 s") {
		t.Errorf("timeout: %q", s)
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		300 * time.Millisecond: "a moment", 12 * time.Second: "12 s", 2 * time.Minute: "2 min",
		59 * time.Minute: "59 min", 3 * time.Hour: "3 h",
	} {
		if got := HumanDuration(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
