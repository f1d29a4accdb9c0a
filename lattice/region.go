package lattice

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Region is where a company's Lattice data lives; each has its own API host.
type Region string

const (
	US   Region = "us"
	EMEA Region = "emea"
)

// Hosts are Lattice's API hosts per region.
var Hosts = map[Region]string{
	US:   "https://api.latticehq.com",
	EMEA: "https://api.emea.latticehq.com",
}

// ParseRegion accepts "us" or "emea" in any case.
func ParseRegion(s string) (Region, error) {
	r := Region(strings.ToLower(strings.TrimSpace(s)))
	if r == "" {
		return US, nil
	}
	if _, ok := Hosts[r]; !ok {
		return "", fmt.Errorf("unknown region %q: use us or emea", s)
	}
	return r, nil
}

// Other is the region a key is tried on when its own rejects it.
func (r Region) Other() Region {
	if r == EMEA {
		return US
	}
	return EMEA
}

// Label is the region as shown to people.
func (r Region) Label() string { return strings.ToUpper(string(r)) }

// ParseAPIURL checks an --api-url override: https, or http to a loopback
// address only, so a key is never sent in clear over a network. It returns
// the URL without a trailing slash.
func ParseAPIURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("--api-url %q is not a URL like https://api.latticehq.com", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("--api-url must be a plain base URL, without credentials, query or fragment")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return "", fmt.Errorf("--api-url must use https (http is allowed only for 127.0.0.1, ::1 and localhost)")
		}
	default:
		return "", fmt.Errorf("--api-url must use https, not %q", u.Scheme)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
