package nangodemo_test

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/lattice-link/lattice-link/nango/nangodemo"
)

// get sends a GET with the session's bearer token and returns the status,
// the Retry-After header and the body's error object.
func get(t *testing.T, srv *nangodemo.Server, target, token string) (int, string, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error map[string]any `json:"error"`
	}
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), body.Error
}

// TestFaultsAnswerOnlyTheRequestsTheyMatch: a fault answers as many
// matching requests as it says (one when it does not say), in the order
// queued, and leaves alone a request of another method or path; its error
// has a message only when it was given one.
func TestFaultsAnswerOnlyTheRequestsTheyMatch(t *testing.T) {
	srv := nangodemo.New()
	defer srv.Close()
	token := srv.NewSession()

	srv.FailNext(nangodemo.Fault{Method: http.MethodPost, Status: 500, Code: "server_error"})
	srv.FailNext(nangodemo.Fault{Path: "/integrations", Status: 429, Code: "too_many_request", RetryAfter: "7", Times: 2})
	srv.FailNext(nangodemo.Fault{Path: "/connect/session", Status: 400, Code: "invalid_body", Message: "no end user"})

	if status, _, e := get(t, srv, "/connect/session", token); status != 400 || !reflect.DeepEqual(e, map[string]any{"code": "invalid_body", "message": "no end user"}) {
		t.Errorf("session, first: %d %v", status, e)
	}
	if status, _, e := get(t, srv, "/connect/session", token); status != 200 || e != nil {
		t.Errorf("session, second (the fault was for one): %d %v", status, e)
	}
	for i := range 2 {
		if status, wait, e := get(t, srv, "/integrations", token); status != 429 || wait != "7" ||
			!reflect.DeepEqual(e, map[string]any{"code": "too_many_request"}) {
			t.Errorf("integrations, %d: %d %q %v", i+1, status, wait, e)
		}
	}
	if status, wait, _ := get(t, srv, "/integrations", token); status != 200 || wait != "" {
		t.Errorf("integrations, third (the fault was for two): %d %q", status, wait)
	}
	var statuses []int
	for _, r := range srv.Requests() {
		statuses = append(statuses, r.Status)
		if !r.Authorization || !r.BearerToken || r.TokenInQuery {
			t.Errorf("a request with the bearer token is recorded as %+v", r)
		}
	}
	if want := []int{400, 200, 429, 429, 200}; !reflect.DeepEqual(statuses, want) {
		t.Errorf("the requests recorded answered %v, want %v", statuses, want)
	}
	if len(srv.Posts()) != 0 {
		t.Errorf("posts recorded without a POST: %+v", srv.Posts())
	}
	// The POST fault is still queued: the GETs did not take it.
	if status, _ := post(t, srv, "/api-auth/api-key/lattice", "", "application/json", `{}`); status != 500 {
		t.Errorf("the POST after the GETs: %d, want the fault's 500", status)
	}
}
