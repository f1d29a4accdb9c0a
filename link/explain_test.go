package link

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/lattice"
)

const echoedKey = "test-key-0123456789-abcd"

// latticeAt is a client for srv alone (as --api-url gives), quick to retry.
func latticeAt(t *testing.T, url string) *lattice.Client {
	t.Helper()
	c, err := lattice.New(lattice.Options{APIURL: url, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c.Backoff = 10 * time.Millisecond
	return c
}

type failure struct {
	err error
	c   *lattice.Client
}

// failures makes the Lattice client fail in each way it can, against
// servers that echo the key back in every place they can, so the messages
// can be checked for what they say and for what they must never say.
func failures(t *testing.T) map[string]failure {
	t.Helper()
	echo := func(status int, header string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; "+r.Header.Get("Authorization"))
			w.Header().Set("Location", "https://evil.example/"+echoedKey)
			if header != "" {
				w.Header().Set("Retry-After", header)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(r.Header.Get("Authorization")))
		}
	}
	out := map[string]failure{}
	run := func(name string, h http.HandlerFunc, tune func(*lattice.Client)) {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		c := latticeAt(t, srv.URL)
		c.MaxAttempts = 1
		if tune != nil {
			tune(c)
		}
		_, err := c.Verify(context.Background(), echoedKey)
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		out[name] = failure{err, c}
	}
	run("401", echo(401, ""), nil)
	run("403", echo(403, ""), nil)
	run("429 unsaid", echo(429, ""), nil)
	run("429 long", echo(429, "3600"), nil)
	run("500", echo(500, ""), nil)
	run("404", echo(404, ""), nil)
	run("302", echo(302, ""), nil)
	run("timeout", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		func(c *lattice.Client) { c.AnswerTimeout = 100 * time.Millisecond })

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	c := latticeAt(t, closed.URL)
	_, err := c.Verify(context.Background(), echoedKey)
	out["refused"] = failure{err, c}

	// By region, as without --api-url: Lattice's hosts, never dialled.
	regional, _ := lattice.New(lattice.Options{Region: lattice.EMEA})
	out["401 regional"] = failure{&lattice.Error{Kind: lattice.Rejected, Host: regional.Primary.Host(), Status: 401}, regional}
	out["401 both regions"] = failure{&lattice.Error{Kind: lattice.Rejected, Host: regional.Primary.Host(), Status: 401,
		BothRegions: true}, regional}
	return out
}

// explain is Link.Explain with the client c.
func explain(err error, c *lattice.Client, src Source, flags bool) string {
	return (&Link{Client: c}).Explain(err, src, flags)
}

func TestExplainForEverySourceAndFailure(t *testing.T) {
	for name, f := range failures(t) {
		for _, src := range []Source{Typed, Piped, Stored} {
			for _, flags := range []bool{false, true} {
				msg := explain(f.err, f.c, src, flags)
				where := func() string {
					return name + " src " + string(rune('0'+src)) + " flags " + map[bool]string{true: "on", false: "off"}[flags]
				}
				if strings.Contains(msg, echoedKey) || strings.Contains(msg, "Bearer") || strings.Contains(msg, "evil") {
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
	pinned, regional, both := f["401"], f["401 regional"], f["401 both regions"]

	stored := explain(pinned.err, pinned.c, Stored, false)
	// The wizard and plain mode offer their own way to replace it: these
	// words name no face's keys.
	if !strings.HasPrefix(stored, "This key no longer works (revoked or expired)") ||
		!strings.HasSuffix(stored, "replace this one.") || strings.Contains(stored, "(r)") {
		t.Errorf("stored, in the wizard: %q", stored)
	}
	if s := explain(regional.err, regional.c, Stored, true); !strings.Contains(s, "run lattice-link connect.") ||
		strings.Contains(s, "--region") {
		t.Errorf("stored, at the shell: %q", s)
	}
	if s := explain(pinned.err, pinned.c, Stored, true); !strings.Contains(s, "--api-url") {
		t.Errorf("stored, pinned host, at the shell: %q", s)
	}

	typed := explain(regional.err, regional.c, Typed, false)
	if !strings.Contains(typed, "mistyped") || !strings.Contains(typed, "paste it here") || strings.Contains(typed, "--region") {
		t.Errorf("typed in the wizard: %q", typed)
	}
	if s := explain(regional.err, regional.c, Piped, true); !strings.Contains(s, "mistyped") ||
		!strings.Contains(s, "--region us") {
		t.Errorf("piped, EMEA chosen: %q", s)
	}
	if s := explain(pinned.err, pinned.c, Typed, true); !strings.Contains(s, "--api-url") {
		t.Errorf("typed, pinned host: %q", s)
	}
	if s := explain(both.err, both.c, Typed, true); !strings.Contains(s, "both the US and EMEA") || strings.Contains(s, "--region") {
		t.Errorf("rejected in both regions: %q", s)
	}
	if s := explain(regional.err, nil, Typed, true); !strings.Contains(s, "--region us or --region emea") {
		t.Errorf("no client to name the region: %q", s)
	}
}

func TestExplainTheAnswersAndTheWaits(t *testing.T) {
	f := failures(t)
	if s := explain(f["timeout"].err, f["timeout"].c, Typed, false); !strings.Contains(s, "did not answer within 100ms") ||
		strings.Contains(s, "dropped") {
		t.Errorf("timeout: %q", s)
	}
	long := f["429 long"]
	var e *lattice.Error
	if !errors.As(long.err, &e) || e.RetryAt.IsZero() {
		t.Fatalf("429 long: %v", long.err)
	}
	if s := explain(long.err, long.c, Typed, false); !strings.Contains(s, "asked to wait 60 min.") ||
		!strings.Contains(s, "Try again after "+e.RetryAt.Local().Format("15:04:05")+".") || strings.Contains(s, "moment") {
		t.Errorf("429 long: %q", s)
	}
	at := time.Date(2026, 1, 2, 14, 3, 9, 0, time.Local)
	limited := &lattice.Error{Kind: lattice.RateLimited, RetryAfter: 3 * time.Hour, RetryAt: at}
	if s := explain(limited, nil, Stored, true); !strings.Contains(s, "asked to wait 3 h.") || !strings.Contains(s, "after 14:03:09.") {
		t.Errorf("rate limited: %q", s)
	}
	if s := explain(&lattice.Error{Kind: lattice.RateLimited, RetryAfter: time.Minute}, nil, Typed, false); !strings.Contains(s, "Try again in 60 s.") {
		t.Errorf("rate limited, no clock time: %q", s)
	}
	if s := explain(&lattice.Error{Kind: lattice.RateLimited}, nil, Typed, false); !strings.Contains(s, "did not say for how long") {
		t.Errorf("rate limited, no Retry-After: %q", s)
	}
	if explain(nil, nil, Typed, true) != "" {
		t.Error("no error, yet a message")
	}

	refused := f["refused"]
	if s := explain(refused.err, refused.c, Piped, true); !strings.Contains(s, ": the connection was refused.\n") ||
		!strings.HasSuffix(s, "Check --api-url and that the server there is running, then try again.") {
		t.Errorf("refused, at the shell: %q", s)
	}
	if s := explain(refused.err, refused.c, Typed, false); !strings.Contains(s, "Check that the server at ") {
		t.Errorf("refused, in the wizard: %q", s)
	}
	regional, _ := lattice.New(lattice.Options{Region: lattice.EMEA})
	dns := &lattice.Error{Kind: lattice.Unreachable, Host: regional.Primary.Host(), Cause: apihttp.CauseDNS, Name: regional.Primary.Host()}
	if s := explain(dns, regional, Typed, true); !strings.HasPrefix(s, "Could not reach Lattice (api.emea.latticehq.com, EMEA): the name ") ||
		!strings.Contains(s, "Check your connection and DNS") {
		t.Errorf("DNS, by region: %q", s)
	}
	tls := &lattice.Error{Kind: lattice.Unreachable, Host: "h", Cause: apihttp.CauseTLS}
	if s := explain(tls, nil, Typed, true); !strings.Contains(s, "inspects TLS") {
		t.Errorf("TLS: %q", s)
	}
}

// A 404 from a host that is not Lattice's is a wrong address, not Lattice
// changing.
func TestExplainNotFound(t *testing.T) {
	f := failures(t)["404"]
	if s := explain(f.err, f.c, Typed, true); !strings.Contains(s, "the address looks wrong") || !strings.Contains(s, "--api-url") {
		t.Errorf("at the shell: %q", s)
	}
	if s := explain(f.err, f.c, Typed, false); !strings.Contains(s, "the address looks wrong") || strings.Contains(s, "--api-url") {
		t.Errorf("in a face: %q", s)
	}
	lattice404 := &lattice.Error{Kind: lattice.Unexpected, Host: "api.latticehq.com", Status: 404, Detail: "status 404"}
	if s := explain(lattice404, nil, Typed, true); strings.Contains(s, "looks wrong") || !strings.Contains(s, "status 404") {
		t.Errorf("Lattice's own host: %q", s)
	}
}

func TestExplainSCIM(t *testing.T) {
	for _, err := range []error{
		&lattice.Error{Kind: lattice.Rejected, Host: "h", Status: 401},
		&lattice.Error{Kind: lattice.Unreachable, Host: "h", Timeout: 10 * time.Second, Detail: "no answer within 10 s"},
		&lattice.Error{Kind: lattice.RateLimited, RetryAfter: time.Minute},
		&lattice.Error{Kind: lattice.ServerError, Status: 502},
		context.Canceled,
		errors.New("boom"),
	} {
		s := (&Link{}).ExplainSCIM(err)
		if !strings.HasPrefix(s, "SCIM ") || !strings.Contains(s, "\n") || !strings.HasSuffix(s, ".") {
			t.Errorf("%v: %q", err, s)
		}
	}
	if s := (&Link{}).ExplainSCIM(&lattice.Error{Kind: lattice.Unreachable, Host: "api.latticehq.com", Timeout: 10 * time.Second}); !strings.Contains(s, "did not answer within 10 s") {
		t.Errorf("timeout: %q", s)
	}
	if s := (&Link{}).ExplainSCIM(&lattice.Error{Kind: lattice.RateLimited, RetryAfter: time.Minute}); !strings.HasSuffix(s, "check SCIM again in 60 s.") {
		t.Errorf("rate limited: %q", s)
	}
	if (&Link{}).ExplainSCIM(nil) != "" {
		t.Error("no error, yet a message")
	}
}

// Advice run as told acts on the profile it is about: a command it names
// carries --profile for any profile but the default, and the 403 advice
// reads as one sentence whichever face shows it.
func TestExplainNamesTheRunsProfile(t *testing.T) {
	f := failures(t)
	for _, name := range []string{"401 regional", "403"} {
		e := f[name]
		for profile, want := range map[string]string{
			"b":       ": run lattice-link --profile b connect.",
			"default": ": run lattice-link connect.",
			"":        ": run lattice-link connect.",
		} {
			s := (&Link{Client: e.c, Profile: profile}).Explain(e.err, Stored, true)
			if !strings.HasSuffix(s, want) || strings.Contains(s, ": :") {
				t.Errorf("%s, profile %q: %q, want it to end %q", name, profile, s, want)
			}
		}
		if s := (&Link{Client: e.c, Profile: "b"}).Explain(e.err, Stored, false); !strings.HasSuffix(s, "replace this one.") {
			t.Errorf("%s, in a face: %q", name, s)
		}
	}
	l := &Link{Profile: "acme"}
	if s := l.Explain(ErrDirtyKey, Stored, true); !strings.Contains(s, "(lattice-link --profile acme logout)") {
		t.Errorf("dirty key: %q", s)
	}
	if got := l.Command(""); got != "lattice-link --profile acme" {
		t.Errorf("Command(\"\") = %q", got)
	}
}
