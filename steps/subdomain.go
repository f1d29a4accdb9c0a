package steps

import (
	"errors"
	"net/url"
	"strings"
)

// latticeWebDomain is the domain of every company's Lattice address,
// https://<subdomain>.latticehq.com.
//
// Only <subdomain>.latticehq.com is accepted. Lattice's API has a separate
// EMEA host (api.emea.latticehq.com), but no source at hand says whether
// EMEA companies also use a different web address (such as
// <subdomain>.emea.latticehq.com), so such addresses are refused with a
// message that says what to type. Widen this once a source confirms one.
const latticeWebDomain = "latticehq.com"

// The errors ParseSubdomain returns. Their text is written for the person
// typing: it says what to type instead, and never repeats the input.
var (
	ErrNoSubdomain = errors.New("type the first part of your company's Lattice address, " + example)

	ErrNotLattice = errors.New("that address is not on latticehq.com: " +
		"type the first part of your company's Lattice address, " + example)

	ErrBadSubdomain = errors.New("that has a character an address cannot have (only letters, digits and dashes): " +
		"type the first part of your company's Lattice address, " + example)

	ErrDashAtEnd = errors.New("an address cannot start or end with a dash: " +
		"type the first part of your company's Lattice address, " + example)

	ErrSubdomainTooLong = errors.New("that is longer than an address's part can be (63 characters): " +
		"type the first part of your company's Lattice address, " + example)

	// No source at hand says what EMEA companies' web addresses look like
	// (see latticeWebDomain): one with .emea. is refused, in the admin's
	// words. The region never comes from this address: the key's check
	// finds it (link tries the other region's API).
	ErrEMEAAddress = errors.New("type only the first part of your Lattice address, such as acme: " +
		"the region (US or EMEA) is found from the key, not from this address. " +
		"Or leave this empty and open API keys from Lattice's menus")

	ErrNotCompanyAddress = errors.New("that is not a company's address on latticehq.com: " +
		"type the first part of your company's Lattice address, " + example)
)

const example = "e.g. acme for acme.latticehq.com"

// ParseSubdomain finds a company's Lattice subdomain in what the user typed
// or pasted: a bare subdomain ("acme", "ACME"), a host ("acme.latticehq.com"),
// or an address on that host with or without http(s):// and with any path
// ("https://acme.latticehq.com/admin"). It returns the subdomain in lower
// case, or one of the Err values above.
func ParseSubdomain(input string) (string, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return "", ErrNoSubdomain
	}
	sub := strings.ToLower(s)
	if strings.ContainsAny(s, ".:/") {
		var err error
		if sub, err = subdomainOf(s); err != nil {
			return "", err
		}
	}
	switch {
	case sub == "api": // api.latticehq.com is the API, not a company
		return "", ErrNotCompanyAddress
	case strings.HasSuffix(sub, ".emea") && sub != "api.emea": // acme.emea: see latticeWebDomain
		return "", ErrEMEAAddress
	case strings.Contains(sub, "."): // api.emea, or deeper
		return "", ErrNotCompanyAddress
	case sub == "":
		return "", ErrBadSubdomain
	case len(sub) > 63:
		return "", ErrSubdomainTooLong
	case !validLabel(strings.Trim(sub, "-")):
		return "", ErrBadSubdomain
	case sub[0] == '-' || sub[len(sub)-1] == '-':
		return "", ErrDashAtEnd
	}
	return sub, nil
}

// subdomainOf is the part of an address's host before ".latticehq.com".
func subdomainOf(address string) (string, error) {
	lower := strings.ToLower(address)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		if strings.Contains(lower, "://") {
			return "", ErrNotLattice // ftp://, file://, ...
		}
		address = "https://" + address // the scheme an address bar often hides
	}
	u, err := url.Parse(address)
	if err != nil || u.Hostname() == "" || u.User != nil {
		// A user name in an address is a trick (https://lattice@evil.com)
		// or another scheme (mailto:x@acme.latticehq.com), never a company.
		return "", ErrNotLattice
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == latticeWebDomain {
		return "", ErrNoSubdomain
	}
	sub, ok := strings.CutSuffix(host, "."+latticeWebDomain)
	if !ok {
		return "", ErrNotLattice
	}
	return sub, nil
}

// validLabel reports whether s is one DNS label in lower case: 1 to 63
// letters, digits and dashes, with no dash at either end.
func validLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// KeysMenuPath is the way to the API keys page through Lattice's menus, as
// Lattice's help centre names it today; the Generate key step also gives the
// older names some accounts show.
const KeysMenuPath = "Admin › Settings › Platform › API keys"

// KeysPageURL is the API keys page of a company's Lattice admin, from
// anything ParseSubdomain accepts, or "" when it accepts nothing.
//
// The address comes from one source only and is unconfirmed: Lattice's
// menus have moved over time. Callers offer it as a hint, beside the path
// through the menus.
func KeysPageURL(subdomain string) string {
	sub, err := ParseSubdomain(subdomain)
	if err != nil {
		return ""
	}
	return "https://" + sub + "." + latticeWebDomain + "/admin/settings/api-keys"
}
