// Package nango hands an API key that Lattice accepted to an app built on
// Nango, through the app's Connect link: it reads the Connect session, finds
// the app's Lattice integration and posts the key, as Nango's own Connect UI
// does. Every failure is a typed *Error of facts (link words them), and
// neither the session token nor the key ever appears in an error, a String
// or a log. Nothing is sent to an API host the user has not approved (see
// ParseLink).
//
// The calls, fields and error codes were checked against NangoHQ/nango at
// commit 2f4c0af (2026-08-21):
//   - packages/server/lib/controllers/connect/getSession.ts and
//     packages/types/lib/connect/api.ts (GetConnectSession, ConnectSessionOutput),
//     packages/types/lib/endUser/index.ts (ApiEndUser): data.endUser
//     {id, display_name, email, organization {id, display_name}} (endUser may
//     be null), data.allowed_integrations (unique keys), data.isReconnecting;
//   - packages/server/lib/controllers/integrations/getListIntegrations.ts and
//     packages/server/lib/formatters/integration.ts (integrationToPublicApi):
//     data[] {unique_key, provider, display_name, logo, …}, already filtered
//     by the session's allowed integrations;
//   - packages/server/lib/controllers/auth/postApiKey.ts,
//     packages/server/lib/helpers/validation.ts (connectionCredentialsApiKeySchema:
//     a strict {apiKey: 1..1024 chars}) and routes.public.ts
//     (POST /api-auth/api-key/:providerConfigKey, token in
//     ?connect_session_token=, JSON content type or 415): 200
//     {connectionId, providerConfigKey}; a reconnect session updates its
//     connection in place.
package nango

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/sanitize"
)

// MaxAPIKeyLength is the longest key Nango takes (UTF-16 code units, as
// its JavaScript validation counts).
const MaxAPIKeyLength = 1024

// LatticeProvider is the provider name of Nango's Lattice template.
const LatticeProvider = "lattice"

// validProviderConfigKey is Nango's providerConfigKeySchema
// (^[a-zA-Z0-9~:.@ _-]{1,255}$): a unique key outside it would be refused by
// the POST anyway, and checking it here keeps a hostile answer out of the
// request path. Written out, not a regexp compiled at start-up.
func validProviderConfigKey(k string) bool {
	return len(k) > 0 && len(k) <= 255 && onlyBytes(k, "~:.@ _-")
}

// validConnectionID is Nango's connectionIdSchema
// (^[a-zA-Z0-9,.;:=+~[\]|@${}"'\\/_ -]+$, at most 255): Nango makes a UUID
// for a new connection, and a reconnect keeps the app's id, which passed
// the same schema.
func validConnectionID(id string) bool {
	return len(id) > 0 && len(id) <= 255 && onlyBytes(id, `,.;:=+~[]|@${}"'\/_ -`)
}

// validCode is the shape of Nango's error codes: lower case and underscores.
func validCode(c string) bool {
	if len(c) == 0 || len(c) > 60 {
		return false
	}
	for _, b := range []byte(c) {
		if !(b >= 'a' && b <= 'z' || b == '_') {
			return false
		}
	}
	return true
}

func onlyBytes(s, extra string) bool {
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(extra, c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// Options configure a Client.
type Options struct {
	Version string       // for the User-Agent
	HTTP    *http.Client // nil: apihttp.NewClient()
	// InProcessList says the link was given as a command-line argument, so
	// its token is readable in the process list for as long as the run
	// lasts: a fact a face tells once.
	InProcessList bool
}

// Client makes the Connect-session calls for one link. Its zero-valued
// tuning fields take the defaults below; tests shorten them.
type Client struct {
	link          ConnectLink
	inProcessList bool
	UserAgent     string
	HTTP          *http.Client
	Budget        time.Duration // each call, its retry and wait included; default 20 s
	Backoff       time.Duration // wait before a GET's one retry; default 400 ms

	mu       sync.Mutex
	approved bool   // the user approved the link's API host
	chosen   string // the Lattice integration the user picked, among several
}

// New builds a client for the session behind cl.
func New(cl ConnectLink, o Options) *Client {
	c := &Client{link: cl, inProcessList: o.InProcessList, UserAgent: "lattice-link/" + o.Version, HTTP: o.HTTP}
	if c.HTTP == nil {
		c.HTTP = apihttp.NewClient()
	}
	return c
}

// Link is the Connect link the client was built for.
func (c *Client) Link() ConnectLink { return c.link }

// InProcessList reports whether the link's token is readable in the
// process list (it was given as an argument).
func (c *Client) InProcessList() bool { return c.inProcessList }

// NeedsApproval reports whether the link's API host must be approved by the
// user before anything is sent to it: the link named it, and it is neither
// Nango Cloud nor the API the user named. Until ApproveHost, every call
// fails with HostNotApproved and sends nothing.
func (c *Client) NeedsApproval() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.link.Trusted() && !c.approved
}

// ApproveHost records that the user approved the link's API host (shown to
// them as Link().Host()) for this run.
func (c *Client) ApproveHost() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.approved = true
}

// ChooseIntegration picks, by unique key, the Lattice integration the key
// goes to when the link allows several; "" leaves the choice open.
func (c *Client) ChooseIntegration(uniqueKey string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chosen = strings.TrimSpace(uniqueKey)
}

func (c *Client) choice() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chosen
}

// EndUser is who the app made the link for.
type EndUser struct {
	ID          string
	Email       string // may be empty
	DisplayName string // may be empty
}

// Organization is the end user's organization in the app, when it gave one.
type Organization struct {
	ID          string
	DisplayName string // may be empty
}

// Session is what GET /connect/session tells about the link.
type Session struct {
	// EndUser is nil when the app made the session with tags only.
	EndUser *EndUser
	// Organization is nil when the app gave none (Nango nests it in endUser).
	Organization *Organization
	// AllowedIntegrations are unique keys; nil means every integration.
	AllowedIntegrations []string
	// IsReconnecting: the link updates one existing connection of the app
	// (its key is rotated) instead of creating a new one.
	IsReconnecting bool
}

// Allows reports whether the session lets the user connect uniqueKey.
func (s Session) Allows(uniqueKey string) bool {
	if s.AllowedIntegrations == nil {
		return true
	}
	for _, k := range s.AllowedIntegrations {
		if k == uniqueKey {
			return true
		}
	}
	return false
}

// Integration is one integration the app offers through the link.
type Integration struct {
	UniqueKey   string // the providerConfigKey the key is posted to
	Provider    string // "lattice" for Lattice
	DisplayName string
}

// Target is where a key will go: the session and the app's Lattice integration.
type Target struct {
	Session     Session
	Integration Integration
}

// Connection is what the hand-off made.
type Connection struct {
	ID                string    // Nango's connection id, which the app uses
	ProviderConfigKey string    // the app's Lattice integration
	Host              string    // Nango's API host
	Updated           bool      // a reconnect link: an existing connection got the new key
	At                time.Time // when Nango confirmed
}

// Session reads the Connect session: who it is for, what it allows, and
// whether it updates an existing connection.
func (c *Client) Session(ctx context.Context) (Session, error) {
	res, err := c.do(ctx, request{call: CallSession, method: http.MethodGet, path: "/connect/session"})
	if err != nil {
		return Session{}, err
	}
	var body struct {
		Data *struct {
			EndUser *struct {
				ID           string  `json:"id"`
				DisplayName  *string `json:"display_name"`
				Email        *string `json:"email"`
				Organization *struct {
					ID          string  `json:"id"`
					DisplayName *string `json:"display_name"`
				} `json:"organization"`
			} `json:"endUser"`
			AllowedIntegrations []string `json:"allowed_integrations"`
			IsReconnecting      bool     `json:"isReconnecting"`
		} `json:"data"`
	}
	if err := json.Unmarshal(res.Body, &body); err != nil || body.Data == nil {
		return Session{}, c.unexpected(CallSession, res, "the answer is not the Connect session Nango sends")
	}
	d := body.Data
	s := Session{IsReconnecting: d.IsReconnecting}
	if d.EndUser != nil {
		s.EndUser = &EndUser{
			ID:          c.clean(d.EndUser.ID, 120),
			Email:       c.clean(deref(d.EndUser.Email), 200),
			DisplayName: c.clean(deref(d.EndUser.DisplayName), 120),
		}
		if o := d.EndUser.Organization; o != nil {
			s.Organization = &Organization{ID: c.clean(o.ID, 120), DisplayName: c.clean(deref(o.DisplayName), 120)}
		}
	}
	if d.AllowedIntegrations != nil {
		// Kept raw for comparison with unique keys; each is checked against
		// Nango's key pattern, which leaves nothing to clean.
		s.AllowedIntegrations = make([]string, 0, len(d.AllowedIntegrations))
		for _, k := range d.AllowedIntegrations {
			if validProviderConfigKey(k) {
				s.AllowedIntegrations = append(s.AllowedIntegrations, k)
			}
		}
	}
	return s, nil
}

// Integrations lists the integrations the link offers (Nango filters them
// by the session's allowed integrations).
func (c *Client) Integrations(ctx context.Context) ([]Integration, error) {
	res, err := c.do(ctx, request{call: CallIntegrations, method: http.MethodGet, path: "/integrations"})
	if err != nil {
		return nil, err
	}
	var body struct {
		Data *[]struct {
			UniqueKey   string `json:"unique_key"`
			Provider    string `json:"provider"`
			DisplayName string `json:"display_name"`
		} `json:"data"`
	}
	if err := json.Unmarshal(res.Body, &body); err != nil || body.Data == nil {
		return nil, c.unexpected(CallIntegrations, res, "the answer is not the list of integrations Nango sends")
	}
	list := make([]Integration, 0, len(*body.Data))
	for _, i := range *body.Data {
		if !validProviderConfigKey(i.UniqueKey) || c.clean(i.UniqueKey, 255) != i.UniqueKey {
			continue // Nango would refuse to post to it, or it carries a secret
		}
		list = append(list, Integration{
			UniqueKey:   i.UniqueKey,
			Provider:    c.clean(i.Provider, 80),
			DisplayName: c.clean(i.DisplayName, 120),
		})
	}
	return list, nil
}

// PickLattice chooses the app's Lattice integration: provider "lattice",
// allowed by the session. With several, chosen (a unique key) says which,
// as the user picks in Nango's own Connect UI; without it the error is
// SeveralIntegrations with the Choices. The key it is posted to is its
// UniqueKey, which is often but not always "lattice".
func PickLattice(list []Integration, s Session, chosen string) (Integration, error) {
	var lattice, allowed []Integration
	for _, i := range list {
		if i.Provider != LatticeProvider {
			continue
		}
		lattice = append(lattice, i)
		if s.Allows(i.UniqueKey) {
			allowed = append(allowed, i)
		}
	}
	switch {
	case len(allowed) > 0 && chosen != "":
		for _, i := range allowed {
			if i.UniqueKey == chosen {
				return i, nil
			}
		}
		return Integration{}, &Error{Kind: UnknownIntegration, Chosen: sanitize.Line(chosen, 80), Choices: allowed}
	case len(allowed) == 1:
		return allowed[0], nil
	case len(allowed) > 1:
		return Integration{}, &Error{Kind: SeveralIntegrations, Choices: allowed}
	case len(lattice) > 0 || len(s.AllowedIntegrations) > 0:
		// Either Nango listed Lattice but the session excludes it, or the
		// session names integrations and Lattice is not among them: both
		// mean the link was made for something else.
		return Integration{}, &Error{Kind: NotAllowed, Allowed: cleanAll(s.AllowedIntegrations, 8)}
	default:
		return Integration{}, &Error{Kind: NoLatticeIntegration}
	}
}

// Lookup reads the session and finds the app's Lattice integration: all a
// screen needs to say where the key will go before it is sent. Before the
// user approved a host that needs it, it fails with HostNotApproved and
// sends nothing; with several Lattice integrations and none chosen, with
// SeveralIntegrations.
func (c *Client) Lookup(ctx context.Context) (Target, error) {
	s, err := c.Session(ctx)
	if err != nil {
		return Target{}, err
	}
	list, err := c.Integrations(ctx)
	if err != nil {
		return Target{}, err
	}
	i, err := PickLattice(list, s, c.choice())
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Host = c.link.Host()
		}
		return Target{}, err
	}
	return Target{Session: s, Integration: i}, nil
}

// HandOff posts apiKey to the target integration, exactly once: a POST that
// failed after it may have reached Nango is reported (Error.Uncertain), never
// repeated, because a repeated success can create a second connection.
// (net/http itself resends a POST only when none of it was written.)
// The key should already have passed Lattice's check: Nango's Lattice
// template verifies nothing and stores any string. What Nango answers is
// checked before it is kept: a connection id Nango would not make, or one
// that carries the key or the token, is refused.
func (c *Client) HandOff(ctx context.Context, t Target, apiKey string) (Connection, error) {
	host := c.link.Host()
	fail := func(e *Error) (Connection, error) {
		e.Call, e.Host, e.Reconnect = CallHandOff, host, t.Session.IsReconnecting
		return Connection{}, e
	}
	if n := utf16Len(apiKey); n == 0 || n > MaxAPIKeyLength {
		return fail(&Error{Kind: KeyRefused, Detail: "Nango takes keys of 1 to 1024 characters"})
	}
	key := t.Integration.UniqueKey
	if !validProviderConfigKey(key) {
		return fail(&Error{Kind: NoLatticeIntegration})
	}
	body, err := encodeAPIKey(apiKey)
	if err != nil {
		return fail(&Error{Kind: Bug, Detail: "the key could not be encoded"})
	}
	res, err := c.do(ctx, request{
		call:   CallHandOff,
		method: http.MethodPost,
		path:   "/api-auth/api-key/" + url.PathEscape(key),
		query:  url.Values{"connect_session_token": {c.link.sessionToken()}},
		body:   body,
		apiKey: apiKey,
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Reconnect = t.Session.IsReconnecting
		}
		return Connection{}, err
	}
	var answer struct {
		ConnectionID string `json:"connectionId"`
	}
	err = json.Unmarshal(res.Body, &answer)
	id := answer.ConnectionID
	if err != nil || !validConnectionID(id) || redact(id, apiKey, c.link.sessionToken()) != id {
		e := c.unexpected(CallHandOff, res, "the answer does not name a connection as Nango does")
		e.Uncertain, e.Reconnect = true, t.Session.IsReconnecting
		return Connection{}, e
	}
	// The integration is the one posted to: the answer's own
	// providerConfigKey is not needed, so it is not trusted.
	return Connection{
		ID:                sanitize.Line(id, 255),
		ProviderConfigKey: key,
		Host:              host,
		Updated:           t.Session.IsReconnecting,
		At:                time.Now(),
	}, nil
}
