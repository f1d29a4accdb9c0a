// Package netfail classifies the ways a request to an API can fail, for
// the Lattice and Nango clients alike: which failures are worth a retry,
// and what to tell the user.
package netfail

import (
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// TLS reports whether err is a certificate or TLS handshake failure: a
// retry will not fix it, and the user should hear about it.
func TLS(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalid) ||
		errors.As(err, &hostname) || strings.Contains(err.Error(), "tls: ")
}

// Timeout reports whether err is a network timeout.
func Timeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Root is the innermost cause of err.
func Root(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// RetryAfter reads a Retry-After header in either form, seconds or an HTTP
// date, as a wait of at most limit; 0 when there is none or it is unreadable.
func RetryAfter(v string, now time.Time, limit time.Duration) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return min(time.Duration(max(secs, 0))*time.Second, limit)
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), limit)
	}
	return 0
}
