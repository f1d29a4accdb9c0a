package lattice

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// TestKeyGoesThroughAProxyOnlyToTheAPIHost checks that with HTTPS_PROXY set,
// the key travels inside a TLS tunnel to the API host: the proxy learns the
// host it is asked to connect to, and nothing else. Go reads HTTPS_PROXY once
// per process, so the test runs again in a child that sets it first.
func TestKeyGoesThroughAProxyOnlyToTheAPIHost(t *testing.T) {
	if os.Getenv("LATTICE_PROXY_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKeyGoesThroughAProxyOnlyToTheAPIHost$")
		cmd.Env = append(os.Environ(), "LATTICE_PROXY_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}

	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		me(w, r)
	}))
	defer api.Close()
	proxy, seen := tunnelProxy(t, api.Listener.Addr().String())
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")

	// Lattice's real host name, so the proxy is used; the certificate is the
	// test server's, trusted for this test.
	c, err := New(Options{Region: US, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(api.Certificate())
	c.HTTP.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool, ServerName: "example.com"}
	if _, err := c.Verify(context.Background(), testKey); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
	connects, raw := seen()
	if len(connects) != 1 || connects[0] != "api.latticehq.com:443" {
		t.Errorf("the proxy was asked for %v", connects)
	}
	if strings.Contains(raw, testKey) || strings.Contains(raw, "Authorization") {
		t.Error("the proxy saw the key in clear")
	}
}

// tunnelProxy answers CONNECT by tunnelling to target, whatever host it is
// asked for, and records the hosts asked and every byte carried.
func tunnelProxy(t *testing.T, target string) (*httptest.Server, func() ([]string, string)) {
	var mu sync.Mutex
	var connects []string
	var raw strings.Builder
	copyRecorded := func(dst io.Writer, src io.Reader, done chan<- struct{}) {
		defer func() { done <- struct{}{} }()
		b := make([]byte, 32<<10)
		for {
			n, err := src.Read(b)
			if n > 0 {
				mu.Lock()
				raw.Write(b[:n])
				mu.Unlock()
				if _, werr := dst.Write(b[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		connects = append(connects, r.Host)
		mu.Unlock()
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		upstream, err := net.Dial("tcp", target)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer upstream.Close()
		w.WriteHeader(http.StatusOK)
		client, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer client.Close()
		done := make(chan struct{}, 2)
		go copyRecorded(upstream, buf, done)
		go copyRecorded(client, upstream, done)
		<-done
	}))
	t.Cleanup(srv.Close)
	return srv, func() ([]string, string) {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), connects...), raw.String()
	}
}

func TestRegionFallbackStaysOnLatticeHosts(t *testing.T) {
	for _, r := range []Region{US, EMEA} {
		c, _ := New(Options{Region: r})
		for _, ep := range []Endpoint{c.Primary, *c.Alternate} {
			if ep.URL != Hosts[US] && ep.URL != Hosts[EMEA] {
				t.Errorf("%s: %s is not one of Lattice's hosts", r, ep.URL)
			}
		}
		if c.Alternate.URL == c.Primary.URL {
			t.Errorf("%s: the fallback is the same host", r)
		}
	}
}

// TestPlainHTTPNeverGoesThroughAProxy checks that with HTTP_PROXY set, a
// plain-http API URL (allowed only for a loopback address) is dialled
// directly: through a proxy, the Authorization header would travel to it in
// clear. Go already skips proxies for loopback; the shared client keeps it so.
// It runs in a child for the same reason as the test above.
func TestPlainHTTPNeverGoesThroughAProxy(t *testing.T) {
	if os.Getenv("LATTICE_HTTP_PROXY_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPlainHTTPNeverGoesThroughAProxy$")
		cmd.Env = append(os.Environ(), "LATTICE_HTTP_PROXY_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}

	var mu sync.Mutex
	var proxied []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		proxied = append(proxied, r.Method+" "+r.Host+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer proxy.Close()
	for _, name := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"} {
		t.Setenv(name, proxy.URL)
	}
	for _, name := range []string{"NO_PROXY", "no_proxy"} {
		t.Setenv(name, "")
	}
	os.Unsetenv("REQUEST_METHOD") // under CGI, Go ignores HTTP_PROXY

	api, _ := server(t, me)
	c := client(t, api.URL)
	if _, err := c.Verify(context.Background(), testKey); err != nil {
		t.Fatalf("direct to loopback: %v", err)
	}

	// The proxy is really configured: a plain-http request elsewhere, sent
	// by Go's own proxy rule, does reach it; the client's rule refuses it.
	req, _ := http.NewRequest(http.MethodGet, "http://api.example.test/v1/me", nil)
	if u, err := http.ProxyFromEnvironment(req); err != nil || u == nil {
		t.Fatalf("HTTP_PROXY is not in effect: %v %v", u, err)
	}
	if u, err := NewHTTPClient().Transport.(*http.Transport).Proxy(req); err != nil || u != nil {
		t.Errorf("plain http would go through %v", u)
	}
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if len(proxied) != 1 || !strings.HasPrefix(proxied[0], "GET api.example.test ") {
		t.Errorf("the proxy saw %q; want only the control request", proxied)
	}
}

// TestPlainHTTPToANameIsNeverSent covers a Client whose endpoints were set
// by hand, bypassing New's check: the key must still not leave in clear.
// (localhost is loopback: the shared client dials it as 127.0.0.1 or ::1.)
func TestPlainHTTPToANameIsNeverSent(t *testing.T) {
	for _, u := range []string{"http://example.com", "http://localhost.example.com:1", "http://10.0.0.1"} {
		sent := false
		c := &Client{Primary: Endpoint{US, u}, HTTP: &http.Client{Transport: roundTripper(func(*http.Request) (*http.Response, error) {
			sent = true
			return nil, errors.New("sent")
		})}}
		_, err := c.Verify(context.Background(), testKey)
		if sent || KindOf(err) != Unexpected || strings.Contains(err.Error(), testKey) {
			t.Errorf("%s: sent %v, err %v", u, sent, err)
		}
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
