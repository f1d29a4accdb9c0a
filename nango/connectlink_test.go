package nango

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

const testToken = "nango_connect_session_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab7f3c"

// leaks reports whether s shows the token (or more of it than its tail).
func leaks(s string) bool {
	return strings.Contains(s, testToken) || strings.Contains(s, testToken[len(TokenPrefix):len(TokenPrefix)+12])
}

func TestParseLink(t *testing.T) {
	cases := []struct {
		name, raw, fallback string
		api                 string
		source              APISource
	}{
		{"link without apiURL", "https://connect.nango.dev/?session_token=" + testToken, "", DefaultAPIURL, FromDefault},
		{"link with apiURL", "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=https%3A%2F%2Fnango.example.com%2Fapi%2F",
			"", "https://nango.example.com/api", FromLink},
		{"apiURL beats the fallback", "https://connect.nango.dev/?apiURL=https://nango.example.com&session_token=" + testToken,
			"https://other.example.com", "https://nango.example.com", FromLink},
		{"loopback http apiURL", "http://127.0.0.1:3009/?session_token=" + testToken + "&apiURL=http://127.0.0.1:3003",
			"", "http://127.0.0.1:3003", FromLink},
		{"bare token", testToken, "", DefaultAPIURL, FromDefault},
		{"bare token, pasted with spaces", "  " + testToken + "\n", "", DefaultAPIURL, FromDefault},
		{"bare token and fallback", testToken, "https://nango.internal.example/", "https://nango.internal.example", FromNamed},
		{"link in angle brackets", "<https://connect.nango.dev/?session_token=" + testToken + ">", "", DefaultAPIURL, FromDefault},
	}
	for _, tc := range cases {
		l, err := ParseLink(tc.raw, tc.fallback)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if l.APIURL() != tc.api || l.APISource() != tc.source || l.sessionToken() != testToken || l.Tail() != "7f3c" {
			t.Errorf("%s: api %q from %v, tail %q", tc.name, l.APIURL(), l.APISource(), l.Tail())
		}
	}
}

func TestParseLinkRefuses(t *testing.T) {
	cases := []struct {
		name, raw, fallback string
		want                Kind
	}{
		{"empty", "  ", "", InvalidLink},
		{"words", "hello there", "", InvalidLink},
		{"link without token", "https://connect.nango.dev/?apiURL=https://api.nango.dev", "", InvalidLink},
		{"two tokens", "https://connect.nango.dev/?session_token=" + testToken + "&session_token=" + testToken, "", InvalidLink},
		{"upper-case hex", strings.ToUpper(testToken[:len(TokenPrefix)+1]) + testToken[len(TokenPrefix)+1:], "", InvalidLink},
		{"upper-case hex digits", TokenPrefix + strings.ToUpper(testToken[len(TokenPrefix):]), "", InvalidLink},
		{"short token", testToken[:len(testToken)-1], "", InvalidLink},
		{"long token", testToken + "0", "", InvalidLink},
		{"token in link, cut", "https://connect.nango.dev/?session_token=" + testToken[:60], "", InvalidLink},
		{"agent token", "nango_agent_session_" + testToken[len(TokenPrefix):], "", InvalidLink},
		{"ftp link", "ftp://connect.nango.dev/?session_token=" + testToken, "", InvalidLink},
		{"http apiURL to a remote host", "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=http://nango.example.com", "", InvalidAPIURL},
		{"http apiURL to a name that starts like localhost", "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=http://localhost.example.com:3003", "", InvalidAPIURL},
		{"apiURL with a C1 control", "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=https://api.nango.dev%C2%9B", "", InvalidAPIURL},
		{"apiURL with a right-to-left override", "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=https://api.%E2%80%AEved.ognan", "", InvalidAPIURL},
		{"apiURL holding the token", "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=" + testToken, "", InvalidAPIURL},
		{"apiURL with a query", "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=https%3A%2F%2Fx.example%2F%3Ft%3D" + testToken, "", InvalidAPIURL},
		{"http fallback to a remote host", testToken, "http://nango.example.com", InvalidAPIURL},
		{"two apiURLs", "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=https://a.example&apiURL=https://b.example", "", InvalidLink},
	}
	for _, tc := range cases {
		l, err := ParseLink(tc.raw, tc.fallback)
		if KindOf(err) != tc.want {
			t.Errorf("%s: kind %v, want %v (%v)", tc.name, KindOf(err), tc.want, err)
			continue
		}
		if !l.IsZero() {
			t.Errorf("%s: a link came back with the error", tc.name)
		}
		for _, shown := range []string{err.Error(), fmt.Sprintf("%+v %#v", err, err)} {
			if leaks(shown) {
				t.Errorf("%s: the error shows the token: %q", tc.name, shown)
			}
		}
	}
}

// Go's query parser drops a part with a ';' or a broken %-escape and says
// so only in its error: a link whose apiURL went that way would send the key
// to Nango Cloud. Such a link is refused, whatever part is hit.
func TestALinkWithAnUnreadableQueryIsRefused(t *testing.T) {
	for _, raw := range []string{
		"https://connect.nango.dev/?session_token=" + testToken + "&apiURL=https://nango.example.com;v=1",
		"https://connect.nango.dev/?session_token=" + testToken + ";apiURL=https://nango.example.com",
		"https://connect.nango.dev/?apiURL=https://nango.example.com;&session_token=" + testToken,
		"https://connect.nango.dev/?session_token=" + testToken + "&apiURL=https%3A%2F%2Fnango.example.com%zz",
		"https://connect.nango.dev/?session_token=" + testToken + "&utm=a;b",
	} {
		l, err := ParseLink(raw, "")
		var e *Error
		if !errors.As(err, &e) || e.Kind != InvalidLink || e.Problem != LinkBadQuery {
			t.Errorf("%s: %v, api %q, want the link refused (LinkBadQuery)", raw, err, l.APIURL())
			continue
		}
		if leaks(err.Error()) {
			t.Errorf("%s: the error shows the token: %v", raw, err)
		}
	}
}

// TestALinkDoesNotChooseWhereTheKeyGoes: Nango Cloud is trusted, and so is
// the origin the user named for the run; any other API a link names must be
// approved before anything is sent to it.
func TestALinkDoesNotChooseWhereTheKeyGoes(t *testing.T) {
	link := func(api string) string {
		return "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=" + api
	}
	for _, tc := range []struct {
		name, raw, named string
		trusted          bool
		host             string
	}{
		{"no apiURL: Nango Cloud", testToken, "", true, "api.nango.dev"},
		{"apiURL Nango Cloud", link("https://api.nango.dev"), "", true, "api.nango.dev"},
		{"named, no apiURL", testToken, "http://localhost:3003", true, "localhost:3003"},
		{"apiURL elsewhere", link("https://anything.example"), "", false, "anything.example"},
		{"apiURL elsewhere, another named", link("https://anything.example"), "https://nango.corp.example", false, "anything.example"},
		{"apiURL is the named origin", link("https://nango.corp.example/api"), "https://nango.corp.example", true, "nango.corp.example"},
		{"apiURL on the named host, another port", link("https://nango.corp.example:8443"), "https://nango.corp.example", false, "nango.corp.example:8443"},
		{"self-hosted on localhost", link("http://localhost:3003"), "", false, "localhost:3003"},
		{"a look-alike of Nango Cloud", link("https://api.n%D0%B0ngo.dev"), "", false, "api.xn--nngo-53d.dev"},
	} {
		l, err := ParseLink(tc.raw, tc.named)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if l.Trusted() != tc.trusted || l.Host() != tc.host {
			t.Errorf("%s: trusted %v, host %q; want %v, %q", tc.name, l.Trusted(), l.Host(), tc.trusted, tc.host)
		}
	}
}

func TestNothingIsSentToAHostNotApproved(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { requests.Add(1) }))
	defer srv.Close()
	l, err := ParseLink("https://connect.nango.dev/?session_token="+testToken+"&apiURL="+srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	c := New(l, Options{})
	if !c.NeedsApproval() {
		t.Fatal("a host the link named needs no approval")
	}
	_, err = c.Lookup(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != HostNotApproved || e.Host != l.Host() || e.KeySent() {
		t.Errorf("lookup: %#v", err)
	}
	if _, err := c.HandOff(context.Background(), Target{Integration: Integration{UniqueKey: "lattice", Provider: "lattice"}}, "a-key-of-some-length"); KindOf(err) != HostNotApproved {
		t.Errorf("hand-off: %v", err)
	}
	if requests.Load() != 0 {
		t.Errorf("%d requests reached a host nobody approved", requests.Load())
	}
	c.ApproveHost()
	if c.NeedsApproval() {
		t.Error("still needs approval")
	}
	_, _ = c.Session(context.Background())
	if requests.Load() == 0 {
		t.Error("nothing was sent once approved")
	}
}

func TestLinkNeverPrintsTheToken(t *testing.T) {
	l, err := ParseLink("https://connect.nango.dev/?session_token="+testToken+"&apiURL=https://nango.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	type holder struct {
		link  ConnectLink
		Link  ConnectLink
		Links []ConnectLink
	}
	h := holder{link: l, Link: l, Links: []ConnectLink{l}}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("handing off", "link", l, "holder", h)
	js, _ := json.Marshal(h)
	outputs := []string{
		l.String(), l.GoString(), fmt.Sprint(l), fmt.Sprintf("%v %+v %#v %s %q %x %d", l, l, l, l, l, l, l),
		fmt.Sprintf("%v %+v %#v", h, h, &h), logged.String(), string(js),
		fmt.Sprintf("%v %+v %#v", New(l, Options{}), New(l, Options{}), New(l, Options{})),
	}
	for _, out := range outputs {
		if leaks(out) {
			t.Errorf("shows the token: %q", out)
		}
	}
	if want := "Nango Connect session …7f3c at nango.example.com"; l.String() != want {
		t.Errorf("String = %q, want %q", l.String(), want)
	}
}

func TestRedact(t *testing.T) {
	key := "lattice-key-0123456789-9f2e"
	got := redact("bad key "+key+" for nango_connect_session_0123456789 and "+testToken, key, testToken)
	if strings.Contains(got, key) || leaks(got) || strings.Contains(got, "0123456789") {
		t.Errorf("redact left a secret: %q", got)
	}
	if upper := redact("bad key "+strings.ToUpper(key), key); strings.Contains(strings.ToLower(upper), key[:8]) {
		t.Errorf("redact left an upper-case echo: %q", upper)
	}
	if !strings.Contains(got, "…9f2e") {
		t.Errorf("redact dropped the key's tail: %q", got)
	}
}
