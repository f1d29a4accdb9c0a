// Package baseurl checks the base URL of an API that a credential is sent
// to: https to any host, plain http only to loopback. Lattice's and Nango's
// clients share the rule, so it lives below both.
package baseurl

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/idna"

	"github.com/lattice-link/lattice-link/sanitize"
)

// Parse checks raw and returns it without a trailing slash, its host in
// ASCII (a non-ASCII name in its punycode form, as browsers show a name
// that could deceive: "api.nаngo.dev" with a Cyrillic а is
// api.xn--nngo-53d.dev, which is where a connection would go). name says
// where the URL came from ("--api-url", "the link's apiURL"), for the
// message. Plain http is allowed only to loopback: 127.0.0.0/8 and ::1
// written as addresses, and the name localhost, which the shared HTTP layer
// dials as 127.0.0.1 or ::1 without asking a resolver. Messages quote the
// input only cleaned.
func Parse(raw, name, example string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%s %q is not a URL like %s", name, sanitize.Line(raw, 200), example)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", fmt.Errorf("%s must be a plain base URL, without credentials, query or fragment", name)
	}
	host, err := asciiHost(u.Hostname())
	if err != nil {
		return "", fmt.Errorf("%s names a host that is not a valid domain name (%s)", name, sanitize.Line(u.Hostname(), 120))
	}
	if port := u.Port(); port != "" {
		u.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	} else {
		u.Host = host
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(host) {
			return "", fmt.Errorf("%s must use https (plain http is allowed only to this machine: localhost, 127.0.0.1 or [::1])", name)
		}
	default:
		return "", fmt.Errorf("%s must use https, not %q", name, sanitize.Line(u.Scheme, 20))
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// asciiHost is host as it is dialled: an IP address as it is, a name in
// lower case and punycode. A name with controls, bidi overrides or other
// characters no domain name has is refused.
func asciiHost(host string) (string, error) {
	if ip := net.ParseIP(host); ip != nil {
		return ip.String(), nil
	}
	if IsLoopbackName(host) {
		return "localhost", nil
	}
	return idna.Lookup.ToASCII(host)
}

// IsLoopback reports whether host is loopback: an address in 127.0.0.0/8 or
// ::1, or the name localhost (which the shared HTTP layer dials as one).
// Any other name never counts, whatever a resolver would say.
func IsLoopback(host string) bool {
	return IsLoopbackIP(host) || IsLoopbackName(host)
}

// IsLoopbackIP reports whether host is a loopback address written as one
// (127.0.0.0/8 or ::1).
func IsLoopbackIP(host string) bool {
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackName reports whether host is the name localhost, which RFC 6761
// reserves for this machine.
func IsLoopbackName(host string) bool {
	return strings.EqualFold(strings.TrimSuffix(host, "."), "localhost")
}

// Host is the host (and port) of a URL this package returned, for
// messages; base itself when it has none.
func Host(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}
