package wizard

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/steps"
)

// pasted sends what a terminal's bracketed paste of text gives Bubble Tea,
// then the keys that came with it, all at one instant: printf
// 'junk\e[201~fy' pasted (tmux 3.3 passes it through) ends the paste
// early and leaves f and y as keys.
func pasted(m *Model, text string, after ...string) {
	at := time.Unix(1_800_000_000, 0)
	m.app.now = func() time.Time { return at }
	m.Update(tea.PasteStartMsg{})
	m.Update(pasteMsg(text))
	m.Update(tea.PasteEndMsg{})
	keys(m, after...)
}

// TestAPasteNeverForgetsTheKey: no paste, nor anything that comes with it,
// forgets the key or hands it over.
func TestAPasteNeverForgetsTheKey(t *testing.T) {
	store := config.NewMemory()
	if err := store.Set("default", latticedemo.KeyAdmin); err != nil {
		t.Fatal(err)
	}
	m := sized(Options{Link: testLink(nil, store)}, 100, 30, true)
	m.Update(readStored(m.app.link)())
	h, ok := m.current.(*homeScreen)
	if !ok {
		t.Fatalf("not on home: %T", m.current)
	}
	pasted(m, "junk", "f", "y")
	if h.confirmForget || m.current != h {
		t.Errorf("keys with a paste asked to forget or left home")
	}
	if s := shown(m); !strings.Contains(s, "not taken as answers") {
		t.Errorf("the screen does not say the keys were not taken:\n%s", s)
	}
	// f typed by hand, then a paste that answers y.
	m.app.now = byHand()
	keys(m, "f")
	if !h.confirmForget {
		t.Fatal("f by hand did not ask")
	}
	pasted(m, "y", "y")
	if h.confirmForget {
		t.Error("the question is still open after a paste")
	}
	if k, _ := store.Get("default"); k != latticedemo.KeyAdmin {
		t.Fatalf("a paste forgot the key: store holds %q", k)
	}
	if s := shown(m); !strings.Contains(s, "Kept the key: a paste is not an answer") {
		t.Errorf("the screen does not say the paste answered nothing:\n%s", s)
	}
	// By hand, f then y still forgets.
	m.app.now = byHand()
	_, cmd := m.Update(press("f"))
	run(m, cmd)
	_, cmd = m.Update(press("y"))
	run(m, cmd)
	if k, _ := store.Get("default"); k != "" {
		t.Error("f, y by hand did not forget the key")
	}
}

// TestAnEnterThatComesWithAPasteChecksNothing: a paste that carries a key
// of someone else's and an enter after a fake end of paste connects nothing.
func TestAnEnterThatComesWithAPasteChecksNothing(t *testing.T) {
	m := sized(Options{Start: steps.Connect, Link: testLink(nil, nil)}, 100, 30, true)
	pasted(m, "junk")
	for _, r := range latticedemo.KeyAdmin {
		m.Update(press(string(r)))
	}
	_, cmd := m.Update(press("enter"))
	if connectOf(m).running || cmd != nil {
		t.Fatal("an enter that came with a paste started a check")
	}
	if s := shown(m); !strings.Contains(s, "press enter to check it") {
		t.Errorf("the screen does not say why:\n%s", s)
	}
	m.app.now = byHand()
	if _, cmd := m.Update(press("enter")); cmd == nil || !connectOf(m).running {
		t.Error("enter by hand did not check the key")
	}
}
