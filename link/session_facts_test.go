package link

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lattice-link/lattice-link/nango"
)

// TestSessionFactsNameWhoTheLinkIsFor: the rows before anything is sent
// say who the link is for (by name, else by Nango's id), the organization
// (likewise), and the integration, its display name only when it says more
// than the key; a session without an end user or organization has no row
// for it.
func TestSessionFactsNameWhoTheLinkIsFor(t *testing.T) {
	const host = "api.nango.dev"
	newLink := Fact{Label: "Link", Value: "makes a new Lattice connection for the app"}
	for _, c := range []struct {
		name string
		t    nango.Target
		want []Fact
	}{
		{"everything named", nango.Target{
			Session: nango.Session{EndUser: &nango.EndUser{ID: "u1", Email: "ada@example.com", DisplayName: "Ada"},
				Organization: &nango.Organization{ID: "o1", DisplayName: "Acme"}},
			Integration: nango.Integration{UniqueKey: "lattice-hr", DisplayName: "Lattice HR"}},
			[]Fact{{Label: "For", Value: "Ada <ada@example.com>"}, {Label: "Org", Value: "Acme"},
				{Label: "Integration", Value: "lattice-hr (Lattice HR) at " + host}, newLink}},
		{"only ids", nango.Target{
			Session:     nango.Session{EndUser: &nango.EndUser{ID: "u1"}, Organization: &nango.Organization{ID: "o1"}},
			Integration: nango.Integration{UniqueKey: "lattice", DisplayName: "lattice"}},
			[]Fact{{Label: "For", Value: "u1"}, {Label: "Org", Value: "o1"},
				{Label: "Integration", Value: "lattice at " + host}, newLink}},
		{"tags only, a reconnect", nango.Target{
			Session:     nango.Session{IsReconnecting: true},
			Integration: nango.Integration{UniqueKey: "lattice"}},
			[]Fact{{Label: "Integration", Value: "lattice at " + host},
				{Label: "Link", Value: "a reconnect: it replaces the key of the app's existing Lattice connection"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := SessionFacts(c.t, host); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// TestHandOffResultWarnsOnlyOfWhatWentWrong: the Kept row is a warning only
// when the copy could not be stored, and the store's note (why the key went
// to the file) follows only a copy that was stored with one.
func TestHandOffResultWarnsOnlyOfWhatWentWrong(t *testing.T) {
	admin := Checked{}
	admin.Identity.User.IsAdmin = true
	row := func(facts []Fact, label string) (Fact, bool) {
		for _, f := range facts {
			if f.Label == label {
				return f, true
			}
		}
		return Fact{}, false
	}
	unlabelled := func(facts []Fact) []Fact {
		var out []Fact
		for _, f := range facts {
			if f.Label == "" {
				out = append(out, f)
			}
		}
		return out
	}

	kept := HandedOff{Checked: admin, Kept: &Connected{Where: "the file", StoreNote: "the keyring is locked"}}
	facts := kept.ResultFacts()
	if f, _ := row(facts, "Kept"); f.Warn {
		t.Errorf("a stored copy is a warning: %+v", f)
	}
	if got, want := unlabelled(facts), []Fact{{Value: "the keyring is locked", Warn: true}}; !reflect.DeepEqual(got, want) {
		t.Errorf("the store's note: got %+v, want %+v", got, want)
	}

	quiet := HandedOff{Checked: admin, Kept: &Connected{Where: "the keyring"}}
	if got := unlabelled(quiet.ResultFacts()); len(got) != 0 {
		t.Errorf("a copy stored without a note has a loose row: %+v", got)
	}

	failed := HandedOff{Checked: admin, KeepErr: errors.New("another run changed the stored key")}
	facts = failed.ResultFacts()
	if f, ok := row(facts, "Kept"); !ok || !f.Warn || f.Value != "no copy was stored here: another run changed the stored key" {
		t.Errorf("a copy that could not be stored: %+v", f)
	}
	if got := unlabelled(facts); len(got) != 0 {
		t.Errorf("no copy, yet a loose row: %+v", got)
	}
}
