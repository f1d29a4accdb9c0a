package plain

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
	"github.com/lattice-link/lattice-link/steps"
)

// Forget asks first, as the wizard does; "no" keeps the key.
func TestForgetAsksFirst(t *testing.T) {
	l, store := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	out, _ := runPlain(t, l, steps.GuideStart, []string{"4", "2", "5"})
	if !strings.Contains(out, "Forget the key ****7f3c on this machine?") {
		t.Errorf("forget did not ask:\n%s", out)
	}
	if k, _ := store.Get("default"); k != latticedemo.KeyAdmin {
		t.Fatalf("\"no\" forgot the key:\n%s", out)
	}
	out, _ = runPlain(t, l, steps.GuideStart, []string{"4", "1"})
	if k, _ := store.Get("default"); k != "" || !strings.Contains(out, "Forgot the key ****7f3c") {
		t.Errorf("\"yes\" left %q:\n%s", k, out)
	}
}

// Once the email is noted as sent, "I have sent it" is not offered again
// and the default is to stop until Lattice answers.
func TestEmailMenuAfterSent(t *testing.T) {
	l, _ := testLink(t)
	out, res := runPlain(t, l, steps.RequestAccess, []string{"2", "4", ""})
	if n := strings.Count(out, "I have sent it"); n != 1 {
		t.Errorf("\"I have sent it\" offered %d times, want once:\n%s", n, out)
	}
	after := out[strings.Index(out, "Noted."):]
	if !strings.Contains(after, "Choose 1-5 [5]") || !strings.Contains(after, "Once Lattice approves your request") {
		t.Errorf("after sending, the menu did not default to stopping:\n%s", after)
	}
	if res.Cancelled {
		t.Error("stopping after sending was reported as cancelled")
	}
}

func homeWithLink(t *testing.T, key string, keep bool, lines ...string) string {
	t.Helper()
	l, store := testLink(t)
	if err := store.Set("default", key); err != nil {
		t.Fatal(err)
	}
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	nl, err := nango.ParseLink(ns.Link(ns.NewSession()), ns.URL)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	_, err = Run(Options{Start: steps.GuideStart, Link: l, In: strings.NewReader(strings.Join(lines, "\n") + "\n"),
		Out: &out, Width: 200, Nango: nango.New(nl, nango.Options{Version: "test"}), Keep: keep,
		ReadSecret: func(string) (string, error) { return "", errQuit }})
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// With a Connect link, each home action says what it does: a new key goes
// to the app and the stored one stays (no "Rotate" that keeps the old key
// under that name), and a key Lattice rejects is not offered to the app.
func TestHomeWithALinkNamesWhatEachActionDoes(t *testing.T) {
	out := homeWithLink(t, latticedemo.KeyAdmin, false, "q")
	for _, want := range []string{"1) Hand the stored key ****7f3c to the app", "2) Hand the app a new key instead; ****7f3c stays stored here",
		"Choose 1-6 [6]", "Nothing goes to the app until you choose it below; the key stored here stays stored."} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "Rotate") {
		t.Errorf("with a link, a new key goes to the app, yet Rotate is offered:\n%s", out)
	}
	if strings.Contains(out, "It is not stored on this machine") || strings.Contains(out, "--keep would") {
		t.Errorf("the home menu says the key is not stored, or names a flag it cannot take:\n%s", out)
	}
	// Handing the key over is chosen, never a bare enter.
	if out := homeWithLink(t, latticedemo.KeyAdmin, false, ""); strings.Contains(out, "Handed over") {
		t.Errorf("a bare enter handed the key over:\n%s", out)
	}
	if out := homeWithLink(t, latticedemo.KeyAdmin, true, "q"); !strings.Contains(out, "2) Hand the app a new key and store it here in place of ****7f3c") {
		t.Errorf("with --keep:\n%s", out)
	}
	out = homeWithLink(t, latticedemo.KeyRevoked, false, "q")
	if strings.Contains(out, "Hand the stored key") {
		t.Errorf("a key Lattice rejects is offered to the app:\n%s", out)
	}
	if !strings.Contains(out, "(choice 1)") || !strings.Contains(out, "1) Hand the app a new key instead") {
		t.Errorf("a rejected key's replacement is not the first choice:\n%s", out)
	}
}

// A rotation away from a key Lattice already rejects asks nobody to revoke
// it, and a new owner is said.
func TestRotationFromARejectedKeySaysNothingIsLeftToRevoke(t *testing.T) {
	l, store := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyMember, "", false); err != nil {
		t.Fatal(err)
	}
	if err := store.Set("default", latticedemo.KeyRevoked); err != nil {
		t.Fatal(err)
	}
	// Home sees the key rejected; its first choice replaces it.
	out, _ := runPlain(t, l, steps.GuideStart, []string{"1"}, latticedemo.KeyAdmin)
	if !strings.Contains(out, "Rotated: the new key is stored.") {
		t.Fatalf("no rotation:\n%s", out)
	}
	if strings.Contains(out, "Now revoke the old key") || strings.Contains(out, "Check that Lattice rejects the old key?") {
		t.Errorf("asked to revoke a key Lattice already rejects:\n%s", out)
	}
	if !strings.Contains(out, "1) Replace ****dead with a new key") {
		t.Errorf("the rejected key's replacement is offered as a rotation:\n%s", out)
	}
	if !strings.Contains(out, "nothing left to revoke") {
		t.Errorf("does not say there is nothing left to revoke:\n%s", out)
	}
}

// demoLink is the demo's link: the stand-in in both regions, keys and
// state in memory.
func demoLink(t *testing.T) *link.Link {
	t.Helper()
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	client, err := lattice.New(lattice.Options{RegionURLs: srv.RegionURLs(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	store := config.NewMemory()
	l := link.New(link.Config{Profile: "default", Client: client, Folder: config.NewMemoryFolder(), Demo: true,
		OpenStore: func() (config.Store, error) { return store, nil }})
	return l
}

// The demo's Done says nothing is remembered, also for a key of the other
// region.
func TestDemoEMEAConnectPromisesNothingKept(t *testing.T) {
	l := demoLink(t)
	out, _ := runPlain(t, l, steps.Connect, nil, latticedemo.KeyEMEA)
	if !strings.Contains(out, "EMEA region") || strings.Contains(out, "remembered") {
		t.Errorf("the demo's EMEA connect:\n%s", out)
	}
}

// Walking the guide with a key stored does not ask whether API access is
// approved as if the request were new: a key Lattice accepted proves it.
func TestWalkingTheGuideWithAKeyKnowsAccessIsApproved(t *testing.T) {
	l, _ := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := l.MarkRequested(time.Now()); err != nil {
		t.Fatal(err)
	}
	out, _ := runPlain(t, l, steps.GuideStart, []string{"3", "", "q"}) // walk the guide; the default
	if !strings.Contains(out, "Lattice has accepted a key for this profile") || strings.Contains(out, "Has Lattice approved") {
		t.Errorf("the guide asked as if the request were new:\n%s", out)
	}
	if !strings.Contains(out, "Step three of five") {
		t.Errorf("the default did not go on to Generate the key:\n%s", out)
	}
}

// "Check it again" shows that a check ran, and when, even when Lattice
// answers as before.
func TestCheckAgainSaysWhenItChecked(t *testing.T) {
	l, _ := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	out, _ := runPlain(t, l, steps.GuideStart, []string{"2", "5"})
	if n := len(regexp.MustCompile(`Status   valid: Lattice accepted it at \d\d:\d\d:\d\d\.`).FindAllString(out, -1)); n != 2 {
		t.Errorf("%d checks shown with their time, want 2:\n%s", n, out)
	}
}

// With LATTICE_API_KEY set, Done says that scripts get that key, not the
// one just stored.
func TestDoneSaysWhichKeyScriptsGet(t *testing.T) {
	l, _ := testLink(t)
	var out strings.Builder
	_, err := Run(Options{Start: steps.Connect, Link: l, In: strings.NewReader(""), Out: &out, Width: 200, EnvKey: true,
		ReadSecret: func(string) (string, error) { return latticedemo.KeyAdmin, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "LATTICE_API_KEY is set here, so lattice-link status and token use that key") ||
		strings.Contains(out.String(), "Scripts can use it now") {
		t.Errorf("Done with LATTICE_API_KEY set:\n%s", out.String())
	}
}

// The demo's Done names its stand-in, not a loopback address, and says
// once that nothing was stored (walk 3 G10).
func TestDemoDoneNamesTheStandInAndSaysNothingStoredOnce(t *testing.T) {
	l := demoLink(t)
	out, _ := runPlain(t, l, steps.Connect, nil, latticedemo.KeyAdmin)
	if !strings.Contains(out, "the demo's stand-in for Lattice") || strings.Contains(out, "127.0.0.1") {
		t.Errorf("the Region row:\n%s", out)
	}
	if n := strings.Count(strings.ToLower(out), "nothing was stored") + strings.Count(out, "nothing is written"); n != 1 {
		t.Errorf("nothing stored is said %d times:\n%s", n, out)
	}
}

// Generate's prompt asks for the part its errors ask for, and the errors
// read as sentences (walk 3 G12).
func TestGeneratePromptAndErrorsAgree(t *testing.T) {
	l, _ := testLink(t)
	out, _ := runPlain(t, l, steps.GenerateKey, []string{"-acme-", "acme.emea.latticehq.com", "", ""})
	words := strings.Join(strings.Fields(out), " ") // as read, whatever the wrapping
	for _, want := range []string{"The first part of your company's Lattice address, e.g. acme for acme.latticehq.com",
		"An address cannot start or end with a dash: ", "acme.latticehq.com. The first part",
		"Type only the first part", "Lattice's menus. The first part"} {
		if !strings.Contains(words, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

// The demo's key list nests no parentheses: "revoked (401)" is said after
// the key, not inside "( )" (walk 3 G19).
func TestDemoKeyListNestsNoParentheses(t *testing.T) {
	l, _ := testLink(t)
	var out strings.Builder
	_, _ = Run(Options{Start: steps.Connect, Link: l, In: strings.NewReader("\n"), Out: &out, Width: 80,
		DemoKeys:   []link.DemoKey{{Key: latticedemo.KeyRevoked, What: "revoked (401)"}},
		ReadSecret: func(string) (string, error) { return "", io.EOF }})
	if !strings.Contains(out.String(), "demo key "+latticedemo.KeyRevoked+": revoked (401)") || strings.Contains(out.String(), "))") {
		t.Errorf("the demo key list:\n%s", out.String())
	}
}

// After forgetting a key Lattice accepted, a later run knows API access is
// approved: it goes on at generating a new key instead of asking again
// (walk 3 G24).
func TestAfterForgetALaterRunKnowsAccessIsApproved(t *testing.T) {
	l, _ := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	out, _ := runPlain(t, l, steps.GuideStart, []string{"4", "1"}) // Forget the key, yes
	if !strings.Contains(out, "Forgot the key") {
		t.Fatalf("did not forget:\n%s", out)
	}
	out, _ = runPlain(t, l, steps.GuideStart, []string{"q"})
	if !strings.Contains(out, "Picking up where you left off, at Generate") || strings.Contains(out, "approved for your company?") {
		t.Errorf("the run after forget:\n%s", out)
	}
}
