package nango

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
)

const testKey = "lattice-key-4f1e-8c2d-0000-7f3c"

func standIn(t *testing.T) *nangodemo.Server {
	t.Helper()
	srv := nangodemo.New()
	t.Cleanup(srv.Close)
	return srv
}

func clientFor(t *testing.T, srv *nangodemo.Server, token string) *Client {
	t.Helper()
	// Naming the stand-in's API for the run is what trusts it.
	l, err := ParseLink(srv.Link(token), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := New(l, Options{Version: "test"})
	c.Backoff = 10 * time.Millisecond
	return c
}

// assertSecretsHidden fails when anything a caller could print about err
// shows the key or more of a token than its tail.
func assertSecretsHidden(t *testing.T, err error, token string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, shown := range []string{err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err)} {
		if strings.Contains(shown, testKey) || (token != "" && strings.Contains(shown, token[len(TokenPrefix):len(TokenPrefix)+12])) {
			t.Errorf("a secret shows in %q", shown)
		}
		if strings.Contains(shown, "\x1b") {
			t.Errorf("an escape sequence shows in %q", shown)
		}
	}
}

func TestLookupNewSession(t *testing.T) {
	srv := standIn(t)
	token := srv.NewSession()
	target, err := clientFor(t, srv, token).Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := target.Session
	if s.EndUser == nil || *s.EndUser != (EndUser{ID: "usr_4821", Email: "grace@example.com", DisplayName: "Grace Hopper"}) {
		t.Errorf("end user %+v", s.EndUser)
	}
	if s.Organization == nil || *s.Organization != (Organization{ID: "org_acme", DisplayName: "Acme Corp"}) {
		t.Errorf("organization %+v", s.Organization)
	}
	if s.AllowedIntegrations != nil || s.IsReconnecting {
		t.Errorf("session %+v", s)
	}
	if target.Integration != (Integration{UniqueKey: "lattice-hr", Provider: "lattice", DisplayName: "Lattice"}) {
		t.Errorf("integration %+v", target.Integration)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Path != "/connect/session" || reqs[1].Path != "/integrations" {
		t.Fatalf("requests %+v", reqs)
	}
	for _, r := range reqs {
		if r.Method != http.MethodGet || !r.BearerToken || r.TokenInQuery || len(r.QueryKeys) != 0 || r.Body != "" {
			t.Errorf("request %+v", r)
		}
	}
}

func TestSessionHeaders(t *testing.T) {
	var got http.Header
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{"data":{"endUser":null,"connectUISettings":{}}}`))
	}))
	defer api.Close()
	l, err := ParseLink(testToken, api.URL)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(l, Options{Version: "1.2.3"}).Session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.EndUser != nil || s.Organization != nil {
		t.Errorf("a tags-only session has an end user: %+v", s)
	}
	if got.Get("Authorization") != "Bearer "+testToken || got.Get("Accept") != "application/json" ||
		got.Get("User-Agent") != "lattice-link/1.2.3" || got.Get("Content-Type") != "" {
		t.Errorf("headers %v", got)
	}
}

func TestHandOffNewConnection(t *testing.T) {
	srv := standIn(t)
	token := srv.NewSession()
	c := clientFor(t, srv, token)
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := c.HandOff(context.Background(), target, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if conn.ID == "" || conn.ProviderConfigKey != "lattice-hr" || conn.Updated || conn.Host != strings.TrimPrefix(srv.URL, "http://") || conn.At.IsZero() {
		t.Errorf("connection %+v", conn)
	}
	posts := srv.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d POSTs", len(posts))
	}
	p := posts[0]
	if p.Path != "/api-auth/api-key/lattice-hr" {
		t.Errorf("path %q", p.Path)
	}
	if p.Authorization || !p.TokenInQuery || !slices.Equal(p.QueryKeys, []string{"connect_session_token"}) {
		t.Errorf("the token must go only in the query: %+v", p)
	}
	if p.ContentType != "application/json" {
		t.Errorf("content type %q", p.ContentType)
	}
	if want := `{"apiKey":"` + testKey + `"}`; p.Body != want {
		t.Errorf("body %q, want %q", p.Body, want)
	}
	conns := srv.Connections()
	if len(conns) != 1 || conns[0].ID != conn.ID || conns[0].APIKey != testKey || conns[0].EndUserID != "usr_4821" {
		t.Errorf("the app holds %+v", conns)
	}
}

func TestHandOffBodyIsExact(t *testing.T) {
	srv := standIn(t)
	c := clientFor(t, srv, srv.NewSession())
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Characters Go escapes by default in HTML mode, and a quote.
	key := `k<e>y&"q"-0123456789`
	if _, err := c.HandOff(context.Background(), target, key); err != nil {
		t.Fatal(err)
	}
	if got, want := srv.Posts()[0].Body, `{"apiKey":"k<e>y&\"q\"-0123456789"}`; got != want {
		t.Errorf("body %q, want %q", got, want)
	}
	if got := srv.Connections()[0].APIKey; got != key {
		t.Errorf("the app got %q", got)
	}
}

func TestHandOffReconnect(t *testing.T) {
	srv := standIn(t)
	srv.AddConnection(nangodemo.Connection{ID: "conn-grace", ProviderConfigKey: "lattice-hr", APIKey: "old-key-1234567890", Created: time.Now()})
	c := clientFor(t, srv, srv.NewReconnectSession("conn-grace"))
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !target.Session.IsReconnecting || !slices.Equal(target.Session.AllowedIntegrations, []string{"lattice-hr"}) {
		t.Errorf("session %+v", target.Session)
	}
	conn, err := c.HandOff(context.Background(), target, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if conn.ID != "conn-grace" || !conn.Updated {
		t.Errorf("connection %+v", conn)
	}
	conns := srv.Connections()
	if len(conns) != 1 || conns[0].APIKey != testKey || conns[0].Updates != 1 {
		t.Errorf("the app holds %+v", conns)
	}
}

func TestReconnectToADeletedConnection(t *testing.T) {
	srv := standIn(t)
	token := srv.NewReconnectSession("conn-gone")
	c := clientFor(t, srv, token)
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv.RemoveConnection("conn-gone")
	_, err = c.HandOff(context.Background(), target, testKey)
	if KindOf(err) != ConnectionGone {
		t.Errorf("err = %v", err)
	}
	assertSecretsHidden(t, err, token)
}

func TestLinkWithoutLattice(t *testing.T) {
	srv := standIn(t)
	token := srv.NewSessionWithoutLattice()
	_, err := clientFor(t, srv, token).Lookup(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != NotAllowed || !slices.Equal(e.Allowed, []string{nangodemo.GitHubKey}) {
		t.Fatalf("err = %#v", err)
	}
	if len(srv.Posts()) != 0 {
		t.Error("a key was posted")
	}
}

func TestExpiredLink(t *testing.T) {
	srv := standIn(t)
	token := srv.ExpiredSession()
	_, err := clientFor(t, srv, token).Lookup(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != SessionExpired || e.Status != 401 || e.Code != "unknown_connect_session_token" {
		t.Fatalf("err = %#v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("a 401 was retried: %d requests", n)
	}
	assertSecretsHidden(t, err, token)
}

func TestLinkExpiresBeforeThePost(t *testing.T) {
	srv := standIn(t)
	token := srv.NewSession()
	c := clientFor(t, srv, token)
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv.Expire(token)
	_, err = c.HandOff(context.Background(), target, testKey)
	if KindOf(err) != SessionExpired {
		t.Errorf("err = %v", err)
	}
	if len(srv.Connections()) != 0 {
		t.Error("an expired link made a connection")
	}
	assertSecretsHidden(t, err, token)
}

func TestAppWithoutLatticeIntegration(t *testing.T) {
	srv := standIn(t)
	srv.SetIntegrations(nangodemo.DefaultIntegrations[1:]...)
	_, err := clientFor(t, srv, srv.NewSession()).Lookup(context.Background())
	if KindOf(err) != NoLatticeIntegration {
		t.Errorf("err = %v", err)
	}
}

func TestLatticeIntegrationWithWrongAuthMode(t *testing.T) {
	srv := standIn(t)
	srv.SetIntegrations(nangodemo.Integration{UniqueKey: "lattice", Provider: "lattice", DisplayName: "Lattice", AuthMode: nangodemo.AuthOAuth2})
	c := clientFor(t, srv, srv.NewSession())
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.HandOff(context.Background(), target, testKey)
	if KindOf(err) != WrongAuthMode {
		t.Errorf("err = %v", err)
	}
}

func TestIntegrationDeletedBeforeThePost(t *testing.T) {
	srv := standIn(t)
	c := clientFor(t, srv, srv.NewSession())
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIntegrations()
	_, err = c.HandOff(context.Background(), target, testKey)
	var e *Error
	if !errors.As(err, &e) || e.Kind != NoLatticeIntegration || e.Status != 404 || e.Code != "unknown_provider_config" {
		t.Errorf("err = %#v", err)
	}
}

// TestPostErrorCodes covers every code in NANGO-API.md's table and the
// ones Nango's source adds, as answers to the POST.
func TestPostErrorCodes(t *testing.T) {
	cases := []struct {
		status int
		code   string
		want   Kind
	}{
		{401, "invalid_connect_session_token_format", InvalidLink},
		{401, "unknown_connect_session_token", SessionExpired},
		{400, "integration_not_allowed", NotAllowed},
		{404, "unknown_provider_config", NoLatticeIntegration},
		{404, "unknown_provider_template", NoLatticeIntegration},
		{400, "invalid_auth_mode", WrongAuthMode},
		{400, "connection_test_failed", KeyRefused},
		{400, "connection_validation_failed", KeyRefused},
		{400, "invalid_credentials", KeyRefused},
		{400, "invalid_connection", ConnectionGone},
		{400, "invalid_body", Bug},
		{400, "invalid_query_params", Bug},
		{400, "invalid_uri_params", Bug},
		{415, "invalid_content_type", Bug},
		{401, "missing_public_key", Bug},
		{401, "unknown_account", AccountGone}, {401, "plan_not_found", AccountGone}, {403, "forbidden", Forbidden},
		{403, "something_new", Refused},
		{429, "too_many_request", RateLimited},
		{500, "server_error", ServerError},
		{503, "", ServerError},
		{404, "", Unexpected},
		{418, "", Unexpected},
	}
	for _, tc := range cases {
		srv := nangodemo.New()
		token := srv.NewSession()
		c := clientFor(t, srv, token)
		target, err := c.Lookup(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		fault := nangodemo.Fault{Method: http.MethodPost, Status: tc.status, Code: tc.code, RetryAfter: "7",
			Message: "\x1b]52;c;SGVsbG8=\x07refused " + testKey + " for " + token}
		if tc.code == "" {
			fault.Body, fault.ContentType = "<html>\x1b[2Jnope</html>", "text/html"
		}
		srv.FailNext(fault)
		_, err = c.HandOff(context.Background(), target, testKey)
		var e *Error
		if !errors.As(err, &e) || e.Kind != tc.want {
			t.Errorf("%d %s: kind %v, want %v (%v)", tc.status, tc.code, KindOf(err), tc.want, err)
			srv.Close()
			continue
		}
		if e.Status != tc.status || e.Code != tc.code || e.Call != CallHandOff {
			t.Errorf("%d %s: error %+v", tc.status, tc.code, e)
		}
		if tc.code != "" && (!strings.Contains(e.Message, "refused …7f3c for nango_connect_session_…") || strings.Contains(e.Message, "\x1b")) {
			t.Errorf("%d %s: message %q", tc.status, tc.code, e.Message)
		}
		if tc.want == RateLimited && e.RetryAfter != 7*time.Second {
			t.Errorf("Retry-After %v", e.RetryAfter)
		}
		if e.Uncertain != (tc.want == ServerError) {
			t.Errorf("%d %s: uncertain = %v", tc.status, tc.code, e.Uncertain)
		}
		if n := len(srv.Posts()); n != 1 {
			t.Errorf("%d %s: %d POSTs, want exactly 1", tc.status, tc.code, n)
		}
		assertSecretsHidden(t, err, token)
		srv.Close()
	}
}

func TestSessionErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
		want   Kind
	}{
		{401, "unknown_connect_session_token", SessionExpired},
		{401, "invalid_connect_session_token_format", InvalidLink},
		{400, "invalid_query_params", Bug},
		{401, "missing_auth_header", Bug},
		{429, "too_many_request", RateLimited},
	} {
		srv := standIn(t)
		srv.FailNext(nangodemo.Fault{Path: "/connect/session", Status: tc.status, Code: tc.code})
		_, err := clientFor(t, srv, srv.NewSession()).Lookup(context.Background())
		if KindOf(err) != tc.want {
			t.Errorf("%s: kind %v, want %v", tc.code, KindOf(err), tc.want)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("%s: %d requests; a refusal is not retried", tc.code, n)
		}
	}
}

func TestPostIsNeverRetried(t *testing.T) {
	for _, fault := range []nangodemo.Fault{
		{Method: http.MethodPost, Status: http.StatusBadGateway, Body: "<html>Bad Gateway</html>", ContentType: "text/html"},
		{Method: http.MethodPost, Status: http.StatusInternalServerError, Code: "server_error", Message: "failed to create connection"},
		{Method: http.MethodPost, Drop: true},
	} {
		srv := standIn(t)
		c := clientFor(t, srv, srv.NewSession())
		target, err := c.Lookup(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		srv.FailNext(fault)
		_, err = c.HandOff(context.Background(), target, testKey)
		var e *Error
		if !errors.As(err, &e) || !e.Uncertain {
			t.Errorf("%+v: err = %#v, want an uncertain failure", fault, err)
		}
		if n := len(srv.Posts()); n != 1 {
			t.Errorf("%+v: %d POSTs, want exactly 1", fault, n)
		}
		if len(srv.Connections()) != 0 {
			t.Errorf("%+v: a connection was made", fault)
		}
		if !errors.As(err, &e) || !e.Uncertain || !e.KeySent() {
			t.Errorf("%+v: not reported as possibly received: %#v", fault, err)
		}
	}
}

func TestPostTimeoutIsUncertain(t *testing.T) {
	srv := standIn(t)
	c := clientFor(t, srv, srv.NewSession())
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv.FailNext(nangodemo.Fault{Method: http.MethodPost, Hang: true})
	c.Budget = 300 * time.Millisecond
	start := time.Now()
	_, err = c.HandOff(context.Background(), target, testKey)
	var e *Error
	if !errors.As(err, &e) || e.Kind != Timeout || !e.Uncertain {
		t.Fatalf("err = %#v", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("the budget was not kept: %v", time.Since(start))
	}
	if n := len(srv.Posts()); n != 1 {
		t.Errorf("%d POSTs", n)
	}
}

func TestGetRetriesOnce(t *testing.T) {
	cases := []struct {
		name     string
		faults   []nangodemo.Fault
		want     Kind
		requests int
	}{
		{"503 then fine", []nangodemo.Fault{{Path: "/connect/session", Status: 503}}, 0, 2},
		{"dropped then fine", []nangodemo.Fault{{Path: "/connect/session", Drop: true}}, 0, 2},
		{"503 twice", []nangodemo.Fault{{Path: "/connect/session", Status: 503, Times: 2}}, ServerError, 2},
		{"dropped twice", []nangodemo.Fault{{Path: "/connect/session", Drop: true, Times: 2}}, Unreachable, 2},
		{"401 once", []nangodemo.Fault{{Path: "/connect/session", Status: 401, Code: "unknown_connect_session_token"}}, SessionExpired, 1},
	}
	for _, tc := range cases {
		srv := standIn(t)
		for _, f := range tc.faults {
			srv.FailNext(f)
		}
		_, err := clientFor(t, srv, srv.NewSession()).Session(context.Background())
		if KindOf(err) != tc.want {
			t.Errorf("%s: kind %v, want %v (%v)", tc.name, KindOf(err), tc.want, err)
		}
		if n := len(srv.Requests()); n != tc.requests {
			t.Errorf("%s: %d requests, want %d", tc.name, n, tc.requests)
		}
		var e *Error
		if errors.As(err, &e) && e.Uncertain {
			t.Errorf("%s: a GET is never uncertain", tc.name)
		}
	}
}

func TestUnexpectedAnswers(t *testing.T) {
	cases := []struct {
		name  string
		fault nangodemo.Fault
		call  func(*Client) error
	}{
		{"HTML page", nangodemo.Fault{Path: "/connect/session", Status: 200, Body: "<!doctype html><title>Connect</title>", ContentType: "text/html"},
			func(c *Client) error { _, err := c.Session(context.Background()); return err }},
		{"JSON without data", nangodemo.Fault{Path: "/connect/session", Status: 200, Body: `{"endUser":{}}`},
			func(c *Client) error { _, err := c.Session(context.Background()); return err }},
		{"integrations not a list", nangodemo.Fault{Path: "/integrations", Status: 200, Body: `{"data":{"unique_key":"lattice"}}`},
			func(c *Client) error { _, err := c.Integrations(context.Background()); return err }},
		{"404 page from the Connect UI host", nangodemo.Fault{Path: "/integrations", Status: 404, Body: "Cannot GET /integrations", ContentType: "text/plain"},
			func(c *Client) error { _, err := c.Integrations(context.Background()); return err }},
		{"larger than 1 MiB", nangodemo.Fault{Path: "/connect/session", Status: 200, Body: `{"data":"` + strings.Repeat("x", apihttp.MaxBody) + `"}`},
			func(c *Client) error { _, err := c.Session(context.Background()); return err }},
	}
	for _, tc := range cases {
		srv := standIn(t)
		srv.FailNext(tc.fault)
		token := srv.NewSession()
		err := tc.call(clientFor(t, srv, token))
		if KindOf(err) != Unexpected {
			t.Errorf("%s: kind %v (%v)", tc.name, KindOf(err), err)
		}
		if KindOf(err) != Unexpected {
			t.Errorf("%s: kind %v", tc.name, KindOf(err))
		}
		assertSecretsHidden(t, err, token)
	}
}

func TestPostAnswerWithoutConnectionIsUncertain(t *testing.T) {
	srv := standIn(t)
	c := clientFor(t, srv, srv.NewSession())
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv.FailNext(nangodemo.Fault{Method: http.MethodPost, Status: 200, Body: `{"ok":true}`})
	_, err = c.HandOff(context.Background(), target, testKey)
	var e *Error
	if !errors.As(err, &e) || e.Kind != Unexpected || !e.Uncertain {
		t.Errorf("err = %#v", err)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer api.Close()
	l, err := ParseLink(testToken, api.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := New(l, Options{})
	_, err = c.Session(context.Background())
	if KindOf(err) != Unexpected || !strings.Contains(err.Error(), "redirect") {
		t.Errorf("GET: err = %v", err)
	}
	_, err = c.HandOff(context.Background(), Target{Integration: Integration{UniqueKey: "lattice", Provider: "lattice"}}, testKey)
	if KindOf(err) != Unexpected {
		t.Errorf("POST: err = %v", err)
	}
	if reached.Load() != 0 {
		t.Error("a request followed the redirect")
	}
	assertSecretsHidden(t, err, testToken)
}

func TestHostileStringsAreCleaned(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/connect/session":
			_, _ = w.Write([]byte(`{"data":{"endUser":{"id":"u\u001b[2J1","display_name":"Grace\u001b]52;c;SGVsbG8=\u0007 Hopper\u202e",` +
				`"email":"g@example.com\r\nX: y","organization":{"id":"o1","display_name":null}},` +
				`"allowed_integrations":["lattice","bad\u001b[31mkey"]}}`))
		case "/integrations":
			_, _ = w.Write([]byte(`{"data":[{"unique_key":"lattice","provider":"lattice","display_name":"Lat\u001b[5mtice"},` +
				`{"unique_key":"../../connections","provider":"lattice","display_name":"x"}]}`))
		}
	}))
	defer api.Close()
	l, _ := ParseLink(testToken, api.URL)
	target, err := New(l, Options{}).Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := target.Session
	for _, v := range []string{s.EndUser.ID, s.EndUser.DisplayName, s.EndUser.Email, target.Integration.DisplayName} {
		if strings.ContainsAny(v, "\x1b\x07\r\n\u202e") {
			t.Errorf("not cleaned: %q", v)
		}
	}
	if s.EndUser.DisplayName != "Grace Hopper" || s.Organization.DisplayName != "" {
		t.Errorf("session %+v %+v", s.EndUser, s.Organization)
	}
	if !slices.Equal(s.AllowedIntegrations, []string{"lattice"}) {
		t.Errorf("allowed %q", s.AllowedIntegrations)
	}
	if target.Integration.UniqueKey != "lattice" {
		t.Errorf("integration %+v", target.Integration)
	}
}

func TestPickLattice(t *testing.T) {
	hr := Integration{UniqueKey: "lattice-hr", Provider: "lattice"}
	plain := Integration{UniqueKey: "lattice", Provider: "lattice"}
	gh := Integration{UniqueKey: "github", Provider: "github"}
	cases := []struct {
		name    string
		list    []Integration
		allowed []string
		chosen  string
		want    Integration
		kind    Kind
	}{
		{"the only one", []Integration{gh, hr}, nil, "", hr, 0},
		// Nango's Connect UI lets the user choose: so does the caller.
		{"several, none chosen", []Integration{hr, plain}, nil, "", Integration{}, SeveralIntegrations},
		{"several, one chosen", []Integration{hr, plain}, nil, "lattice-hr", hr, 0},
		{"several, an unknown one chosen", []Integration{hr, plain}, nil, "github", Integration{}, UnknownIntegration},
		{"the allowed one among several", []Integration{plain, hr}, []string{"lattice-hr", "github"}, "", hr, 0},
		{"none", []Integration{gh}, nil, "", Integration{}, NoLatticeIntegration},
		{"nothing listed", nil, nil, "", Integration{}, NoLatticeIntegration},
		{"listed but not allowed", []Integration{gh, hr}, []string{"github"}, "", Integration{}, NotAllowed},
		{"not listed, others allowed", []Integration{gh}, []string{"github"}, "", Integration{}, NotAllowed},
	}
	for _, tc := range cases {
		got, err := PickLattice(tc.list, Session{AllowedIntegrations: tc.allowed}, tc.chosen)
		if got != tc.want || KindOf(err) != tc.kind {
			t.Errorf("%s: %+v, %v", tc.name, got, err)
		}
		var e *Error
		if tc.kind == SeveralIntegrations && (!errors.As(err, &e) || len(e.Choices) != 2) {
			t.Errorf("%s: the choices are not given: %#v", tc.name, err)
		}
	}
}

func TestHandOffRefusesImpossibleKeysWithoutPosting(t *testing.T) {
	srv := standIn(t)
	c := clientFor(t, srv, srv.NewSession())
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"", strings.Repeat("k", MaxAPIKeyLength+1), strings.Repeat("😀", MaxAPIKeyLength/2+1)} {
		if _, err := c.HandOff(context.Background(), target, key); KindOf(err) != KeyRefused {
			t.Errorf("key of %d bytes: err = %v", len(key), err)
		}
	}
	if _, err := c.HandOff(context.Background(), Target{Integration: Integration{UniqueKey: "../x"}}, testKey); KindOf(err) != NoLatticeIntegration {
		t.Errorf("bad unique key: err = %v", err)
	}
	if len(srv.Posts()) != 0 {
		t.Error("a key was posted")
	}
	if _, err := c.HandOff(context.Background(), target, strings.Repeat("k", MaxAPIKeyLength)); err != nil {
		t.Errorf("a key of the longest length was refused: %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	srv := nangodemo.New()
	token := srv.NewSession()
	c := clientFor(t, srv, token)
	srv.Close()
	_, err := c.Session(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != Unreachable || e.Cause != apihttp.CauseRefused {
		t.Fatalf("err = %#v", err)
	}
	_, err = c.HandOff(context.Background(), Target{Integration: Integration{UniqueKey: "lattice-hr", Provider: "lattice"}}, testKey)
	if !errors.As(err, &e) || e.Kind != Unreachable || e.Uncertain {
		t.Errorf("a refused connection cannot have delivered the key: %#v", err)
	}
	assertSecretsHidden(t, err, token)
	if e.Err != nil && strings.Contains(e.Err.Error(), token[len(TokenPrefix):]) {
		t.Errorf("the cause keeps the URL: %v", e.Err)
	}
}

func TestGetTimeout(t *testing.T) {
	srv := standIn(t)
	srv.FailNext(nangodemo.Fault{Path: "/connect/session", Hang: true, Times: 5})
	c := clientFor(t, srv, srv.NewSession())
	c.Budget = 200 * time.Millisecond
	_, err := c.Session(context.Background())
	if KindOf(err) != Timeout || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

func TestCancel(t *testing.T) {
	srv := standIn(t)
	srv.FailNext(nangodemo.Fault{Path: "/connect/session", Hang: true})
	c := clientFor(t, srv, srv.NewSession())
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := c.Session(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestZeroLink(t *testing.T) {
	if _, err := New(ConnectLink{}, Options{}).Session(context.Background()); KindOf(err) != InvalidLink {
		t.Errorf("err = %v", err)
	}
}

func TestEveryKindHasAName(t *testing.T) {
	for _, k := range Kinds() {
		e := &Error{Kind: k, Host: "api.nango.dev", Detail: "detail"}
		if !strings.Contains(e.Error(), k.String()) || strings.HasPrefix(k.String(), "kind_") {
			t.Errorf("%d: %q / %q", k, e.Error(), k)
		}
	}
}

// TestAHostileNangoGetsNoSecretKept: a Nango that echoes the session token
// and the key in every answer gets neither into what the client returns —
// names, integrations, the connection, errors — and a connection id that is
// the key is refused, not kept.
func TestAHostileNangoGetsNoSecretKept(t *testing.T) {
	srv := standIn(t)
	srv.Hostile = true
	token := srv.NewSession()
	c := clientFor(t, srv, token)
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	shown := fmt.Sprintf("%+v %+v %+v", target, *target.Session.EndUser, *target.Session.Organization)
	if strings.Contains(shown, token[len(TokenPrefix):len(TokenPrefix)+8]) || !strings.Contains(shown, "Grace") {
		t.Errorf("the session keeps the token: %s", shown)
	}
	list, _ := c.Integrations(context.Background())
	for _, i := range list {
		if strings.Contains(i.UniqueKey+i.DisplayName, token[len(TokenPrefix):len(TokenPrefix)+16]) {
			t.Errorf("an integration keeps the token: %+v", i)
		}
	}
	conn, err := c.HandOff(context.Background(), target, testKey)
	var e *Error
	if !errors.As(err, &e) || e.Kind != Unexpected || !e.Uncertain || conn.ID != "" {
		t.Errorf("a connection id that is the key was taken: %+v, %#v", conn, err)
	}
	assertSecretsHidden(t, err, token)
	if strings.Contains(fmt.Sprintf("%+v", err), testKey[len(testKey)/2:]) {
		t.Errorf("the error keeps the key: %+v", err)
	}
}

func TestConnectionIDsAreCheckedAgainstNangosSchema(t *testing.T) {
	for id, ok := range map[string]bool{
		"9b2c6a1e-1f0e-4c1a-9d4e-2b7e1c0a5f3d": true, "acme-lattice": true, `{"email":"a@b.c"}`: true,
		"": false, "a\x1b[2Jb": false, "café": false, strings.Repeat("a", 256): false, "a\nb": false,
	} {
		if validConnectionID(id) != ok {
			t.Errorf("%q: valid = %v", id, !ok)
		}
	}
}

func TestSessionAnswersAreCheckedAsNangosUIDoes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault nangodemo.Fault
		want  Kind
	}{
		{"end user gone", nangodemo.Fault{Path: "/connect/session", Status: 404, Code: "not_found", Message: "End user not found"}, EndUserGone},
		{"no end user", nangodemo.Fault{Path: "/connect/session", Status: 400, Code: "invalid_body", Message: "end_user is required unless tags are provided"}, NoEndUser},
		{"a 200 that carries an error", nangodemo.Fault{Path: "/connect/session", Status: 200, Code: "unknown_connect_session_token"}, SessionExpired},
		{"forbidden integrations", nangodemo.Fault{Path: "/integrations", Status: 403, Code: "forbidden"}, Forbidden},
		{"a code that is not one", nangodemo.Fault{Path: "/connect/session", Status: 400, Code: "Bad\x1b[31m code"}, Unexpected},
	} {
		srv := standIn(t)
		srv.FailNext(tc.fault)
		_, err := clientFor(t, srv, srv.NewSession()).Lookup(context.Background())
		var e *Error
		if !errors.As(err, &e) || e.Kind != tc.want || e.KeySent() {
			t.Errorf("%s: %#v, want %v", tc.name, err, tc.want)
			continue
		}
		if strings.ContainsRune(e.Code, '\x1b') {
			t.Errorf("%s: the code was kept raw: %q", tc.name, e.Code)
		}
	}
}
