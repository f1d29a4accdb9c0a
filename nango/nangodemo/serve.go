package nangodemo

// What the stand-in answers: each request, its faults, and the checks
// Nango makes of a session and of the POST that hands a key over.

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

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
