package nangodemo_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/lattice-link/lattice-link/nango/nangodemo"
)

// sessionOf is what GET /connect/session answers for a token.
func sessionOf(t *testing.T, srv *nangodemo.Server, token string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/connect/session", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Data map[string]any }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /connect/session: %d, %v", resp.StatusCode, err)
	}
	return body.Data
}

// TestTheSessionAnswerIsNangosShape: as Nango's, the session names the
// allowed integrations only when the app limited them, says isReconnecting
// only for a reconnect link, and a connection the POST makes belongs to the
// session's end user (none for a session of tags only).
func TestTheSessionAnswerIsNangosShape(t *testing.T) {
	srv := nangodemo.New()
	defer srv.Close()
	plain := sessionOf(t, srv, srv.NewSession())
	if _, ok := plain["allowed_integrations"]; ok {
		t.Errorf("a session not limited names integrations: %v", plain)
	}
	if _, ok := plain["isReconnecting"]; ok {
		t.Errorf("a new-connection session says isReconnecting: %v", plain)
	}
	again := sessionOf(t, srv, srv.NewReconnectSession("conn-1"))
	if again["isReconnecting"] != true || !reflect.DeepEqual(again["allowed_integrations"], []any{nangodemo.LatticeKey}) {
		t.Errorf("a reconnect session: %v", again)
	}

	for token, owner := range map[string]string{
		srv.NewSession(): nangodemo.DemoUser.ID,
		srv.NewSessionWith(nangodemo.SessionOptions{}): "",
	} {
		before := map[string]bool{}
		for _, c := range srv.Connections() {
			before[c.ID] = true
		}
		if status, code := post(t, srv, "/api-auth/api-key/"+nangodemo.LatticeKey, "connect_session_token="+token,
			"application/json", `{"apiKey":"lattice-key-0123456789"}`); status != http.StatusOK {
			t.Fatalf("POST: %d %s", status, code)
		}
		for _, c := range srv.Connections() {
			if !before[c.ID] && c.EndUserID != owner {
				t.Errorf("the new connection's end user is %q, want %q", c.EndUserID, owner)
			}
		}
	}
}
