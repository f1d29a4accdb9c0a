package link

import (
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/apihttp"
	"github.com/lattice-link/lattice-link/nango"
)

// TestNangoWordsUseEveryFactTheyAreGiven: each optional fact of a failure
// (Nango's host, code, message, status, the integrations a link allows, the
// wait Nango asks for, where the API address came from) shows in the words
// when it is known and leaves no trace when it is not, and the advice names
// an option only to a user at a shell who named the API.
func TestNangoWordsUseEveryFactTheyAreGiven(t *testing.T) {
	const host = "nango.example.com"
	for _, c := range []struct {
		name         string
		e            nango.Error
		shell        bool
		what, advice string
	}{
		{"a link cut short, at a shell", nango.Error{Kind: nango.InvalidLink, Problem: nango.LinkNoToken}, true,
			"That is not a usable Nango Connect link: it has no session_token: copy the whole link, up to its end.",
			"Copy the whole link the app gave you (https://connect.nango.dev/?session_token=…) and put it in " +
				"NANGO_CONNECT_LINK, which keeps it out of the process list (--nango LINK works too)."},
		{"a link cut short, no shell", nango.Error{Kind: nango.InvalidLink, Problem: nango.LinkNoToken}, false,
			"That is not a usable Nango Connect link: it has no session_token: copy the whole link, up to its end.",
			"Copy the whole link the app gave you (https://connect.nango.dev/?session_token=…) and paste it again."},
		{"a link with an unreadable query", nango.Error{Kind: nango.InvalidLink, Problem: nango.LinkBadQuery}, true,
			"That is not a usable Nango Connect link: " + linkProblem(&nango.Error{Problem: nango.LinkBadQuery}) + ".",
			"Ask the app for a new Connect link."},
		{"refused, host and code and message", nango.Error{Kind: nango.Refused, Host: host, Code: "some_code", Message: "no way"}, false,
			"Nango at nango.example.com refused the request: no way.", "Ask the app that sent the link what it means. Nango's code: some_code."},
		{"refused, nothing known", nango.Error{Kind: nango.Refused}, false,
			"Nango refused the request.", "Ask the app that sent the link what it means."},
		{"expired with its code", nango.Error{Kind: nango.SessionExpired, Code: "unknown_connect_session_token"}, false,
			"The Connect link has expired or was deleted.",
			"Connect links last 30 minutes from when the app makes them. Ask the app for a new Connect link."},
		{"expired without a code", nango.Error{Kind: nango.SessionExpired}, false,
			"The Connect link has expired or was deleted.",
			"Connect links last 30 minutes from when the app makes them. Ask the app for a new Connect link."},
		{"named API refused, at a shell", nango.Error{Kind: nango.InvalidAPIURL, APISource: nango.FromNamed, Detail: "not https"}, true,
			"The Nango API address was refused: not https.",
			"Fix --nango-url (or NANGO_SERVER_URL): https, or plain http only to this machine (localhost, 127.0.0.1, [::1])."},
		{"named API refused, no shell", nango.Error{Kind: nango.InvalidAPIURL, APISource: nango.FromNamed, Detail: "not https"}, false,
			"The Nango API address was refused: not https.", "Ask the app for a link whose apiURL uses https."},
		{"link's API refused, at a shell", nango.Error{Kind: nango.InvalidAPIURL, APISource: nango.FromLink, Detail: "not https"}, true,
			"The Nango API address was refused: not https.", "Ask the app for a link whose apiURL uses https."},
		{"not allowed, the others named", nango.Error{Kind: nango.NotAllowed, Allowed: []string{"github", "slack"}}, false,
			"This link is for other integrations (github, slack), not Lattice.", "Ask the app for a link that allows Lattice."},
		{"not allowed, the others unknown", nango.Error{Kind: nango.NotAllowed}, false,
			"This link is for other integrations, not Lattice.", "Ask the app for a link that allows Lattice."},
		{"unknown integration", nango.Error{Kind: nango.UnknownIntegration, Chosen: "lattice-x",
			Choices: []nango.Integration{{UniqueKey: "lattice-hr", DisplayName: "Lattice HR"}, {UniqueKey: "lattice-eu", DisplayName: "lattice-eu"}}}, true,
			"The link offers no Lattice integration lattice-x.", "Choose one with --integration KEY: lattice-hr (Lattice HR), lattice-eu."},
		{"several integrations", nango.Error{Kind: nango.SeveralIntegrations,
			Choices: []nango.Integration{{UniqueKey: "lattice-hr"}, {UniqueKey: "lattice-eu"}}}, false,
			"The link offers more than one Lattice integration.", "Choose one: lattice-hr, lattice-eu."},
		{"key refused with a message", nango.Error{Kind: nango.KeyRefused, Code: "connection_test_failed", Message: "bad key"}, false,
			"Nango or the app's own check refused the key: bad key.", "Ask the app's admins what their check expects. Nango's code: connection_test_failed."},
		{"key refused without a message", nango.Error{Kind: nango.KeyRefused, Code: "invalid_credentials"}, false,
			"Nango or the app's own check refused the key.", "Ask the app's admins what their check expects. Nango's code: invalid_credentials."},
		{"bug with a message", nango.Error{Kind: nango.Bug, Code: "invalid_body", Message: "missing field"}, false,
			"Nango refused lattice-link's request: missing field.",
			"This is a bug in lattice-link, not something you did: please report it with this message. Nango's code: invalid_body."},
		{"bug without a message", nango.Error{Kind: nango.Bug, Code: "invalid_body"}, false,
			"Nango refused lattice-link's request.",
			"This is a bug in lattice-link, not something you did: please report it with this message. Nango's code: invalid_body."},
		{"rate limited, the wait known", nango.Error{Kind: nango.RateLimited, RetryAfter: 2 * time.Minute}, false,
			"Nango is limiting requests (429).", "Wait " + apihttp.HumanDuration(2*time.Minute) + ", then try again, within the link's 30 minutes."},
		{"rate limited, the wait unknown", nango.Error{Kind: nango.RateLimited}, false,
			"Nango is limiting requests (429).", "Wait a minute, then try again, within the link's 30 minutes."},
		{"unreachable, the named API at a shell", nango.Error{Kind: nango.Unreachable, Host: host, APISource: nango.FromNamed, Detail: "it broke"}, true,
			"Could not reach Nango at nango.example.com: it broke.",
			"Check --nango-url (NANGO_SERVER_URL) and that Nango runs there. Behind a proxy, set HTTPS_PROXY; it is honoured."},
		{"unreachable, the link's API at a shell", nango.Error{Kind: nango.Unreachable, Host: host, APISource: nango.FromLink}, true,
			"Could not reach Nango at nango.example.com: the request failed.",
			"Check your connection and the address nango.example.com. Behind a proxy, set HTTPS_PROXY; it is honoured."},
		{"unreachable, the named API, no shell", nango.Error{Kind: nango.Unreachable, Host: host, APISource: nango.FromNamed}, false,
			"Could not reach Nango at nango.example.com: the request failed.",
			"Check your connection and the address nango.example.com. Behind a proxy, set HTTPS_PROXY; it is honoured."},
		{"unexpected with status and detail", nango.Error{Kind: nango.Unexpected, Host: host, Status: 200, Detail: "an HTML page"}, false,
			"Unexpected answer from Nango at nango.example.com (200): an HTML page.",
			"Check that nango.example.com is Nango's API, not its Connect page. If it is, Nango's API may have changed: please report it."},
		{"unexpected, nothing known", nango.Error{Kind: nango.Unexpected, Host: host}, false,
			"Unexpected answer from Nango at nango.example.com.",
			"Check that nango.example.com is Nango's API, not its Connect page. If it is, Nango's API may have changed: please report it."},
	} {
		t.Run(c.name, func(t *testing.T) {
			what, advice := nangoWords(&c.e, c.shell)
			if what != c.what {
				t.Errorf("what:\n got %q\nwant %q", what, c.what)
			}
			if advice != c.advice {
				t.Errorf("advice:\n got %q\nwant %q", advice, c.advice)
			}
		})
	}
}

// TestNangoCodeStaysOutOfTheSentence: Nango's error code (a developer's
// word, such as unknown_connect_session_token) is in no sentence an admin
// reads first. Where the words send the admin to someone who reads codes,
// it is said once, at the end, as "Nango's code: …"; elsewhere the words
// say what it means, and the code is left out.
func TestNangoCodeStaysOutOfTheSentence(t *testing.T) {
	const code = "some_nango_code"
	saysCode := map[nango.Kind]bool{nango.Refused: true, nango.Bug: true, nango.KeyRefused: true, nango.Forbidden: true}
	for _, k := range []nango.Kind{nango.SessionExpired, nango.NoLatticeIntegration, nango.WrongAuthMode, nango.KeyRefused,
		nango.ConnectionGone, nango.AccountGone, nango.EndUserGone, nango.Forbidden, nango.NoEndUser, nango.Bug, nango.Refused} {
		e := &nango.Error{Kind: k, Host: "nango.example.com", Code: code}
		what, _ := nangoWords(e, false)
		if strings.Contains(what, code) {
			t.Errorf("kind %v: the code is in the first sentence: %q", k, what)
		}
		whole := ExplainNango(e, false)
		switch n := strings.Count(whole, code); {
		case saysCode[k] && (n != 1 || !strings.HasSuffix(whole, " Nango's code: "+code+".")):
			t.Errorf("kind %v: want the code once, at the end:\n%s", k, whole)
		case !saysCode[k] && n != 0:
			t.Errorf("kind %v: the words say what the code means; want no code:\n%s", k, whole)
		}
	}
}
