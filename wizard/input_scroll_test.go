package wizard

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/lattice-link/lattice-link/steps"
)

// lineWith is the first line on screen that holds text.
func lineWith(m *Model, text string) string {
	for _, l := range strings.Split(shown(m), "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}

// Typing past a field's width scrolls it: the end of what is typed stays
// in sight, at every size and after a resize (walk 3 G25: it showed the
// start and hid the end and the cursor behind "…"). A field left shows its
// answer from the start again, cut with a mark.
func TestTypingPastAFieldsWidthKeepsTheEndInSight(t *testing.T) {
	answer := strings.Repeat("We want to sync review cycles and goals. ", 3) + "END"
	for _, size := range [][2]int{{40, 10}, {50, 16}, {80, 24}} {
		m := sized(Options{Start: steps.RequestAccess}, size[0], size[1], true)
		keys(m, "tab", "tab", "tab") // Use case
		for _, r := range answer {
			if r == ' ' {
				keys(m, "space")
			} else {
				keys(m, string(r))
			}
		}
		if l := lineWith(m, "Use case"); !strings.Contains(l, "END") || strings.Contains(l, "…") {
			t.Errorf("%dx%d: the Use case field hides the end of what is typed: %q", size[0], size[1], l)
		}
		m.Update(sizeMsg(45, size[1])) // narrower while typing: it scrolls again
		if l := lineWith(m, "Use case"); !strings.Contains(l, "END") {
			t.Errorf("%dx%d then 45 wide: the end is hidden: %q", size[0], size[1], l)
		}
		requireFits(t, m, 45, size[1])
		if size[1] >= 22 { // a tall window shows the fields not typed in
			keys(m, "esc")
			if l := lineWith(m, "Use case"); !strings.Contains(l, "We want") || !strings.Contains(l, "…") {
				t.Errorf("%dx%d: the field left does not show its start, cut: %q", size[0], size[1], l)
			}
		}
	}
}

func TestPastingALongAddressKeepsItsEndInSight(t *testing.T) {
	for _, w := range []int{40, 50} {
		m := sized(Options{Start: steps.GenerateKey}, w, 10, true)
		keys(m, "e")
		m.Update(pasteMsg("https://acme.latticehq.com/admin/settings/api-keys"))
		if l := lineWith(m, "api-keys"); l == "" || strings.Contains(l, "…") {
			t.Errorf("%d wide: the end of the address is hidden:\n%s", w, shown(m))
		}
		requireFits(t, m, w, 10)
	}
}

// esc after a refused edit leaves the address as it was set before (walk 3
// G5: it showed "not set", and o opened the article instead of its page).
func TestEscAfterARefusedEditKeepsTheAddressSetBefore(t *testing.T) {
	m := sized(Options{Start: steps.GenerateKey}, 40, 10, true)
	keys(m, "e")
	m.Update(pasteMsg("https://acme.latticehq.com/admin/settings"))
	keys(m, "enter", "e")
	m.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	m.Update(pasteMsg("https://acme.lattice.com"))
	keys(m, "enter")
	if !strings.Contains(flatShown(m), "not on latticehq.com") {
		t.Fatalf("the edit was not refused:\n%s", shown(m))
	}
	keys(m, "esc")
	g := m.guide[steps.GenerateKey].(*generateScreen)
	if s := shown(m); !strings.Contains(s, "https://acme.latticehq.com") || strings.Contains(s, "not set") ||
		g.link() != steps.KeysPageURL("acme") {
		t.Errorf("esc did not keep the address set before (o opens %s):\n%s", g.link(), s)
	}
}
