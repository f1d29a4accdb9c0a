package nango

import (
	"strings"
	"testing"
)

// TestNamesAreCheckedAgainstNangosSchemas: an integration key and a
// connection id are 1 to 255 characters of Nango's own alphabet, and an
// error code 1 to 60 lower-case letters and underscores; the edges of each
// range (a, z, A, Z, 0, 9, and the characters just outside them) decide.
func TestNamesAreCheckedAgainstNangosSchemas(t *testing.T) {
	for _, c := range []struct {
		s                string
		key, id, codeish bool
	}{
		{"", false, false, false},
		{"a", true, true, true},
		{"z", true, true, true},
		{"_", true, true, true},
		{"A", true, true, false},
		{"Z", true, true, false},
		{"0", true, true, false},
		{"9", true, true, false},
		{"lattice-hr", true, true, false},
		{"a~:.@ _-b", true, true, false},
		{`a,.;:=+~[]|@${}"'\/_ -b`, false, true, false},
		{"`", false, false, false}, // just before a
		{"{", false, true, false},  // just after z
		{"@", true, true, false},   // just before A, and in both extras
		{"[", false, true, false},  // just after Z
		{"/", false, true, false},  // just before 0
		{"a/b", false, true, false},
		{"é", false, false, false},
		{strings.Repeat("a", 60), true, true, true},
		{strings.Repeat("a", 61), true, true, false},
		{strings.Repeat("a", 255), true, true, false},
		{strings.Repeat("a", 256), false, false, false},
	} {
		if got := validProviderConfigKey(c.s); got != c.key {
			t.Errorf("validProviderConfigKey(%q) = %v", c.s, got)
		}
		if got := validConnectionID(c.s); got != c.id {
			t.Errorf("validConnectionID(%q) = %v", c.s, got)
		}
		if got := validCode(c.s); got != c.codeish {
			t.Errorf("validCode(%q) = %v", c.s, got)
		}
	}
	// Without extras, only letters and digits: the characters on either
	// side of each range are out.
	for _, s := range []string{"`", "{", "@", "[", "/", ":"} {
		if onlyBytes(s, "") || !onlyBytes(s, s) {
			t.Errorf("onlyBytes(%q) without it as an extra = %v", s, onlyBytes(s, ""))
		}
	}
}

// TestErrorLineHasOnlyTheFactsKnown: the short error line names the host,
// the status and code, and the detail only when each is known.
func TestErrorLineHasOnlyTheFactsKnown(t *testing.T) {
	for _, c := range []struct {
		e    Error
		want string
	}{
		{Error{Kind: Refused}, "nango: refused"},
		{Error{Kind: Refused, Host: "api.nango.dev"}, "nango: refused at api.nango.dev"},
		{Error{Kind: Refused, Status: 400}, "nango: refused (400)"},
		{Error{Kind: Refused, Code: "some_code"}, "nango: refused (some_code)"},
		{Error{Kind: Refused, Host: "h", Status: 400, Code: "some_code", Detail: "why"}, "nango: refused at h (400 some_code): why"},
		{Error{Kind: Unexpected, Detail: "why"}, "nango: unexpected: why"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

// TestKindsAreEveryKind: Kinds runs from the first Kind to the last, each
// once, so the tests that walk it check every Kind.
func TestKindsAreEveryKind(t *testing.T) {
	ks := Kinds()
	if len(ks) != len(kindNames) || ks[0] != InvalidLink || ks[len(ks)-1] != Unexpected {
		t.Errorf("Kinds() = %v; %d kinds have names", ks, len(kindNames))
	}
}

// TestOnlyTheHandOffSendsTheKey: a failure of the POST is the only one
// after which the key was sent.
func TestOnlyTheHandOffSendsTheKey(t *testing.T) {
	for call, sent := range map[Call]bool{0: false, CallSession: false, CallIntegrations: false, CallHandOff: true} {
		if got := (&Error{Call: call}).KeySent(); got != sent {
			t.Errorf("call %d: KeySent() = %v", call, got)
		}
	}
}
