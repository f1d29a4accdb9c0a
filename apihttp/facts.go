package apihttp

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Kinded is an error that says which kind of failure it is, as both
// clients' *Error types do.
type Kinded[K comparable] interface {
	error
	FailureKind() K
}

// KindOf is the kind of the first Kinded[K] error in err's chain, or K's
// zero value.
func KindOf[K comparable](err error) K {
	var k Kinded[K]
	if errors.As(err, &k) {
		return k.FailureKind()
	}
	var zero K
	return zero
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

// HumanDuration is a wait as people say it: "a moment", "12 s", "2 min",
// "3 h".
func HumanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "a moment"
	case d < 2*time.Minute:
		return strconv.Itoa(int(d.Round(time.Second).Seconds())) + " s"
	case d < 2*time.Hour:
		return strconv.Itoa(int(d.Round(time.Minute).Minutes())) + " min"
	default:
		return strconv.Itoa(int(d.Round(time.Hour).Hours())) + " h"
	}
}

// Within is a time limit as text: HumanDuration, except that a limit under
// a second (only tests set one) keeps its value.
func Within(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return HumanDuration(d)
}

// ContentTypeNote is " (content type x)" for a detail about an answer
// that was not what was expected, or "" when there was no media type.
// mediaType must already be cleaned of anything secret.
func ContentTypeNote(mediaType string) string {
	if mediaType == "" {
		return ""
	}
	return " (content type " + mediaType + ")"
}

// Withheld replaces outside text that carries a secret.
const Withheld = "(withheld: it contained a credential)"

// Withhold is s, or Withheld when s holds one of the secrets or a good part
// of one (half of it is enough to be worth hiding): text from outside — an
// answer, the network stack's errors — is never trusted not to echo what
// it was sent. Secrets shorter than 8 characters are ignored: they would
// match ordinary words.
func Withhold(s string, secrets ...string) string {
	lower := strings.ToLower(s) // an echo may change the case
	for _, secret := range secrets {
		if len(secret) < 8 {
			continue
		}
		secret = strings.ToLower(secret)
		if strings.Contains(lower, secret) || strings.Contains(lower, secret[len(secret)/2:]) ||
			strings.Contains(lower, secret[:len(secret)/2]) {
			return Withheld
		}
	}
	return s
}
