package link

import (
	"strings"
	"testing"
)

// A host in punycode is said to be one written with non-Latin letters that
// can imitate another name (walk F14: "xn--" meant nothing to a user).
func TestHostQuestionExplainsPunycode(t *testing.T) {
	if q := HostQuestion("api.xn--nngo-53d.dev"); !strings.Contains(q, "non-Latin letters") {
		t.Errorf("a punycode host is not explained: %q", q)
	}
	if q := HostQuestion("evil.example"); strings.Contains(q, "non-Latin") {
		t.Errorf("an ASCII host is explained as punycode: %q", q)
	}
}
