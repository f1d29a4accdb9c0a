package apihttp

import "testing"

// Both clients word a transport failure with Clause: who did not answer is
// named, the name that could not be looked up is given when known, and a
// timeout is left to the caller, which knows its budget.
func TestClauseWordsACause(t *testing.T) {
	for _, c := range []struct {
		cause      Cause
		peer, name string
		want       string
	}{
		{CauseRefused, "Lattice", "", "the connection was refused"},
		{CauseClosed, "Nango", "", "the connection was closed before Nango answered"},
		{CauseDNS, "Lattice", "api.example.test", "the name api.example.test could not be looked up"},
		{CauseDNS, "Lattice", "", "the name could not be looked up"},
		{CauseTLS, "Nango", "", "its TLS certificate could not be verified"},
		{CauseTimeout, "Lattice", "", ""},
		{CauseOther, "Lattice", "", ""},
	} {
		if got := c.cause.Clause(c.peer, c.name); got != c.want {
			t.Errorf("%v.Clause(%q, %q) = %q, want %q", c.cause, c.peer, c.name, got, c.want)
		}
	}
}
