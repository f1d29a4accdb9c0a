// Package baseurl checks the base URL of an API that a credential is sent
// to: https to any host, plain http only to a literal loopback address.
// Lattice's and Nango's clients share the rule, so it lives below both.
package baseurl

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Parse checks raw and returns it without a trailing slash. flag names the
// option the URL came from ("--api-url"), for the message. Plain http is
// allowed only to 127.0.0.0/8 and ::1 written as addresses: a name such as
// localhost is resolved by whatever the machine's resolver says, and a
// resolver that maps it elsewhere would carry the key off in clear text.
func Parse(raw, flag, example string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%s %q is not a URL like %s", flag, raw, example)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%s must be a plain base URL, without credentials, query or fragment", flag)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopbackIP(u.Hostname()) {
			return "", fmt.Errorf("%s must use https (plain http is allowed only for the addresses 127.0.0.1 and [::1]; "+
				"write the address, not a name like localhost)", flag)
		}
	default:
		return "", fmt.Errorf("%s must use https, not %q", flag, u.Scheme)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// IsLoopbackIP reports whether host is a loopback address written as one
// (127.0.0.0/8 or ::1); names never count.
func IsLoopbackIP(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
