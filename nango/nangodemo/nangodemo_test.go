package nangodemo_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
)

// post sends a raw POST to the stand-in and returns the status and Nango's
// error code.
func post(t *testing.T, srv *nangodemo.Server, path, query, contentType, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path+"?"+query, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &e)
	return resp.StatusCode, e.Error.Code
}

func TestPostIsAsStrictAsNango(t *testing.T) {
	srv := nangodemo.New()
	defer srv.Close()
	token := srv.NewSession()
	q := "connect_session_token=" + token
	path := "/api-auth/api-key/" + nangodemo.LatticeKey
	cases := []struct {
		name, path, query, contentType, body string
		header                               []string
		status                               int
		code                                 string
	}{
		{"wrong content type", path, q, "text/plain", `{"apiKey":"k"}`, nil, 415, "invalid_content_type"},
		{"form content type", path, q, "application/x-www-form-urlencoded", `apiKey=k`, nil, 415, "invalid_content_type"},
		{"no content type", path, q, "", `{"apiKey":"k"}`, nil, 400, "invalid_body"},
		{"unknown field", path, q, "application/json", `{"apiKey":"k","connection_id":"x"}`, nil, 400, "invalid_body"},
		{"wrong field name", path, q, "application/json", `{"api_key":"k"}`, nil, 400, "invalid_body"},
		{"empty key", path, q, "application/json", `{"apiKey":""}`, nil, 400, "invalid_body"},
		{"key not a string", path, q, "application/json", `{"apiKey":42}`, nil, 400, "invalid_body"},
		{"key too long", path, q, "application/json", `{"apiKey":"` + strings.Repeat("k", 1025) + `"}`, nil, 400, "invalid_body"},
		{"trailing data", path, q, "application/json", `{"apiKey":"k"}{}`, nil, 400, "invalid_body"},
		{"connection_id with a session", path, q + "&connection_id=mine", "application/json", `{"apiKey":"k"}`, nil, 400, "invalid_query_params"},
		{"token only in the header", path, "", "application/json", `{"apiKey":"k"}`, []string{"Authorization", "Bearer " + token}, 401, "missing_public_key"},
		{"malformed token", path, "connect_session_token=nango_connect_session_abc", "application/json", `{"apiKey":"k"}`, nil, 401, "invalid_connect_session_token_format"},
		{"unknown token", path, "connect_session_token=" + nangodemo.NewToken(), "application/json", `{"apiKey":"k"}`, nil, 401, "unknown_connect_session_token"},
		{"unknown integration", "/api-auth/api-key/lattice", q, "application/json", `{"apiKey":"k"}`, nil, 404, "unknown_provider_config"},
		{"OAuth integration", "/api-auth/api-key/" + nangodemo.GitHubKey, q, "application/json", `{"apiKey":"k"}`, nil, 400, "invalid_auth_mode"},
		{"the old path", "/auth/api-key/" + nangodemo.LatticeKey, q, "application/json", `{"apiKey":"k"}`, nil, 404, "not_found"},
		{"accepted", path, q, "application/json; charset=utf-8", `{"apiKey":"k"}`, nil, 200, ""},
	}
	for _, tc := range cases {
		status, code := post(t, srv, tc.path, tc.query, tc.contentType, tc.body, tc.header...)
		if status != tc.status || code != tc.code {
			t.Errorf("%s: %d %q, want %d %q", tc.name, status, code, tc.status, tc.code)
		}
	}
	if n := len(srv.Connections()); n != 1 {
		t.Errorf("%d connections, want the one accepted", n)
	}
}

func TestIntegrationNotAllowed(t *testing.T) {
	srv := nangodemo.New()
	defer srv.Close()
	token := srv.NewSessionWithoutLattice()
	status, code := post(t, srv, "/api-auth/api-key/"+nangodemo.LatticeKey, "connect_session_token="+token, "application/json", `{"apiKey":"k"}`)
	if status != 400 || code != "integration_not_allowed" {
		t.Errorf("%d %q", status, code)
	}
}

func TestGetsNeedTheBearerToken(t *testing.T) {
	srv := nangodemo.New()
	defer srv.Close()
	token := srv.NewSession()
	for _, tc := range []struct {
		name, target, auth string
		status             int
	}{
		{"no header", "/connect/session", "", 401},
		{"token in the query", "/connect/session?connect_session_token=" + token, "", 401},
		{"expired", "/integrations", "Bearer " + srv.ExpiredSession(), 401},
		{"a query", "/integrations?include=webhook", "Bearer " + token, 400},
		{"fine", "/integrations", "Bearer " + token, 200},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+tc.target, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
	}
}

func TestSessionsExpireAfterThirtyMinutes(t *testing.T) {
	srv := nangodemo.New()
	defer srv.Close()
	now := time.Now()
	srv.Now = func() time.Time { return now }
	token := srv.NewSession()
	l, err := nango.ParseLink(srv.Link(token), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := nango.New(l, nango.Options{})
	now = now.Add(29 * time.Minute)
	if _, err := c.Session(context.Background()); err != nil {
		t.Fatalf("after 29 minutes: %v", err)
	}
	now = now.Add(time.Minute)
	if _, err := c.Session(context.Background()); nango.KindOf(err) != nango.SessionExpired {
		t.Errorf("after 30 minutes: %v", err)
	}
}

func TestDemoLinkWorksEndToEnd(t *testing.T) {
	srv := nangodemo.New()
	defer srv.Close()
	link := srv.DemoLink()
	u, err := url.Parse(link)
	if err != nil || u.Host != "connect.nango.dev" || u.Query().Get("apiURL") != srv.URL {
		t.Fatalf("link %q", link)
	}
	// Another API named for the run: the link's host needs approval.
	l, err := nango.ParseLink(link, "https://ignored.example")
	if err != nil {
		t.Fatal(err)
	}
	if l.APIURL() != srv.URL || l.APISource() != nango.FromLink || l.Trusted() {
		t.Errorf("api %q from %v, trusted %v", l.APIURL(), l.APISource(), l.Trusted())
	}
	c := nango.New(l, nango.Options{})
	c.ApproveHost()
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if target.Integration.UniqueKey != nangodemo.LatticeKey || target.Session.EndUser.DisplayName != nangodemo.DemoUser.DisplayName {
		t.Errorf("target %+v", target)
	}
	conn, err := c.HandOff(context.Background(), target, "demo-4f1e-admin-8c2d-7f3c")
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Connections(); len(got) != 1 || got[0].ID != conn.ID || got[0].APIKey != "demo-4f1e-admin-8c2d-7f3c" {
		t.Errorf("connections %+v", got)
	}
}

func TestDelayEndsWhenTheClientGivesUp(t *testing.T) {
	srv := nangodemo.New()
	defer srv.Close()
	srv.Delay = time.Hour
	l, _ := nango.ParseLink(srv.DemoLink(), srv.URL)
	c := nango.New(l, nango.Options{})
	c.Budget = 100 * time.Millisecond
	start := time.Now()
	if _, err := c.Session(context.Background()); nango.KindOf(err) != nango.Timeout {
		t.Errorf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}

func TestCloseEndsAHang(t *testing.T) {
	srv := nangodemo.New()
	srv.FailNext(nangodemo.Fault{Hang: true})
	l, _ := nango.ParseLink(srv.DemoLink(), srv.URL)
	go func() { _, _ = nango.New(l, nango.Options{}).Session(context.Background()) }()
	for len(srv.Requests()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("Close waited for the hang")
	}
}
