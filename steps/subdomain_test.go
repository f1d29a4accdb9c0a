package steps

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSubdomain(t *testing.T) {
	long := strings.Repeat("a", 63)
	cases := []struct {
		in   string
		want string
		err  error
	}{
		// A bare subdomain.
		{"acme", "acme", nil},
		{"ACME", "acme", nil},
		{" Acme-Corp \n", "acme-corp", nil},
		{"a", "a", nil},
		{"3m", "3m", nil},
		{long, long, nil},
		{long + "a", "", ErrSubdomainTooLong},
		{"-acme", "", ErrDashAtEnd},
		{"acme-", "", ErrDashAtEnd},
		{"-acme-", "", ErrDashAtEnd},
		{"-", "", ErrBadSubdomain},
		{"a b", "", ErrBadSubdomain},
		{"acme_corp", "", ErrBadSubdomain},
		{"äcme", "", ErrBadSubdomain},
		{"acme\x1b[2J", "", ErrBadSubdomain},
		{"", "", ErrNoSubdomain},
		{"   ", "", ErrNoSubdomain},
		{"api", "", ErrNotCompanyAddress},

		// A host, with or without a path.
		{"acme.latticehq.com", "acme", nil},
		{"Acme.LatticeHQ.com", "acme", nil},
		{"acme.latticehq.com.", "acme", nil},
		{"acme.latticehq.com/", "acme", nil},
		{"acme.latticehq.com/admin/settings", "acme", nil},
		{"acme.latticehq.com:443", "acme", nil},
		{"latticehq.com", "", ErrNoSubdomain},
		{".latticehq.com", "", ErrBadSubdomain},
		{"-x.latticehq.com", "", ErrDashAtEnd},
		{"acme_corp.latticehq.com", "", ErrBadSubdomain},

		// A full address with any path.
		{"https://acme.latticehq.com/admin", "acme", nil},
		{"HTTPS://ACME.LATTICEHQ.COM/ADMIN", "acme", nil},
		{"http://acme.latticehq.com", "acme", nil},
		{"https://acme.latticehq.com/admin/settings/api-keys?tab=1#top", "acme", nil},
		{"  https://acme-corp.latticehq.com/people  ", "acme-corp", nil},
		{"https://latticehq.com/", "", ErrNoSubdomain},

		// Other hosts, or addresses that are not a company's.
		{"https://api.latticehq.com/v1/me", "", ErrNotCompanyAddress},
		{"api.emea.latticehq.com", "", ErrNotCompanyAddress},
		// No source says EMEA companies use such an address: see latticeWebDomain.
		{"https://acme.emea.latticehq.com/admin", "", ErrEMEAAddress},
		{"acme.emea.latticehq.com", "", ErrEMEAAddress},
		{"https://help.lattice.com/hc/en-us", "", ErrNotLattice},
		{"lattice.com", "", ErrNotLattice},
		{"acme.latticehq.com.evil.com", "", ErrNotLattice},
		{"https://acme.latticehq.com@evil.com/", "", ErrNotLattice},
		{"evillatticehq.com", "", ErrNotLattice},
		{"https://acme.lattice.com", "", ErrNotLattice},
		{"ftp://acme.latticehq.com", "", ErrNotLattice},
		{"file:///etc/passwd", "", ErrNotLattice},
		{"mailto:someone@acme.latticehq.com", "", ErrNotLattice},
		{"https://someone@acme.latticehq.com/", "", ErrNotLattice},
		{"mailto:acme.latticehq.com", "", ErrNotLattice},
		{"evil.com/x?", "", ErrNotLattice},
		{"https://", "", ErrNotLattice},
		{"https://acme\x00.latticehq.com", "", ErrNotLattice},
	}
	for _, c := range cases {
		got, err := ParseSubdomain(c.in)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ParseSubdomain(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestParseSubdomainErrorsSayWhatToType(t *testing.T) {
	for _, err := range []error{ErrNoSubdomain, ErrNotLattice, ErrBadSubdomain, ErrNotCompanyAddress} {
		if !strings.Contains(err.Error(), "type the first part of your company's Lattice address, e.g. acme for acme.latticehq.com") {
			t.Errorf("%q does not say what to type", err)
		}
	}
	if want := "that address is not on latticehq.com: type the first part"; !strings.HasPrefix(ErrNotLattice.Error(), want) {
		t.Errorf("%q", ErrNotLattice)
	}
	// The input is never repeated: it may hold escape sequences.
	if _, err := ParseSubdomain("https://evil\x1b]52;c;AAAA\x07.com"); err == nil || strings.Contains(err.Error(), "evil") {
		t.Errorf("%v", err)
	}
}

func TestKeysPageURL(t *testing.T) {
	cases := map[string]string{
		"acme":                              "https://acme.latticehq.com/admin/settings/api-keys",
		" Acme-Corp ":                       "https://acme-corp.latticehq.com/admin/settings/api-keys",
		"acme.latticehq.com":                "https://acme.latticehq.com/admin/settings/api-keys",
		"https://acme.latticehq.com/admin/": "https://acme.latticehq.com/admin/settings/api-keys",
		"":                                  "",
		"-acme":                             "",
		"evil.com/x?":                       "",
		"a b":                               "",
		"https://acme.emea.latticehq.com":   "",
	}
	for in, want := range cases {
		if got := KeysPageURL(in); got != want {
			t.Errorf("KeysPageURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseSubdomain(f *testing.F) {
	for _, s := range []string{"acme", "https://acme.latticehq.com/admin", "a.b.latticehq.com", "\x1b", "http://[::1]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sub, err := ParseSubdomain(in)
		if err != nil {
			if sub != "" || KeysPageURL(in) != "" {
				t.Fatalf("%q: %q with %v", in, sub, err)
			}
			return
		}
		if !validLabel(sub) || sub != strings.ToLower(sub) {
			t.Fatalf("%q gave %q", in, sub)
		}
		if again, err := ParseSubdomain(sub); again != sub || err != nil {
			t.Fatalf("%q is not stable: %q %v", sub, again, err)
		}
		if KeysPageURL(in) != "https://"+sub+".latticehq.com/admin/settings/api-keys" {
			t.Fatalf("%q: %q", in, KeysPageURL(in))
		}
	})
}

// An EMEA-looking address is refused in an admin's words: what to type,
// that the region is not chosen by the address, and the way without one.
// It said "no source confirms a name.emea… form", a note for the team (walk F16).
func TestAnEMEAAddressIsRefusedInAnAdminsWords(t *testing.T) {
	_, err := ParseSubdomain("acme.emea.latticehq.com")
	msg := err.Error()
	for _, want := range []string{"type only the first part of your Lattice address, such as acme", "region", "leave this empty"} {
		if !strings.Contains(msg, want) {
			t.Errorf("no %q in %q", want, msg)
		}
	}
	for _, team := range []string{"source", "confirm", "name.emea", "lattice-link knows"} {
		if strings.Contains(msg, team) {
			t.Errorf("%q is the team's word, in %q", team, msg)
		}
	}
}
