package nango

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
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
		{"bare token and fallback", testToken, "https://nango.internal.example/", "https://nango.internal.example", FromFallback},
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
		{"http apiURL to localhost by name", "https://connect.nango.dev/?session_token=" + testToken + "&apiURL=http://localhost:3003", "", InvalidAPIURL},
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
		for _, shown := range []string{err.Error(), Explain(err), fmt.Sprintf("%+v %#v", err, err)} {
			if leaks(shown) {
				t.Errorf("%s: the error shows the token: %q", tc.name, shown)
			}
		}
	}
}

func TestLinkNeverPrintsTheToken(t *testing.T) {
	l, err := ParseLink("https://connect.nango.dev/?session_token="+testToken+"&apiURL=https://nango.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	type holder struct {
		link  Link
		Link  Link
		Links []Link
	}
	h := holder{link: l, Link: l, Links: []Link{l}}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("handing off", "link", l, "holder", h)
	js, _ := json.Marshal(h)
	outputs := []string{
		l.String(), l.GoString(), fmt.Sprint(l), fmt.Sprintf("%v %+v %#v %s %q %x %d", l, l, l, l, l, l, l),
		fmt.Sprintf("%v %+v %#v", h, h, &h), logged.String(), string(js),
		fmt.Sprintf("%v %+v %#v", New(l, Options{}), *New(l, Options{}), New(l, Options{})),
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
	if !strings.Contains(got, "…9f2e") {
		t.Errorf("redact dropped the key's tail: %q", got)
	}
}
