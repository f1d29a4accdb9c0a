package wizard

import (
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// rotatedDone is Done after a rotation that replaced old.
func rotatedDone(old string) (*Model, *doneScreen) {
	m := New(Options{})
	res := link.Connected{Fingerprint: "••••a1b2", Old: old, Where: "the OS keyring", StoreKind: "keyring"}
	res.Identity = lattice.Identity{User: lattice.User{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true},
		Endpoint: lattice.Endpoint{Region: lattice.US, URL: "https://api.latticehq.com"}}
	d := newDone(m.app, res)
	m.show(d)
	m.leaveWith(d.summary())
	m.Update(sizeMsg(100, 40))
	return m, d
}

func TestARotationStaysARotationUntilTheOldKeyIsRevoked(t *testing.T) {
	const old = "demo-4f1e-admin-8c2d-7f3c"
	m, d := rotatedDone(old)
	if !strings.Contains(m.Result.Summary, "Rotated") || !strings.Contains(m.Result.Summary, "revoke the old key ••••7f3c") {
		t.Errorf("quitting now leaves no reminder to revoke: %q", m.Result.Summary)
	}
	d.checkRevoked() // its answer is given below, without asking Lattice
	m.Update(revokedMsg{to: d, id: d.revoking.id, revoked: true})
	s := shown(m)
	if !strings.Contains(s, "Done · rotated") || !strings.Contains(s, "Rotated: the new key is stored") ||
		!strings.Contains(s, "The old key is revoked") {
		t.Errorf("after v the screen forgot the rotation:\n%s", s)
	}
	if strings.Contains(s, "press v") || strings.Contains(lastLine(m), "v check") {
		t.Errorf("v is still offered for a revoked key:\n%s", s)
	}
	if !strings.Contains(m.Result.Summary, "Rotated") || !strings.Contains(m.Result.Summary, "revoked") {
		t.Errorf("the summary: %q", m.Result.Summary)
	}
}

// homeWithKey is the home screen with a key stored and read.
func homeWithKey(t *testing.T, key string) (*Model, *homeScreen) {
	t.Helper()
	_, client := standIn(t)
	store := config.NewMemory()
	_ = store.Set("default", key)
	m := New(Options{Link: testLink(client, store)})
	h := newHome(m.app)
	m.show(h)
	m.Update(sizeMsg(100, 30))
	_, check := m.Update(readStored(m.app.link)())
	run(m, check)
	return m, h
}

func TestAfterForgettingAKeyAccessIsNotAskedAboutAgain(t *testing.T) {
	m, _ := homeWithKey(t, latticedemo.KeyAdmin)
	m.app.remembered.AccessRequestedAt = time.Now() // asked just now, as the issue found
	keys(m, "f")
	_, cmd := m.Update(press("y"))
	run(m, cmd)
	if m.current != m.guide[steps.Prerequisites] {
		t.Fatalf("after forgetting, the screen is %T", m.current)
	}
	s := shown(m)
	if strings.Contains(s, "Has Lattice approved") || !strings.Contains(s, "API access is approved") {
		t.Errorf("the question ignores the key Lattice accepted:\n%s", s)
	}
}

func TestCheckingAgainShowsThatACheckRanAndWhen(t *testing.T) {
	m, _ := homeWithKey(t, latticedemo.KeyAdmin)
	first := shown(m)
	if !strings.Contains(first, "valid: Lattice accepted it at ") {
		t.Fatalf("the first check does not say when:\n%s", first)
	}
	_, cmd := m.Update(press("c"))
	run(m, cmd)
	if again := shown(m); again == first || !strings.Contains(again, "check 2 of this run") {
		t.Errorf("c made no visible change:\n%s", again)
	}
}

func TestWhatCannotBeAKeyIsNotSent(t *testing.T) {
	srv, client := standIn(t)
	for paste, want := range map[string]string{
		"https://acme.latticehq.com/admin/settings/api-keys": "a web address, not a key",
		strings.Repeat("k", 5000):                            "5000 characters",
	} {
		m := sized(Options{Start: steps.Connect, Link: testLink(client, nil)}, 100, 30, true)
		m.Update(pasteMsg(paste))
		if s := shown(m); !strings.Contains(s, want) || connectOf(m).input.Value() != "" {
			t.Errorf("%.30q: no %q, or it stayed in the input:\n%s", paste, want, s)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached Lattice", n)
	}
	// A key with a byte order mark and a zero-width space is the key.
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil)}, 100, 30, true)
	m.Update(pasteMsg("\uFEFF" + latticedemo.KeyAdmin + "\u200B"))
	if v := connectOf(m).input.Value(); v != latticedemo.KeyAdmin {
		t.Errorf("the input holds %d characters, not the key", len(v))
	}
}

func TestARefusedAddressStaysInTheInputToBeFixed(t *testing.T) {
	m := sized(Options{Start: steps.GenerateKey}, 80, 24, true)
	g := m.guide[steps.GenerateKey].(*generateScreen)
	keys(m, "e")
	m.Update(pasteMsg("-acme-"))
	keys(m, "enter")
	if !g.Focused() || g.input.Value() != "-acme-" {
		t.Fatalf("the refused entry closed the input (focused %v, %q)", g.Focused(), g.input.Value())
	}
	if s := shown(m); !strings.Contains(s, "cannot start or end with a dash") || !strings.Contains(lastLine(m), "esc") {
		t.Errorf("the message does not say what is wrong, or how to leave:\n%s", s)
	}
	m.Update(pasteMsg("acme.emea.latticehq.com"))
	keys(m, "enter")
	if s := shown(m); !strings.Contains(s, "Type only the first part") || !g.Focused() {
		t.Errorf("an EMEA-looking address:\n%s", s)
	}
}

func TestTheCheckSaysWhatItWaitsOn(t *testing.T) {
	_, client := standIn(t)
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil)}, 100, 30, true)
	m.app.remembered.CheckSCIM = true
	if s := shown(m); strings.Contains(s, "Asking") {
		t.Fatalf("asking before enter:\n%s", s)
	}
	m.Update(pasteMsg(latticedemo.KeySCIMHang))
	_, start := m.Update(press("enter"))
	if s := shown(m); !strings.Contains(s, "whose key this is, and its SCIM API") {
		t.Errorf("while asking:\n%s", s)
	}
	// The work's first message: Lattice accepted the key, SCIM does not answer.
	for _, c := range start().(tea.BatchMsg) {
		if c == nil {
			continue
		}
		if msg := c(); !isTick(msg) {
			m.Update(msg)
		}
	}
	if s := shown(m); !strings.Contains(s, "Lattice accepted the key; waiting for its SCIM API to answer") {
		t.Errorf("while SCIM does not answer:\n%s", s)
	}
	keys(m, "esc")
}

func isTick(msg tea.Msg) bool { _, ok := msg.(spinner.TickMsg); return ok }

func TestTheRotateScreenSaysWhatRotationDoes(t *testing.T) {
	m, _ := homeWithKey(t, latticedemo.KeyAdmin)
	keys(m, "r")
	s := shown(m)
	for _, want := range []string{"Rotate · replace ••••7f3c", "Rotate the key", "The old key ••••7f3c stays stored",
		"revoke the old key in Lattice"} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q in:\n%s", want, s)
		}
	}
	if strings.Contains(s, "stores only a key that Lattice accepts") {
		t.Errorf("the first connect's text under the rotation:\n%s", s)
	}
}

func TestTheHandOffsDoneNamesTheIntegrationAsSuch(t *testing.T) {
	m := goldenScreens()["done-handoff"](Options{})
	m.Update(sizeMsg(100, 40))
	s := shown(m)
	if !strings.Contains(s, "Integration lattice-hr (Lattice) at api.nango.dev") || strings.Contains(s, "App         ") {
		t.Errorf("the integration is shown as the app:\n%s", s)
	}
}

func TestUnreachableAdviceNamesTheAddressGiven(t *testing.T) {
	gone := httptest.NewServer(nil)
	gone.Close() // nothing listens there now: the connection is refused
	client, err := lattice.New(lattice.Options{APIURL: gone.URL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	client.Backoff = time.Millisecond
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil)}, 100, 30, true)
	run(m, typed(m, latticedemo.KeyAdmin))
	host := strings.TrimPrefix(gone.URL, "http://")
	if s := shown(m); !strings.Contains(s, "Check that the server at "+host+" is running") {
		t.Errorf("the advice is generic:\n%s", s)
	}
}

// readOnlyStore is a credentials file in a folder that cannot be written.
type readOnlyStore struct{ *config.Memory }

func (readOnlyStore) Kind() config.StoreKind { return config.FileStore }
func (readOnlyStore) Where() string          { return "/cfg/lattice-link/credentials.json" }
func (readOnlyStore) Set(string, string) error {
	return &os.PathError{Op: "open", Path: "/cfg/lattice-link/credentials.json.tmp", Err: syscall.EROFS}
}

func TestAnUnwritableFolderIsNotAdvisedTheFileStore(t *testing.T) {
	_, client := standIn(t)
	m := sized(Options{Start: steps.Connect, Link: testLink(client, readOnlyStore{config.NewMemory()})}, 100, 30, true)
	run(m, typed(m, latticedemo.KeyAdmin))
	s := shown(m)
	if !strings.Contains(s, "could not be stored") || strings.Contains(s, "--store") {
		t.Errorf("the advice for a folder that cannot be written:\n%s", s)
	}
}

// A rotation opened by `lattice-link connect` (a key stored) goes back to
// home, as one opened from home's r does: p went to the guide's SCIM step.
func TestBackFromARotationStartedAtConnectGoesHome(t *testing.T) {
	store := config.NewMemory()
	_ = store.Set("default", latticedemo.KeyAdmin)
	m := sized(Options{Start: steps.Connect, Link: testLink(nil, store)}, 80, 24, true)
	m.Update(readStored(m.app.link)())
	if !strings.Contains(shown(m), "Rotate · replace ••••7f3c") {
		t.Fatalf("not the rotation:\n%s", shown(m))
	}
	keys(m, "esc", "p")
	if _, home := m.current.(*homeScreen); !home {
		t.Errorf("back from the rotation went to %q", m.current.Title())
	}
}

// A key that vanished from its store (removed by hand) is named, with the
// fact that it still works in Lattice, and the guide does not ask again
// whether access is approved: a key was accepted (walk 2 F40).
func TestAVanishedKeyIsNamedAndAccessNotAskedAgain(t *testing.T) {
	m := New(Options{Link: testLink(nil, config.NewMemory())})
	m.app.remembered.Fingerprint = "••••7f3c" // state.json's record of the key
	m.show(newHome(m.app))
	m.Update(sizeMsg(100, 30))
	m.Update(readStored(m.app.link)())
	s := strings.Join(strings.Fields(shown(m)), " ")
	if m.step != steps.GuideStart || !strings.Contains(s, "The key ••••7f3c is no longer stored on this machine") ||
		!strings.Contains(s, "It still works in Lattice until you revoke it") {
		t.Errorf("step %d:\n%s", m.step, shown(m))
	}
	if !strings.Contains(s, "API access is approved") {
		t.Errorf("access is asked about again:\n%s", shown(m))
	}
}

// Back after a jump goes to the step before it, as "Step 3 of 5" reads,
// not to the screen jumped from (walk 3 G21: 5, 3, ← showed Step 5).
func TestBackAfterAJumpGoesToTheStepBefore(t *testing.T) {
	m := sized(Options{Start: steps.Prerequisites}, 80, 24, true)
	keys(m, "5", "esc", "3")
	if m.step != steps.GenerateKey {
		t.Fatalf("3 did not jump to Generate: %v", m.step)
	}
	for _, want := range []steps.ID{steps.RequestAccess, steps.Prerequisites} {
		keys(m, "left")
		if m.step != want {
			t.Fatalf("back went to %v, want %v:\n%s", m.step, want, shown(m))
		}
	}
}
