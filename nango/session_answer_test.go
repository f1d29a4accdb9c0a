package nango

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/lattice-link/lattice-link/nango/nangodemo"
)

// TestTheSessionSaysWhatTheAppMadeItFor: the session read names the
// integrations the link allows only when the app limited them, says
// whether it is a reconnect, and the connection a hand-off makes belongs
// to the session's end user (none for a session of tags only).
func TestTheSessionSaysWhatTheAppMadeItFor(t *testing.T) {
	srv := standIn(t)
	plain, err := clientFor(t, srv, srv.NewSession()).Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if plain.Session.AllowedIntegrations != nil || plain.Session.IsReconnecting {
		t.Errorf("a plain session: %+v", plain.Session)
	}
	limited, err := clientFor(t, srv, srv.NewSessionWith(nangodemo.SessionOptions{EndUser: &nangodemo.DemoUser,
		AllowedIntegrations: []string{nangodemo.LatticeKey}})).Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(limited.Session.AllowedIntegrations, []string{nangodemo.LatticeKey}) {
		t.Errorf("a session limited to Lattice allows %v", limited.Session.AllowedIntegrations)
	}
	again, err := clientFor(t, srv, srv.NewReconnectSession("conn-grace")).Lookup(context.Background())
	if err != nil || !again.Session.IsReconnecting {
		t.Errorf("a reconnect session: %+v, %v", again.Session, err)
	}

	c := clientFor(t, srv, srv.NewSession())
	target, err := c.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := c.HandOff(context.Background(), target, testKey)
	if err != nil {
		t.Fatal(err)
	}
	tags := clientFor(t, srv, srv.NewSessionWith(nangodemo.SessionOptions{}))
	tagged, err := tags.Lookup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tagConn, err := tags.HandOff(context.Background(), tagged, testKey)
	if err != nil {
		t.Fatal(err)
	}
	owners := map[string]string{}
	for _, k := range srv.Connections() {
		owners[k.ID] = k.EndUserID
	}
	if owners[conn.ID] != nangodemo.DemoUser.ID || owners[tagConn.ID] != "" {
		t.Errorf("the connections' end users: %v", owners)
	}
}

// TestACancelledLookupIsCancelled: a lookup the caller cancelled returns
// context.Canceled, not a Nango that cannot be reached.
func TestACancelledLookupIsCancelled(t *testing.T) {
	srv := standIn(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := clientFor(t, srv, srv.NewSession()).Lookup(ctx)
	if !errors.Is(err, context.Canceled) || KindOf(err) != 0 {
		t.Errorf("Lookup, cancelled: %#v", err)
	}
}
