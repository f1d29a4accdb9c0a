package wizard

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// rotated is Done after a rotation from a key remembered as before.
func rotated(t *testing.T, before config.Profile, now lattice.User, opts Options) *Model {
	t.Helper()
	m := sized(opts, 100, 40, true)
	res := link.Connected{Fingerprint: "••••7f3c", Old: "demo-1111-old-key-1111", Before: before}
	res.Identity = lattice.Identity{Endpoint: m.app.link.Client.Primary, User: now}
	m.show(newDone(m.app, res))
	m.sync()
	return m
}

// After a rotation away from a key Lattice already rejected, nobody is
// asked to revoke it, and v is not offered.
func TestDoneAfterARejectedKeyAsksNoRevoke(t *testing.T) {
	owner := config.Owner{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	grace := lattice.User{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	m := rotated(t, config.Profile{Owner: owner, CheckResult: "rejected"}, grace, Options{})
	s := shown(m)
	if strings.Contains(s, "Now revoke the old key") || strings.Contains(s, "v check revocation") ||
		strings.Count(strings.Join(strings.Fields(strings.ToLower(s)), " "), "nothing left to revoke") != 1 {
		t.Errorf("a rejected old key is to be revoked:\n%s", s)
	}
	keys(m, "v")
	if d := m.current.(*doneScreen); d.revoking.running {
		t.Error("v checks a key Lattice already rejected")
	}

	m = rotated(t, config.Profile{Owner: owner, CheckResult: "valid"}, grace, Options{})
	if s := shown(m); !strings.Contains(s, "Now revoke the old key") || !strings.Contains(s, "v check revocation") {
		t.Errorf("a working old key is not to be revoked:\n%s", s)
	}
}

// A rotation to someone else's key, or to the same person's with another
// role, says so.
func TestDoneSaysWhenTheOwnerChanged(t *testing.T) {
	nia := config.Owner{Name: "Nia Member", Email: "nia@example.com"}
	bob := lattice.User{Name: "Bob Builder", Email: "bob@example.com", IsAdmin: true}
	s := shown(rotated(t, config.Profile{Owner: nia, CheckResult: "valid"}, bob, Options{}))
	if !strings.Contains(s, "the old key was Nia Member") || !strings.Contains(s, "Bob Builder") {
		t.Errorf("a new owner is not said:\n%s", s)
	}
	niaAdmin := lattice.User{Name: "Nia Member", Email: "nia@example.com", IsAdmin: true}
	if s := shown(rotated(t, config.Profile{Owner: nia, CheckResult: "valid"}, niaAdmin, Options{})); !strings.Contains(s, "who is an admin now") {
		t.Errorf("a new admin flag is not said:\n%s", s)
	}
}

// With LATTICE_API_KEY set, home and Done say that scripts get that key.
func TestTheEnvironmentKeyIsNamedForScripts(t *testing.T) {
	env := lattice.Fingerprint(latticedemo.KeyMember)
	grace := lattice.User{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	s := shown(rotated(t, config.Profile{}, grace, Options{EnvKey: env}))
	if !strings.Contains(s, "LATTICE_API_KEY is set here ("+env+")") || strings.Contains(s, "Scripts can use it now") {
		t.Errorf("Done does not say which key scripts get:\n%s", s)
	}
	home := sized(Options{EnvKey: env}, 100, 40, true)
	home.Update(storedMsg{key: latticedemo.KeyAdmin})
	if s := shown(home); !strings.Contains(s, "LATTICE_API_KEY is set here ("+env+")") {
		t.Errorf("home does not say which key scripts get:\n%s", s)
	}
}

// What the connect wrote is what the wizard remembers, not a copy patched
// by hand (which kept no owner and no date).
func TestConnectRemembersWhatLinkWrote(t *testing.T) {
	m, _ := checkSync(t, latticedemo.KeyAdmin, nil)
	p := m.app.remembered
	if p.Owner.Name != latticedemo.Grace.Name || p.CreatedAt.IsZero() || p.Fingerprint != lattice.Fingerprint(latticedemo.KeyAdmin) {
		t.Errorf("remembered %+v", p)
	}
}

// Leaving before a key is linked promises nothing that is not kept.
func TestStoppingPromisesNoPickingUp(t *testing.T) {
	m := sized(Options{Start: steps.SCIM}, 80, 24, true)
	keys(m, "q")
	if m.Result.Summary != "Stopped." {
		t.Errorf("summary %q", m.Result.Summary)
	}
}

// Walk 2 F6: at 40–46 columns the rotation's Done was wider than the window
// (its revoke heading was not wrapped), so every line of it was cut, and
// the help line had no v, the one thing the screen asks for.
func TestRotatedDoneFitsNarrowWindows(t *testing.T) {
	grace := lattice.User{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	for w := 40; w <= 47; w++ {
		m := rotated(t, config.Profile{Owner: config.Owner{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true},
			CheckResult: "valid"}, grace, Options{})
		m.Update(sizeMsg(w, 10))
		body := m.current.Body(w)
		if bw := lipgloss.Width(body); bw > w {
			t.Errorf("%d columns: the text is %d wide", w, bw)
		}
		words := strings.Join(strings.Fields(ansi.Strip(body)), " ")
		if !strings.Contains(words, "Now revoke the old key ••••1111 in Lattice") {
			t.Errorf("%d columns: the revoke heading is not whole:\n%s", w, ansi.Strip(body))
		}
		lines := strings.Split(shown(m), "\n")
		if help := lines[len(lines)-1]; !strings.Contains(help, "v check revocation") || !strings.Contains(help, "? help") {
			t.Errorf("%d columns: the help line %q has no v or no ? help", w, help)
		}
	}
}

// Walk 2 F3: the demo's Done showed the stand-in's loopback port as the
// region's host (it changes every run) and said twice that nothing was
// stored.
func TestTheDemosDoneNamesItsStandInOnce(t *testing.T) {
	_, client := standIn(t)
	demo := link.New(link.Config{Profile: "default", Client: client, Folder: config.NewMemoryFolder(), Demo: true,
		OpenStore: func() (config.Store, error) { return config.NewMemory(), nil }})
	m := sized(Options{Start: steps.Connect, Link: demo}, 100, 40, true)
	run(m, typed(m, latticedemo.KeyAdmin))
	s := shown(m)
	if !strings.Contains(s, "Connected to Lattice") {
		t.Fatalf("no Done:\n%s", s)
	}
	if strings.Contains(s, "127.0.0.1") || !strings.Contains(s, "US · the demo's stand-in for Lattice") {
		t.Errorf("the region's host:\n%s", s)
	}
	if n := strings.Count(s, "nothing was stored") + strings.Count(s, "nothing is written"); n != 1 {
		t.Errorf("said %d times that nothing was stored:\n%s", n, s)
	}
}

// Walk 2 F42: after a rotation from an admin's key to one that is not an
// admin's, Done told the user to revoke the old key, perhaps the only
// admin key, without a word of what that costs.
func TestDoneAfterLosingAdminSaysWhatRevokingCosts(t *testing.T) {
	grace := config.Owner{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	ada := lattice.User{Name: "Ada Lovelace", Email: "ada@example.com"}
	s := strings.Join(strings.Fields(shown(rotated(t, config.Profile{Owner: grace, CheckResult: "valid"}, ada, Options{}))), " ")
	if strings.Contains(s, "Now revoke the old key") || !strings.Contains(s, "once nothing needs it") ||
		!strings.Contains(s, "It is an admin's key and the new one is not") || !strings.Contains(s, "press v") {
		t.Errorf("Done:\n%s", s)
	}
	graceNow := lattice.User{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	if s := shown(rotated(t, config.Profile{Owner: grace, CheckResult: "valid"}, graceNow, Options{})); !strings.Contains(s, "Now revoke the old key") {
		t.Errorf("a rotation to the same admin's key:\n%s", s)
	}
}
