package wizard

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
)

// homeAfterRotation is home with ••••a1b2 stored, which replaced ••••7f3c in
// a run that ended without Lattice confirming ••••7f3c revoked.
func homeAfterRotation(t *testing.T, w, h int) *Model {
	t.Helper()
	m := homeAt(t, latticedemo.KeyRotated, w, h)
	st, err := m.app.link.Folder.Update("default", func(p *config.Profile) {
		p.Fingerprint = "••••a1b2"
		p.Rotations = []config.Rotation{{From: "••••7f3c", To: "••••a1b2"}}
	})
	if err != nil {
		t.Fatal(err)
	}
	m.app.remembered = *st.Profile("default")
	m.redraw()
	m.sync()
	return m
}

// After a rotation quit without Done's v, home's reminder to revoke the old
// key could never be cleared (walk 2 F8): v now asks for the user's word,
// any other key keeps the reminder, and y writes it (state.json), so the
// Revoke row and v are gone, here and in later runs.
func TestHomeTakesTheUsersWordThatTheOldKeyIsRevoked(t *testing.T) {
	m := homeAfterRotation(t, 80, 24)
	if s := flatShown(m); !strings.Contains(s, "Revoke the replaced key ••••7f3c") || !strings.Contains(s, "then press v") ||
		!strings.Contains(lastLine(m), "v revoked it") {
		t.Fatalf("the reminder does not say how to clear it:\n%s", shown(m))
	}
	keys(m, "v")
	if s := flatShown(m); !strings.Contains(s, "Did you revoke ••••7f3c in Lattice") || !strings.Contains(lastLine(m), "y revoked") {
		t.Fatalf("v does not ask:\n%s", shown(m))
	}
	keys(m, "n") // not yet
	if s := flatShown(m); !strings.Contains(s, "The reminder stays") || !strings.Contains(s, "Revoke the replaced key ••••7f3c") {
		t.Errorf("another key than y cleared the reminder:\n%s", shown(m))
	}
	keys(m, "v")
	_, cmd := m.Update(press("y"))
	run(m, cmd)
	s := flatShown(m)
	if strings.Contains(s, "Revoke the replaced key") || strings.Contains(lastLine(m), "v revoked it") ||
		!strings.Contains(s, "Noted: ••••7f3c is revoked") {
		t.Errorf("the reminder stays after y:\n%s", shown(m))
	}
	if p, _, _ := m.app.link.Remembered(); len(link.Unrevoked(p)) != 0 {
		t.Errorf("state.json still lists %v to revoke", link.Unrevoked(p))
	}
	keys(m, "v") // nothing left to ask about
	if strings.Contains(flatShown(m), "Did you revoke") {
		t.Errorf("v asks with nothing to revoke:\n%s", shown(m))
	}
}

// At 40×10 the question keeps its yes, "other keys" and ? help on the help
// line.
func TestTheRevokedQuestionFitsFortyColumns(t *testing.T) {
	m := homeAfterRotation(t, 40, 10)
	keys(m, "v")
	requireFits(t, m, 40, 10)
	requireFrame(t, m)
	if l := lastLine(m); !strings.Contains(l, "y revoked") || !strings.Contains(l, "other keys not yet") {
		t.Errorf("the question's help line: %q", l)
	}
}

// ? on a question opens the help (it was taken as "keep it", and the
// frames had no ? help: walk 2 F37); closing the help, the question is
// still asked, and its yes still works.
func TestQuestionsOnHomeOpenTheHelp(t *testing.T) {
	for _, c := range []struct{ ask, yes, asked string }{
		{"f", "y", "Forget the stored key"},
		{"v", "y", "Did you revoke"},
	} {
		m := homeAfterRotation(t, 80, 24)
		keys(m, c.ask)
		if l := lastLine(m); !strings.Contains(l, "? help") {
			t.Errorf("%s: the question's help line has no ? help: %q", c.ask, l)
		}
		keys(m, "?")
		if !m.showHelp {
			t.Fatalf("%s: ? did not open the help:\n%s", c.ask, shown(m))
		}
		keys(m, "esc")
		if s := flatShown(m); m.showHelp || !strings.Contains(s, c.asked) || strings.Contains(s, "Kept the key") ||
			strings.Contains(s, "The reminder stays") {
			t.Fatalf("%s: after the help the question is gone:\n%s", c.ask, shown(m))
		}
		_, cmd := m.Update(press(c.yes))
		run(m, cmd)
		switch s := flatShown(m); {
		case c.ask == "f" && !strings.Contains(s, "Forgot the key ••••a1b2"):
			t.Errorf("f: y after the help did not forget:\n%s", shown(m))
		case c.ask == "v" && !strings.Contains(s, "Noted: ••••7f3c is revoked"):
			t.Errorf("v: y after the help was not taken:\n%s", shown(m))
		}
	}
}
