package wizard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
	"github.com/lattice-link/lattice-link/steps"
)

// Findings of the walk of the built binary about the wizard's screens.

// homeAt is the home screen with key stored, in a w×h window.
func homeAt(t *testing.T, key string, w, h int) *Model {
	t.Helper()
	_, client := standIn(t)
	store := config.NewMemory()
	if err := store.Set("default", key); err != nil {
		t.Fatal(err)
	}
	m := sized(Options{Link: testLink(client, store)}, w, h, true)
	m.Update(readStored(m.app.link)())
	if _, ok := m.current.(*homeScreen); !ok {
		t.Fatalf("not on home: %T", m.current)
	}
	return m
}

// A rotation started by mistake shows its way back at 50×16 (walk F8):
// after esc the help line had only enter, help and quit.
func TestRotationShowsTheWayBack(t *testing.T) {
	m := homeAt(t, latticedemo.KeyAdmin, 50, 16)
	keys(m, "r", "esc")
	if line := ansi.Strip(m.shortHelpView()); !strings.Contains(line, "←/p back") {
		t.Errorf("the rotation's help line has no way back: %q", line)
	}
	keys(m, "p")
	if _, home := m.current.(*homeScreen); !home {
		t.Errorf("p did not go back home: %T", m.current)
	}
}

// The enter after a pasted Connect link does not say again what the note
// under the input says already (walk F6: "Now paste your Lattice key" twice).
func TestEnterAfterALinkSaysItOnce(t *testing.T) {
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	m := sized(Options{Start: steps.Connect, NangoURL: ns.URL}, 80, 24, true)
	_, cmd := m.Update(pasteMsg(ns.Link(ns.NewSession())))
	run(m, cmd)
	m.Update(press("enter"))
	if n := strings.Count(shown(m), "Now paste your Lattice key"); n != 1 {
		t.Errorf("said %d times, want once:\n%s", n, shown(m))
	}
}

// A rotation to someone else's key says so under its own label, not under a
// second "Owner" (walk F17).
func TestDoneHasOneOwnerRow(t *testing.T) {
	grace := config.Owner{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	ada := lattice.User{Name: "Ada Lovelace", Email: "ada@example.com"}
	s := shown(rotated(t, config.Profile{Owner: grace, CheckResult: "valid"}, ada, Options{}))
	owners := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "Owner ") {
			owners++
		}
	}
	if owners != 1 || !strings.Contains(s, "Changed     the old key was Grace Hopper") {
		t.Errorf("%d Owner rows, or the change is not labelled Changed:\n%s", owners, s)
	}
}

// After a rotation Lattice never confirmed, home still reminds to revoke
// the replaced key (walk F3); once confirmed, it does not.
func TestHomeRemindsToRevokeTheReplacedKey(t *testing.T) {
	m := homeAt(t, latticedemo.KeyRotated, 80, 24)
	for _, revoked := range []bool{false, true} {
		m.app.remembered.Rotations = []config.Rotation{{From: "••••7f3c", To: "••••a1b2", Revoked: revoked}}
		m.redraw()
		m.sync()
		s := flatShown(m)
		if says := strings.Contains(s, "Revoke the replaced key ••••7f3c"); says == revoked {
			t.Errorf("revoked %v: the reminder is shown %v:\n%s", revoked, says, shown(m))
		}
	}
}

// flatShown is the screen as one line of words.
func flatShown(m *Model) string { return strings.Join(strings.Fields(shown(m)), " ") }

// A row whose value has a word too wide even for the whole width (a long
// path, cut either way) keeps the value column, as the other rows do
// (walk F9: at 50×16 "Stored" stood alone above an indented block).
func TestARowWithALongPathKeepsItsColumn(t *testing.T) {
	st := homeAt(t, latticedemo.KeyAdmin, 50, 16).app.styles
	path := "/tmp/walk/run.jxrZ/cfg/lattice-link/credentials.json"
	lines := strings.Split(ansi.Strip(row(st, "Stored", "just now, in "+path+" (mode 0600)", 46)), "\n")
	if !strings.HasPrefix(lines[0], "Stored") || !strings.Contains(lines[0], "just now") {
		t.Errorf("the value left its column:\n%s", strings.Join(lines, "\n"))
	}
	short := strings.Split(ansi.Strip(row(st, "Stored", "in /home/u/.config/lattice-link/creds.json", 46)), "\n")
	if len(short) < 2 || strings.TrimSpace(short[0]) != "Stored" {
		t.Errorf("a path that fits the width under the label is not given it:\n%s", strings.Join(short, "\n"))
	}
}

// Done's example shell lines are whole or absent: at 40 columns the curl
// line was cut with "…" inside the command, so it could not be copied
// (walk F10); at 100 they are there.
func TestDoneShowsTheExampleWholeOrNotAtAll(t *testing.T) {
	grace := lattice.User{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}
	m := rotated(t, config.Profile{}, grace, Options{})
	for _, w := range []int{40, 100} {
		body := ansi.Strip(m.current.Body(w))
		for _, l := range strings.Split(body, "\n") {
			if (strings.Contains(l, "curl") || strings.Contains(l, "key=$(")) && strings.Contains(l, "…") {
				t.Errorf("at %d columns a shell line is cut: %q", w, l)
			}
		}
		if has := strings.Contains(body, `curl -H "Authorization: Bearer $key" \`); has != (w == 100) {
			t.Errorf("at %d columns the example is shown %v", w, has)
		}
	}
}

// Done's note that the key belongs to the other region keeps to the value
// column of the table (walk F19: a loose line across it, without a label).
func TestDoneRegionNoteKeepsToTheTable(t *testing.T) {
	m := sized(Options{}, 80, 24, true)
	res := link.Connected{Fingerprint: "••••2a3b"}
	res.Identity = lattice.Identity{Endpoint: m.app.link.Client.Primary, SwitchedRegion: true,
		User: lattice.User{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true}}
	m.show(newDone(m.app, res))
	m.sync()
	for _, l := range strings.Split(shown(m), "\n") {
		if strings.Contains(l, "This key belongs to the") && !strings.HasPrefix(l, strings.Repeat(" ", 2+labelWidth)) {
			t.Errorf("the region note is not in the value column: %q", l)
		}
	}
	if !strings.Contains(shown(m), "This key belongs to the") {
		t.Errorf("no region note:\n%s", shown(m))
	}
}

// Forgetting the stored key after an unconfirmed rotation still names the
// key that rotation replaced (walk F3: it was lost from every screen).
func TestForgetNamesTheUnrevokedKey(t *testing.T) {
	m := homeAt(t, latticedemo.KeyRotated, 80, 24)
	if _, err := m.app.link.Folder.Update("default", func(p *config.Profile) {
		p.Fingerprint = "••••a1b2"
		p.Rotations = []config.Rotation{{From: "••••7f3c", To: "••••a1b2"}}
	}); err != nil {
		t.Fatal(err)
	}
	keys(m, "f")
	_, cmd := m.Update(press("y"))
	run(m, cmd)
	if s := flatShown(m); !strings.Contains(s, "Forgot the key ••••a1b2") || !strings.Contains(s, "••••7f3c, may still work") {
		t.Errorf("forget does not name the replaced key:\n%s", shown(m))
	}
}
