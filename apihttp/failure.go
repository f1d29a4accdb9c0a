package apihttp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"syscall"
	"time"
)

// Cause is what made a request fail before an answer was read.
type Cause int

const (
	CauseOther     Cause = iota
	CauseTimeout         // no answer in time
	CauseCancelled       // the caller cancelled
	CauseDNS             // the name could not be looked up
	CauseRefused         // nothing listens there (ECONNREFUSED, WSAECONNREFUSED)
	CauseNoRoute         // the network or host is unreachable
	CauseTLS             // the TLS handshake failed: a certificate, a proxy that inspects TLS
	CauseClosed          // the connection was closed or reset before the answer was complete
	CauseNotHTTP         // the server answered with something that is not HTTP
)

// Clause words the cause as a clause for both clients' messages ("the
// connection was refused"): peer is who did not answer ("Lattice"), name
// the host name that could not be looked up (may be ""). "" for a cause
// that its caller words itself (a timeout, with its own budget) or that has
// only its detail to say.
func (c Cause) Clause(peer, name string) string {
	switch c {
	case CauseDNS:
		if name == "" {
			return "the name could not be looked up"
		}
		return "the name " + name + " could not be looked up"
	case CauseRefused:
		return "the connection was refused"
	case CauseNoRoute:
		return "no network route to it"
	case CauseTLS:
		return "its TLS certificate could not be verified"
	case CauseClosed:
		return "the connection was closed before " + peer + " answered"
	case CauseNotHTTP:
		return "the answer was not valid HTTP"
	}
	return ""
}

// Failure is a request that got no answer. Its text is the cause's own,
// which callers clean and redact before they show any of it.
type Failure struct {
	Cause   Cause
	Err     error         // the transport's error, without the request URL
	Elapsed time.Duration // how long the attempt ran
	// MaybeSent is false only when nothing of the request can have left
	// this machine (no connection was made), so a POST certainly did
	// nothing.
	MaybeSent bool
}

func (f *Failure) Error() string { return f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

// Retryable reports whether another try may get an answer: a dropped
// connection, a missing route or an unknown failure may; a name that does
// not resolve, a refused connection (nothing listens there: the answer is
// immediate and the same each time), a certificate, a cancel, a timeout
// (the time is spent) or a server that does not speak HTTP will not change.
func (f *Failure) Retryable() bool {
	switch f.Cause {
	case CauseOther, CauseClosed, CauseNoRoute:
		return true
	}
	return false
}

// Windows socket errors, by number (winerror.h), so they are recognised on
// every OS a test runs on: Go's syscall.ECONNREFUSED on Windows is an
// invented value that WSAECONNREFUSED does not match.
const (
	wsaECONNABORTED = syscall.Errno(10053)
	wsaECONNRESET   = syscall.Errno(10054)
	wsaETIMEDOUT    = syscall.Errno(10060)
	wsaECONNREFUSED = syscall.Errno(10061)
	wsaENETUNREACH  = syscall.Errno(10051)
	wsaEHOSTUNREACH = syscall.Errno(10065)
)

var errnoCause = map[syscall.Errno]Cause{
	syscall.ECONNREFUSED: CauseRefused, wsaECONNREFUSED: CauseRefused,
	syscall.ECONNRESET: CauseClosed, wsaECONNRESET: CauseClosed,
	syscall.ECONNABORTED: CauseClosed, wsaECONNABORTED: CauseClosed,
	syscall.EPIPE:       CauseClosed,
	syscall.ENETUNREACH: CauseNoRoute, wsaENETUNREACH: CauseNoRoute,
	syscall.EHOSTUNREACH: CauseNoRoute, wsaEHOSTUNREACH: CauseNoRoute,
	syscall.ETIMEDOUT: CauseTimeout, wsaETIMEDOUT: CauseTimeout,
}

// Classify says what a transport error means. It reads the error's types
// and values, never its words.
func Classify(err error) Cause {
	var f *Failure
	if errors.As(err, &f) {
		return f.Cause
	}
	return classify(err)
}

func classify(err error) Cause {
	var dnsErr *net.DNSError
	var errno syscall.Errno
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return CauseCancelled
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return CauseTimeout
	case errors.As(err, &dnsErr):
		return CauseDNS
	case isTLS(err):
		return CauseTLS
	case errors.As(err, &errno):
		if c, ok := errnoCause[errno]; ok {
			return c
		}
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return CauseClosed
	}
	return CauseOther
}

// isTLS recognises certificate and handshake errors by type, for a
// transport that does not report its handshake (a caller's own).
func isTLS(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var alert tls.AlertError
	var op *net.OpError
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalid) || errors.As(err, &hostname) ||
		errors.As(err, &verify) || errors.As(err, &record) || errors.As(err, &alert) ||
		// crypto/tls reports an alert from the server as this Op.
		errors.As(err, &op) && op.Op == "remote error"
}

// dialFailed reports a failure to open the connection at all.
func dialFailed(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
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
