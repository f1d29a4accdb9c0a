package link

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice"
)

// SCIM that kept the check waiting is said as Lattice's SCIM API, not as
// Lattice (which answered) or a bare address, with the command that checks
// it again; and a face's SCIM row does not say "SCIM" twice (walk 2 F7,
// F16, F27).
func TestASCIMTimeoutNamesTheSCIMAPIAndHowToCheckAgain(t *testing.T) {
	err := &lattice.Error{Kind: lattice.Unreachable, Host: "api.latticehq.com", Timeout: 10 * time.Second}
	s := (&Link{}).ExplainSCIM(err)
	for _, want := range []string{"Lattice's SCIM API (api.latticehq.com) did not answer within 10 s", "lattice-link status --scim"} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q in %q", want, s)
		}
	}
	facts := Connected{Checked: Checked{SCIMErr: err}}.Facts()
	for _, f := range facts {
		if f.Label == "SCIM" && strings.HasPrefix(f.Value, "SCIM") {
			t.Errorf("the SCIM row says SCIM twice: %q", f.Value)
		}
	}
}

// The demo's Done names its stand-in, not a loopback address, in the
// Region row and when its SCIM API hangs (walk 3 G10, G16).
func TestDemoFactsNameNoLoopbackAddress(t *testing.T) {
	err := &lattice.Error{Kind: lattice.Unreachable, Host: "127.0.0.1:40773", Timeout: 10 * time.Second}
	c := Connected{Checked: Checked{SCIMErr: err}, Demo: true}
	c.Identity.Endpoint = lattice.Endpoint{Region: lattice.US, URL: "http://127.0.0.1:40773"}
	for _, f := range c.Facts() {
		if strings.Contains(f.Value, "127.0.0.1") {
			t.Errorf("%s: %q", f.Label, f.Value)
		}
		if f.Label == "Region" && f.Value != "US · the demo's stand-in for Lattice" {
			t.Errorf("Region: %q", f.Value)
		}
	}
}

// The command SCIM's words name acts on the profile they are about
// (walk 3 G2).
func TestSCIMWordsNameTheProfile(t *testing.T) {
	err := &lattice.Error{Kind: lattice.Unreachable, Host: "api.latticehq.com", Timeout: 10 * time.Second}
	if s := (&Link{Profile: "b"}).ExplainSCIM(err); !strings.Contains(s, "(lattice-link --profile b status --scim)") {
		t.Errorf("profile b: %q", s)
	}
	c := Connected{Checked: Checked{SCIMErr: err}, Profile: "b"}
	for _, f := range c.Facts() {
		if f.Label == "SCIM" && !strings.Contains(f.Value, "lattice-link --profile b status --scim") {
			t.Errorf("the SCIM row: %q", f.Value)
		}
	}
}

// A hand-off from profile b whose copy waits for a yes names b's connect
// (walk 3 G2).
func TestHandOffKeptWordsNameTheProfile(t *testing.T) {
	held := &ConfirmError{Pending: Pending{Fingerprint: "••••a1b2", OldPrint: "••••7f3c"}}
	for profile, want := range map[string]string{"b": "run lattice-link --profile b connect with", "": "run lattice-link connect with"} {
		if s := (HandedOff{KeepErr: held, Profile: profile}).KeptWords(); !strings.Contains(s, want) {
			t.Errorf("profile %q: %q", profile, s)
		}
	}
}

// The doubt after a store names the run's profile's status (walk 3 G2).
func TestDoubtNamesTheProfile(t *testing.T) {
	c := Connected{Profile: "b", Doubt: errors.New("fsync failed")}
	found := false
	for _, f := range c.Facts() {
		found = found || strings.Contains(f.Value, "run lattice-link --profile b status.")
	}
	if !found {
		t.Errorf("%+v", c.Facts())
	}
}
