// Package nangodemo is an in-process stand-in for the part of Nango's API
// that a Connect link opens: GET /connect/session, GET /integrations and
// POST /api-auth/api-key/{providerConfigKey}. It backs the tests and
// `lattice-link --demo`. It answers with Nango's shapes, status codes and
// error codes (as read in NangoHQ/nango at 2f4c0af, see package nango), is as
// strict as Nango about the POST, and records what it received.
package nangodemo

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// SessionLifetime is how long Nango keeps a Connect session.
const SessionLifetime = 30 * time.Minute

// LatticeKey is the unique key of the stand-in's Lattice integration. It
// is deliberately not "lattice": a client must use the key Nango lists.
const LatticeKey = "lattice-hr"

// The stand-in's other integrations, for links that do not allow Lattice
// and for an integration whose auth mode is not an API key.
const (
	GitHubKey   = "github-getting-started"
	BambooHRKey = "bamboohr-basic"
)

// Auth modes, as in Nango's providers.yaml.
const (
	AuthAPIKey = "API_KEY"
	AuthOAuth2 = "OAUTH2"
	AuthBasic  = "BASIC"
)

// Integration is one integration of the stand-in's app.
type Integration struct {
	UniqueKey, Provider, DisplayName, AuthMode string
}

// DefaultIntegrations are what New sets up.
var DefaultIntegrations = []Integration{
	{UniqueKey: LatticeKey, Provider: "lattice", DisplayName: "Lattice", AuthMode: AuthAPIKey},
	{UniqueKey: GitHubKey, Provider: "github", DisplayName: "GitHub", AuthMode: AuthOAuth2},
	{UniqueKey: BambooHRKey, Provider: "bamboohr", DisplayName: "BambooHR", AuthMode: AuthBasic},
}

// EndUser is who a session is for.
type EndUser struct{ ID, Email, DisplayName string }

// Organization is the end user's organization.
type Organization struct{ ID, DisplayName string }

// DemoUser and DemoOrganization are who NewSession's links are for.
var (
	DemoUser         = EndUser{ID: "usr_4821", Email: "grace@example.com", DisplayName: "Grace Hopper"}
	DemoOrganization = Organization{ID: "org_acme", DisplayName: "Acme Corp"}
)

// SessionOptions describe a session to mint.
type SessionOptions struct {
	EndUser      *EndUser      // nil: a session made with tags only (Nango then sends endUser: null)
	Organization *Organization // nil: none
	// AllowedIntegrations are unique keys; nil allows every integration.
	AllowedIntegrations []string
	// ReconnectID makes a reconnect session for this connection: the POST
	// updates it instead of making a new one.
	ReconnectID string
	// ExpiresIn defaults to SessionLifetime; below zero, the session has
	// already expired.
	ExpiresIn time.Duration
}

// Connection is a connection the stand-in's app holds.
type Connection struct {
	ID                string
	ProviderConfigKey string
	APIKey            string
	EndUserID         string
	Created, Updated  time.Time
	Updates           int // how many times a reconnect session replaced the key
}

// Request is what the stand-in received. It keeps the body (and so any
// posted key): it is a test double, and tests assert on exactly that.
type Request struct {
	Method, Path string
	QueryKeys    []string // names only; the token's value is not kept
	ContentType  string
	// Authorization: any Authorization header came; BearerToken: it carried a
	// session token; TokenInQuery: connect_session_token was in the query.
	Authorization, BearerToken, TokenInQuery bool
	Body                                     string
	Status                                   int // what the stand-in answered; 0 for a hang or a dropped connection
}

// Fault makes the stand-in answer requests in a way Nango or the network
// can: a status with an error code, a raw body, a hang or a dropped
// connection. Faults are used before normal handling, in order.
type Fault struct {
	Method, Path  string // match; empty matches any
	Status        int
	Code, Message string // sent as {"error":{"code","message"}}
	Body          string // sent as is instead, when set
	ContentType   string // default application/json
	RetryAfter    string
	Hang          bool // send nothing until the client gives up
	Drop          bool // close the connection without an answer
	Times         int  // how many requests it answers; 0 means 1
}

type session struct {
	SessionOptions
	expires time.Time
}

// Server is a running stand-in.
type Server struct {
	*httptest.Server
	// Delay is added to every answer (not to hangs), so a demo's spinner
	// shows; a client that gives up stops it.
	Delay time.Duration
	// Now is the stand-in's clock, for expiring sessions.
	Now func() time.Time
	// Hostile makes the stand-in echo the session token and the posted key
	// in every answer it can — names, the integration list, the connection
	// id, the content type — as a hostile or broken Nango could, for tests
	// that nothing from Nango is kept or shown unredacted. Set it before the
	// first request.
	Hostile bool

	mu           sync.Mutex
	sessions     map[string]*session
	integrations []Integration
	connections  map[string]*Connection
	requests     []Request
	faults       []*Fault
	closing      chan struct{}
	closeOnce    sync.Once
}

// New starts a stand-in on a loopback port with DefaultIntegrations.
func New() *Server {
	s := &Server{
		Now:          time.Now,
		sessions:     map[string]*session{},
		integrations: slices.Clone(DefaultIntegrations),
		connections:  map[string]*Connection{},
		closing:      make(chan struct{}),
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close ends hangs and delays, then stops the server: httptest's Close
// would otherwise wait for them.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.Server.Close()
}

// NewToken is a well-formed session token that no stand-in knows.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "nango_connect_session_" + hex.EncodeToString(b)
}

// NewSession mints a session for DemoUser at DemoOrganization that may
// create a new connection to any integration; it returns the token.
func (s *Server) NewSession() string {
	u, o := DemoUser, DemoOrganization
	return s.NewSessionWith(SessionOptions{EndUser: &u, Organization: &o})
}

// NewSessionWith mints a session as described.
func (s *Server) NewSessionWith(o SessionOptions) string {
	token := NewToken()
	ttl := o.ExpiresIn
	if ttl == 0 {
		ttl = SessionLifetime
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[token] = &session{SessionOptions: o, expires: s.Now().Add(ttl)}
	return token
}

// NewReconnectSession mints a reconnect session for the connection id, as
// POST /connect/sessions/reconnect does: it allows only that connection's
// integration, and the POST replaces the connection's key. A connection
// that does not exist yet is made, with no key, on LatticeKey.
func (s *Server) NewReconnectSession(connectionID string) string {
	s.mu.Lock()
	c, found := s.connections[connectionID]
	if !found {
		now := s.Now()
		c = &Connection{ID: connectionID, ProviderConfigKey: LatticeKey, EndUserID: DemoUser.ID, Created: now, Updated: now}
		s.connections[connectionID] = c
	}
	key := c.ProviderConfigKey
	s.mu.Unlock()
	u, o := DemoUser, DemoOrganization
	return s.NewSessionWith(SessionOptions{EndUser: &u, Organization: &o, AllowedIntegrations: []string{key}, ReconnectID: connectionID})
}

// NewSessionWithoutLattice mints a session that allows only GitHub.
func (s *Server) NewSessionWithoutLattice() string {
	u := DemoUser
	return s.NewSessionWith(SessionOptions{EndUser: &u, AllowedIntegrations: []string{GitHubKey}})
}

// ExpiredSession mints a session that ended a minute ago: Nango answers
// 401 unknown_connect_session_token for it.
func (s *Server) ExpiredSession() string {
	u := DemoUser
	token := s.NewSessionWith(SessionOptions{EndUser: &u})
	s.Expire(token)
	return token
}

// Expire ends a session now.
func (s *Server) Expire(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, found := s.sessions[token]; found {
		sess.expires = s.Now().Add(-time.Minute)
	}
}

// Link is the Connect link for token, naming this stand-in as its API.
func (s *Server) Link(token string) string {
	return "https://connect.nango.dev/?session_token=" + token + "&apiURL=" + url.QueryEscape(s.URL)
}

// DemoLink mints a new-connection session and returns its link: all that
// `--demo` needs.
func (s *Server) DemoLink() string { return s.Link(s.NewSession()) }

// SetIntegrations replaces the app's integrations.
func (s *Server) SetIntegrations(list ...Integration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.integrations = slices.Clone(list)
}

// AddConnection gives the app a connection, as if made earlier.
func (s *Server) AddConnection(c Connection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connections[c.ID] = &c
}

// RemoveConnection deletes a connection, as the app's admins can.
func (s *Server) RemoveConnection(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.connections, id)
}

// Connections returns the app's connections, oldest first.
func (s *Server) Connections() []Connection {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Connection, 0, len(s.connections))
	for _, c := range s.connections {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Connection) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Requests returns what the stand-in has received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Posts returns the POSTs received so far.
func (s *Server) Posts() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost {
			out = append(out, r)
		}
	}
	return out
}

// FailNext queues a fault.
func (s *Server) FailNext(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

var tokenPattern = regexp.MustCompile(`^nango_connect_session_[a-f0-9]{64}$`)

// answer is one reply; status 0 means drop the connection.
type answer struct {
	status     int
	body       any
	raw        string
	rawType    string
	retryAfter string
	hang       bool
}

func errorAnswer(status int, code, message string) answer {
	e := map[string]any{"code": code}
	if message != "" {
		e["message"] = message
	}
	return answer{status: status, body: map[string]any{"error": e}}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	auth := r.Header.Get("Authorization")
	rec := Request{
		Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"),
		Authorization: auth != "", BearerToken: strings.HasPrefix(auth, "Bearer nango_connect_session_"),
		TokenInQuery: r.URL.Query().Has("connect_session_token"), Body: string(body),
	}
	for k := range r.URL.Query() {
		rec.QueryKeys = append(rec.QueryKeys, k)
	}
	slices.Sort(rec.QueryKeys)

	s.mu.Lock()
	a, faulted := s.takeFault(r)
	if !faulted {
		a = s.handle(r, body)
	}
	rec.Status = a.status
	s.requests = append(s.requests, rec)
	delay := s.Delay
	s.mu.Unlock()

	if a.hang {
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
		return
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		}
	}
	if a.status == 0 {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return
	}
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	if a.raw != "" || a.body == nil {
		w.Header().Set("Content-Type", cmp.Or(a.rawType, "application/json"))
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.raw)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(a.status)
	_ = json.NewEncoder(w).Encode(a.body)
}

// takeFault is called with s.mu held.
func (s *Server) takeFault(r *http.Request) (answer, bool) {
	for i, f := range s.faults {
		if (f.Method != "" && f.Method != r.Method) || (f.Path != "" && f.Path != r.URL.Path) {
			continue
		}
		f.Times--
		if f.Times == 0 {
			s.faults = slices.Delete(s.faults, i, i+1)
		}
		switch {
		case f.Hang:
			return answer{status: 0, hang: true}, true
		case f.Drop:
			return answer{}, true
		case f.Body != "":
			return answer{status: f.Status, raw: f.Body, rawType: f.ContentType, retryAfter: f.RetryAfter}, true
		case f.Code != "":
			a := errorAnswer(f.Status, f.Code, f.Message)
			a.retryAfter = f.RetryAfter
			return a, true
		default:
			return answer{status: f.Status, retryAfter: f.RetryAfter}, true
		}
	}
	return answer{}, false
}

// handle is called with s.mu held.
func (s *Server) handle(r *http.Request, body []byte) answer {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/connect/session":
		sess, fail, ok := s.bearerSession(r)
		if !ok {
			return fail
		}
		if r.URL.RawQuery != "" {
			return errorAnswer(http.StatusBadRequest, "invalid_query_params", "")
		}
		data := sessionData(sess)
		if s.Hostile {
			// The whole token, its hex part alone, and its first 32
			// characters as Nango's own not-found errors quote it.
			token := bearer(r)
			data["endUser"] = map[string]any{"id": token, "display_name": "Grace " + strings.TrimPrefix(token, "nango_connect_session_"),
				"email":        token[:min(32, len(token))] + "@example.com",
				"organization": map[string]any{"id": "org", "display_name": "Acme " + token}}
		}
		return answer{status: http.StatusOK, body: map[string]any{"data": data}}
	case r.Method == http.MethodGet && r.URL.Path == "/integrations":
		sess, fail, ok := s.bearerSession(r)
		if !ok {
			return fail
		}
		if r.URL.RawQuery != "" {
			return errorAnswer(http.StatusBadRequest, "invalid_query_params", "")
		}
		list := []any{}
		for _, i := range s.integrations {
			if sess.AllowedIntegrations == nil || slices.Contains(sess.AllowedIntegrations, i.UniqueKey) {
				list = append(list, map[string]any{
					"unique_key": i.UniqueKey, "provider": i.Provider, "display_name": i.DisplayName,
					"logo":             "https://app.nango.dev/images/template-logos/" + i.Provider + ".svg",
					"forward_webhooks": true, "created_at": "2026-01-05T10:00:00.000Z", "updated_at": "2026-01-05T10:00:00.000Z",
				})
			}
		}
		if s.Hostile {
			token := bearer(r)
			list = append(list, map[string]any{"unique_key": token, "provider": "github", "display_name": token})
			for _, i := range list {
				i.(map[string]any)["display_name"] = "Lattice " + token
			}
		}
		return answer{status: http.StatusOK, body: map[string]any{"data": list}}
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api-auth/api-key/"):
		return s.postAPIKey(r, body)
	default:
		return errorAnswer(http.StatusNotFound, "not_found", "Route not found")
	}
}

// bearerSession authenticates as Nango's connectSessionAuth does.
func (s *Server) bearerSession(r *http.Request) (*session, answer, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, errorAnswer(http.StatusUnauthorized, "missing_auth_header", "Authentication failed. The request is missing the Authorization header."), false
	}
	return s.session(bearer(r))
}

// bearer is the token of an Authorization: Bearer header.
func bearer(r *http.Request) string {
	parts := strings.Split(r.Header.Get("Authorization"), "Bearer ")
	return parts[len(parts)-1]
}

func (s *Server) session(token string) (*session, answer, bool) {
	if !tokenPattern.MatchString(token) {
		return nil, errorAnswer(http.StatusUnauthorized, "invalid_connect_session_token_format",
			"Authentication failed. The provided connect session token is not following correct format: nango_connect_session_RANDOM)"), false
	}
	sess, found := s.sessions[token]
	if !found || !s.Now().Before(sess.expires) {
		return nil, errorAnswer(http.StatusUnauthorized, "unknown_connect_session_token",
			"Authentication failed. The provided connect session token does not match any account."), false
	}
	return sess, answer{}, true
}

// postAPIKey follows postApiKey.ts, in its order: content type, session,
// body, query, integration, auth mode, allowed, reconnect, save.
func (s *Server) postAPIKey(r *http.Request, body []byte) answer {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errorAnswer(http.StatusUnsupportedMediaType, "invalid_content_type", "Content-Type header must be application/json")
	}
	q := r.URL.Query()
	token := q.Get("connect_session_token")
	if token == "" {
		return errorAnswer(http.StatusUnauthorized, "missing_public_key", "Authentication failed. The request is missing a valid public key parameter.")
	}
	sess, fail, ok := s.session(token)
	if !ok {
		return fail
	}
	if r.Header.Get("Content-Type") == "" {
		body = []byte("{}") // express.json leaves an unparsed body empty
	}
	apiKey, valid := strictAPIKey(body)
	if !valid {
		return errorAnswer(http.StatusBadRequest, "invalid_body", "")
	}
	if s.Hostile {
		a := answer{status: http.StatusOK, raw: `{"connectionId":"` + apiKey + `","providerConfigKey":"` + token + `"}`,
			rawType: "application/x-" + apiKey + "; charset=utf-8"}
		return a
	}
	if q.Has("connection_id") {
		return errorAnswer(http.StatusBadRequest, "invalid_query_params", "")
	}
	key := strings.TrimPrefix(r.URL.Path, "/api-auth/api-key/")
	idx := slices.IndexFunc(s.integrations, func(i Integration) bool { return i.UniqueKey == key })
	if idx < 0 {
		return errorAnswer(http.StatusNotFound, "unknown_provider_config", "")
	}
	integration := s.integrations[idx]
	if integration.AuthMode != AuthAPIKey {
		return errorAnswer(http.StatusBadRequest, "invalid_auth_mode", "")
	}
	if sess.AllowedIntegrations != nil && !slices.Contains(sess.AllowedIntegrations, key) {
		return errorAnswer(http.StatusBadRequest, "integration_not_allowed", "")
	}
	now := s.Now()
	if sess.ReconnectID != "" {
		c, found := s.connections[sess.ReconnectID]
		if !found {
			return errorAnswer(http.StatusBadRequest, "invalid_connection", "")
		}
		c.APIKey, c.ProviderConfigKey, c.Updated = apiKey, key, now
		c.Updates++
		return answer{status: http.StatusOK, body: map[string]any{"connectionId": c.ID, "providerConfigKey": key}}
	}
	c := &Connection{ID: newConnectionID(), ProviderConfigKey: key, APIKey: apiKey, Created: now, Updated: now}
	if sess.EndUser != nil {
		c.EndUserID = sess.EndUser.ID
	}
	s.connections[c.ID] = c
	return answer{status: http.StatusOK, body: map[string]any{"connectionId": c.ID, "providerConfigKey": key}}
}

// strictAPIKey is Nango's z.strictObject({apiKey: z.string().min(1).max(1024)}).
func strictAPIKey(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var v struct {
		APIKey *string `json:"apiKey"`
	}
	if err := dec.Decode(&v); err != nil || v.APIKey == nil {
		return "", false
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", false // something after the object
	}
	n := len([]rune(*v.APIKey))
	return *v.APIKey, n >= 1 && n <= 1024
}

func sessionData(sess *session) map[string]any {
	var endUser any
	if u := sess.EndUser; u != nil {
		var org any
		if o := sess.Organization; o != nil {
			org = map[string]any{"id": o.ID, "display_name": orNull(o.DisplayName)}
		}
		endUser = map[string]any{"id": u.ID, "display_name": orNull(u.DisplayName), "email": orNull(u.Email),
			"tags": nil, "organization": org}
	}
	data := map[string]any{
		"endUser":           endUser,
		"connectUISettings": map[string]any{"showWatermark": true, "theme": map[string]any{}},
		"websocketsPath":    "/",
	}
	if sess.AllowedIntegrations != nil {
		data["allowed_integrations"] = sess.AllowedIntegrations
	}
	if sess.ReconnectID != "" {
		data["isReconnecting"] = true
	}
	return data
}

func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func newConnectionID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
