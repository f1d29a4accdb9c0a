package baseurl

import "testing"

func TestParse(t *testing.T) {
	good := map[string]string{
		"https://api.latticehq.com/": "https://api.latticehq.com",
		" https://example.com/base ": "https://example.com/base",
		"http://127.0.0.1:8080":      "http://127.0.0.1:8080",
		"http://127.8.9.10":          "http://127.8.9.10",
		"http://[::1]:3003/":         "http://[::1]:3003",
	}
	for in, want := range good {
		if got, err := Parse(in, "--api-url", "https://api.latticehq.com"); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{
		"http://localhost:8080", // a name: the resolver decides where it goes
		"http://LOCALHOST",
		"http://example.com",
		"http://10.0.0.1",
		"ftp://127.0.0.1",
		"https://user:pw@example.com",
		"https://example.com/?x=1",
		"example.com",
		"",
	} {
		if _, err := Parse(bad, "--api-url", "https://api.latticehq.com"); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
