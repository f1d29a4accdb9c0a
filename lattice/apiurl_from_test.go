package lattice

import (
	"strings"
	"testing"
)

// An API URL's errors, and the advice of a client it pins, name what gave
// it: LATTICE_API_URL when the environment did, not a flag never typed.
func TestAnAPIURLIsNamedByWhatGaveIt(t *testing.T) {
	if _, err := ParseAPIURL("http://lattice.example", "LATTICE_API_URL"); err == nil || !strings.HasPrefix(err.Error(), "LATTICE_API_URL must use https") {
		t.Errorf("from the environment: %v", err)
	}
	if _, err := ParseAPIURL("http://lattice.example", ""); err == nil || !strings.HasPrefix(err.Error(), "--api-url must use https") {
		t.Errorf("unnamed: %v", err)
	}
	c, err := New(Options{APIURL: "http://127.0.0.1:1", APIURLFrom: "LATTICE_API_URL"})
	if err != nil || c.PinnedBy() != "LATTICE_API_URL" {
		t.Errorf("PinnedBy %q, %v", c.PinnedBy(), err)
	}
	if c, _ := New(Options{APIURL: "http://127.0.0.1:1"}); c.PinnedBy() != "--api-url" {
		t.Errorf("PinnedBy %q", c.PinnedBy())
	}
}
