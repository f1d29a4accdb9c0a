// Package nangodemo is an in-process stand-in for the part of Nango's API
// that a Connect link opens: GET /connect/session, GET /integrations and
// POST /api-auth/api-key/{providerConfigKey}. It backs the tests and
// `lattice-link --demo`. It answers with Nango's shapes, status codes and
// error codes (as read in NangoHQ/nango at 2f4c0af, see package nango), is as
// strict as Nango about the POST, and records what it received.
package nangodemo

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
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
