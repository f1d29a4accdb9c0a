package wizard

import (
	"context"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// Forget's note, where to revoke the key, is whole at 40×10 and stays
// after the next key (walk 3 G3: it was cut after "in Lattice" and gone at
// the first key).
func TestTheForgetNoteIsWholeAndStays(t *testing.T) {
	m := homeAt(t, latticedemo.KeyAdmin, 40, 10)
	keys(m, "f")
	_, cmd := m.Update(press("y"))
	run(m, cmd)
	for _, after := range []string{"", "j"} {
		if after != "" {
			keys(m, after)
		}
		if s := flatShown(m); !strings.Contains(s, "Forgot the key ••••7f3c") || !strings.Contains(s, "Platform › API keys).") {
			t.Errorf("after %q the note is cut or gone:\n%s", after, shown(m))
		}
		requireFits(t, m, 40, 10)
	}
}

// With a key seen this run, the guide's first step says access is approved
// and does not ask it (walk 3 G20): no y/n, and enter goes where yes did.
func TestTheGuideWithAKeyDoesNotAskWhatItStates(t *testing.T) {
	m := homeAt(t, latticedemo.KeyAdmin, 80, 24)
	keys(m, "g")
	if m.step != steps.Prerequisites || !m.onGuide {
		t.Fatalf("g did not open the guide: %T\n%s", m.current, shown(m))
	}
	if s := shown(m); !strings.Contains(s, "API access is approved") || strings.Contains(s, "Yes, approved") ||
		strings.Contains(s, "n not yet") {
		t.Errorf("the guide asks what it states:\n%s", s)
	}
	keys(m, "enter")
	if m.step != steps.GenerateKey {
		t.Errorf("enter went to %v, not Generate:\n%s", m.step, shown(m))
	}
}

// After a forget the guide's first step is shown, and what link wrote
// stays: access is approved, so the next run picks up at Generate (walk 3
// G24). The wizard's own save of the first step overwrote it.
func TestAfterForgetTheNextRunKnowsAccessIsApproved(t *testing.T) {
	_, client := standIn(t)
	l := testLink(client, nil)
	if _, err := l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	m := sized(Options{Link: l}, 80, 24, true)
	m.Update(readStored(l)())
	keys(m, "f")
	_, cmd := m.Update(press("y"))
	run(m, cmd)
	if m.step != steps.GuideStart || !m.onGuide {
		t.Fatalf("forget did not lead to the guide: %T\n%s", m.current, shown(m))
	}
	p, _, err := l.Remembered()
	if pr, ok := link.Resume(p); err != nil || !ok || pr.Step != steps.GenerateKey || !pr.Approved {
		t.Errorf("the next run picks up at %+v (ok %v, %v), want Generate with access approved", pr, ok, err)
	}
}
