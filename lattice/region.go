package lattice

import (
	"fmt"
	"strings"

	"github.com/lattice-link/lattice-link/baseurl"
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

// IsLatticeHost reports whether host is one of Lattice's own API hosts: a
// 404 from another host means the address is wrong, not that Lattice changed.
func IsLatticeHost(host string) bool {
	for _, u := range Hosts {
		if baseurl.Host(u) == host {
			return true
		}
	}
	return false
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

// apiURLName is from, or --api-url when nothing says where the URL came from.
func apiURLName(from string) string {
	if from == "" {
		return "--api-url"
	}
	return from
}

// Label is the region as shown to people.
func (r Region) Label() string { return strings.ToUpper(string(r)) }

// ParseAPIURL checks an API URL override and returns it without a
// trailing slash and without Lattice's version path: Lattice documents its
// base as https://api.latticehq.com/v1, and the client adds /v1 itself.
// The rule is baseurl's, shared with the Nango client: https, or plain http
// to loopback only. from names where the URL came from, for the messages
// ("--api-url", "LATTICE_API_URL"); "" is --api-url.
func ParseAPIURL(raw, from string) (string, error) {
	u, err := baseurl.Parse(raw, apiURLName(from), Hosts[US])
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(u, "/v1"), nil
}
