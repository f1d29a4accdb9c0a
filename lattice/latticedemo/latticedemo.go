// Package latticedemo is an in-process stand-in for Lattice's API, used by
// the tests and by `lattice-link --demo`. It knows a set of demo keys, each
// behaving in one way Lattice can behave. It serves both regions, each on
// its own loopback port: the keys are US keys, except KeyEMEA.
package latticedemo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lattice-link/lattice-link/lattice"
)

// Demo keys. Each is accepted by NormalizeKey and ends in four characters
// that say what it does, as Lattice's key list would show them.
const (
	KeyAdmin       = "demo-4f1e-admin-8c2d-7f3c"  // an admin; SCIM enabled
	KeyMember      = "demo-9a0b-member-3e4f-2b9e" // valid, but not an admin
	KeyRevoked     = "demo-5c6d-revoked-7a8b-dead"
	KeyForbidden   = "demo-1d2e-forbidden-3f4a-0403"
	KeySlow        = "demo-6b7c-slow-8d9e-5105"      // answers after the server's slow delay
	KeyRateLimited = "demo-2f3a-ratelimit-4b5c-0429" // 429 (Retry-After: 1) every other request
	KeyFlaky       = "demo-7d8e-flaky-9f0a-0500"     // 503 every other request
	KeySCIMOff     = "demo-3b4c-scimoff-5d6e-0404"   // valid; SCIM not enabled
	KeyRotated     = "demo-8a9b-rotated-0c1d-a1b2"   // a second admin key, for rotation
	KeyEMEA        = "demo-0e1f-emeaonly-2a3b-emea"  // an admin of an EMEA company: 401 on the US host
	KeySCIMHang    = "demo-4a5b-scimhang-6c7d-hang"  // valid; SCIM never answers
	KeyLongWait    = "demo-1c2d-longwait-3e4f-wait"  // always 429 with Retry-After: LongRetryAfter
)

// SlowDelay is how long KeySlow takes to answer on a new Server. It is a
// constant so that no test can change it for the others: a test changes its
// own server's with SetSlowDelay.
const SlowDelay = 3 * time.Second

// LongRetryAfter is the Retry-After KeyLongWait gets: longer than the
// client's MaxRetryWait, so it is reported rather than waited out.
var LongRetryAfter = 2 * time.Minute

// Grace is the owner of the admin keys.
var Grace = User{ID: "usr_grace", Name: "Grace Hopper", Email: "grace@example.com", Title: "Head of People Ops", IsAdmin: true}

// Ada owns KeyMember.
var Ada = User{ID: "usr_ada", Name: "Ada Lovelace", Email: "ada@example.com", Title: "People Partner"}

// Marie owns KeyEMEA.
var Marie = User{ID: "usr_marie", Name: "Marie Curie", Email: "marie@example.eu", Title: "HR Director", IsAdmin: true}

// User is what /v1/me returns for a key.
type User struct {
	ID, Name, Email, Title string
	IsAdmin                bool
}

type behaviour int

const (
	ok behaviour = iota
	revoked
	forbidden
	slow
	rateLimited
	flaky
	scimOff
	scimHang
	longWait
)

type account struct {
	user      User
	behaviour behaviour
	region    lattice.Region
	calls     int
}

// Server is a running stand-in. The embedded server (and so URL) is the US
// host; EMEA is the EMEA host.
type Server struct {
	*httptest.Server
	EMEA     *httptest.Server
	closing  chan struct{} // closed by Close: ends requests that hang
	close    sync.Once
	mu       sync.Mutex
	accounts map[string]*account
	requests []Request
	slow     time.Duration // how long the slow keys take to answer
}

// Request is what the stand-in saw of one request; the key is kept only as
// whether it matched a known one.
type Request struct {
	Method, Path, Accept, UserAgent string
	Region                          lattice.Region // the host that was asked
	Authorized                      bool           // a known key came as "Bearer <key>", to its region's host
}

// New starts a stand-in on two loopback ports with every demo key.
func New() *Server {
	s := &Server{closing: make(chan struct{}), slow: SlowDelay, accounts: map[string]*account{
		KeyAdmin:       {user: Grace},
		KeyRotated:     {user: Grace},
		KeyMember:      {user: Ada},
		KeyRevoked:     {user: Grace, behaviour: revoked},
		KeyForbidden:   {user: Grace, behaviour: forbidden},
		KeySlow:        {user: Grace, behaviour: slow},
		KeyRateLimited: {user: Grace, behaviour: rateLimited},
		KeyFlaky:       {user: Grace, behaviour: flaky},
		KeySCIMOff:     {user: Grace, behaviour: scimOff},
		KeyEMEA:        {user: Marie, region: lattice.EMEA},
		KeySCIMHang:    {user: Grace, behaviour: scimHang},
		KeyLongWait:    {user: Grace, behaviour: longWait},
	}}
	s.Server = httptest.NewServer(s.handler(lattice.US))
	s.EMEA = httptest.NewServer(s.handler(lattice.EMEA))
	return s
}

// RegionURLs is each region's host, for lattice.Options.RegionURLs: a
// client built with it falls back between regions as with Lattice.
func (s *Server) RegionURLs() map[lattice.Region]string {
	return map[lattice.Region]string{lattice.US: s.URL, lattice.EMEA: s.EMEA.URL}
}

// Close ends hanging requests, then shuts both hosts down; httptest's Close
// alone would wait for a hanging request forever.
func (s *Server) Close() {
	s.close.Do(func() { close(s.closing) })
	s.Server.Close()
	s.EMEA.Close()
}

// Add makes key a valid key of user.
func (s *Server) Add(key string, user User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[key] = &account{user: user}
}

// AddEMEA makes key a valid key of user on the EMEA host only.
func (s *Server) AddEMEA(key string, user User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[key] = &account{user: user, region: lattice.EMEA}
}

// SetSlowDelay sets how long KeySlow, and the keys added with AddSlow, take
// to answer on this server.
func (s *Server) SetSlowDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slow = d
}

// AddSlow makes key a valid key of user that answers after the server's slow
// delay (SlowDelay, or what SetSlowDelay set).
func (s *Server) AddSlow(key string, user User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[key] = &account{user: user, behaviour: slow}
}

// Revoke makes Lattice reject key from now on.
func (s *Server) Revoke(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, found := s.accounts[key]; found {
		a.behaviour = revoked
	}
}

// Requests returns what the stand-in has seen so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) handler(region lattice.Region) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(region, w, r) })
}

func (s *Server) serve(region lattice.Region, w http.ResponseWriter, r *http.Request) {
	key, hasBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	acct, known := s.accounts[key]
	// A key is known only to its own region's host, as with Lattice,
	// where the other region answers 401.
	known = known && hasBearer && acct.home() == region
	var b behaviour
	var calls int
	delay := s.slow
	if known {
		acct.calls++
		b, calls = acct.behaviour, acct.calls
	}
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Region: region,
		Accept: r.Header.Get("Accept"), UserAgent: r.Header.Get("User-Agent"), Authorized: known})
	s.mu.Unlock()

	if !known || b == revoked {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Unauthorized"})
		return
	}
	switch b {
	case forbidden:
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "Forbidden"})
		return
	case slow:
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		case <-s.closing:
			panic(http.ErrAbortHandler) // no answer at all, rather than an empty 200
		}
	case rateLimited:
		if calls%2 == 1 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Too Many Requests"})
			return
		}
	case flaky:
		if calls%2 == 1 {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "Service Unavailable"})
			return
		}
	case longWait:
		w.Header().Set("Retry-After", strconv.Itoa(int(LongRetryAfter/time.Second)))
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Too Many Requests"})
		return
	}

	switch {
	case r.Method != http.MethodGet:
		writeJSON(w, http.StatusMethodNotAllowed, nil)
	case r.URL.Path == "/v1/me":
		u := acct.user
		writeJSON(w, http.StatusOK, map[string]any{
			"id": u.ID, "object": "user", "name": u.Name, "preferredName": strings.Fields(u.Name)[0],
			"email": u.Email, "title": u.Title, "status": "ACTIVE", "isAdmin": u.IsAdmin,
			"createdAt": 1700000000, "updatedAt": 1700000000,
		})
	case r.URL.Path == "/scim/v2/Users":
		switch b {
		case scimOff:
			writeJSON(w, http.StatusForbidden, map[string]string{"detail": "SCIM is not enabled"})
			return
		case scimHang:
			select {
			case <-r.Context().Done():
				return
			case <-s.closing:
				panic(http.ErrAbortHandler) // no answer at all, rather than an empty 200
			}
		}
		w.Header().Set("Content-Type", "application/scim+json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"schemas":      []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
			"totalResults": 1, "startIndex": 1, "itemsPerPage": 1,
			"Resources": []map[string]any{{"id": acct.user.ID, "userName": acct.user.Email}},
		})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Not Found"})
	}
}

func (a *account) home() lattice.Region {
	if a.region == "" {
		return lattice.US
	}
	return a.region
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}
