package baseurl

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := map[string]string{
		"https://api.latticehq.com/": "https://api.latticehq.com",
		" https://example.com/base ": "https://example.com/base",
		"http://127.0.0.1:8080":      "http://127.0.0.1:8080",
		"http://127.8.9.10":          "http://127.8.9.10",
		"http://[::1]:3003/":         "http://[::1]:3003",
		// Self-hosted Nango's usual address: the name is dialled as
		// loopback by the shared HTTP layer, never looked up.
		"http://localhost:3003": "http://localhost:3003",
		"http://LOCALHOST":      "http://localhost",
		"https://API.Nango.dev": "https://api.nango.dev",
		// A look-alike name is kept as it is dialled: in punycode.
		"https://api.n%D0%B0ngo.dev": "https://api.xn--nngo-53d.dev",
		"https://api.n\u0430ngo.dev": "https://api.xn--nngo-53d.dev",
	}
	for in, want := range good {
		if got, err := Parse(in, "--api-url", "https://api.latticehq.com"); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{
		"http://localhost.example.com:8080", // a name: the resolver decides where it goes
		"http://example.com",
		"http://10.0.0.1",
		"ftp://127.0.0.1",
		"https://user:pw@example.com",
		"https://example.com/?x=1",
		"example.com",
		"",
		"https://api.nango.dev%C2%9B",         // a C1 control
		"https://api.%E2%80%AEved.ognan",      // a right-to-left override
		"https://a%C2%9D0;evil%C2%9C.example", // an OSC string
		"https://api.nango.dev\u202e/x",       // raw bidi override
		"https://bad_name.example.com",        // not a host name
	} {
		got, err := Parse(bad, "--api-url", "https://api.latticehq.com")
		if err == nil {
			t.Errorf("Parse(%q) accepted as %q", bad, got)
			continue
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\u009b\u009d\u009c\u202e") {
			t.Errorf("Parse(%q): the message carries the controls: %q", bad, msg)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.9.9.9": true, "::1": true, "[::1]": true, "localhost": true, "LocalHost.": true,
		"localhost.example.com": false, "10.0.0.1": false, "example.com": false, "": false, "::": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v", host, got)
		}
	}
}
