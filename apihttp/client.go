// Package apihttp is the HTTP layer the Lattice and Nango clients share:
// the HTTP client (proxy, redirects, how loopback is dialled), one request
// sent and its answer read within a size limit, the retry loop, and the
// classification of a failed request as facts (what failed, whether it is
// worth another try, whether the request may have left). It words nothing
// for a user beyond a few neutral details; each client and face does that.
package apihttp

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/lattice-link/lattice-link/baseurl"
)

// NewClient is the HTTP client both API clients use. It never follows a
// redirect, so a credential in a header or the query cannot be led to
// another host; it takes HTTPS_PROXY (and NO_PROXY) from the environment for
// https requests only, since a plain-http request through a proxy would
// hand the proxy the credential in clear; and it dials the name localhost
// as 127.0.0.1 or ::1 without asking a resolver, so that a resolver that
// maps it elsewhere cannot carry a credential off. It sets no answer
// timeout: callers bound each call with a context, so that a timeout is
// reported with the time really allowed.
func NewClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = httpsProxyOnly
	t.DialContext = dialLoopbackName(dial)
	return &http.Client{
		Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// httpsProxyOnly is the proxy from the environment for https requests and
// none for anything else.
func httpsProxyOnly(r *http.Request) (*url.URL, error) {
	if r.URL.Scheme != "https" {
		return nil, nil
	}
	return http.ProxyFromEnvironment(r)
}

type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// dial is how NewClient's connections are opened, below the loopback rule
// (tests watch it).
var dial dialFunc = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext

// dialLoopbackName dials localhost:port as 127.0.0.1:port, then [::1]:port,
// and every other address with dial.
func dialLoopbackName(dial dialFunc) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil || !baseurl.IsLoopbackName(host) {
			return dial(ctx, network, addr)
		}
		conn, err := dial(ctx, network, net.JoinHostPort("127.0.0.1", port))
		if err == nil || ctx.Err() != nil {
			return conn, err
		}
		if conn6, err6 := dial(ctx, network, net.JoinHostPort("::1", port)); err6 == nil {
			return conn6, nil
		}
		return nil, err
	}
}
