package wizard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The line printed after the wizard ends is wrapped at spaces to the
// terminal's width: the terminal broke it inside "nothing" and inside the
// address (walk 2 F2). An address stays whole, hyphens and all; a word
// wider than the terminal stays whole on its own line; nothing is lost.
func TestTheQuitLineWrapsAtSpacesToTheWidth(t *testing.T) {
	const summary = "✓ Linked Lattice as Grace Hopper <grace-hopper@example.com> (key ••••7f3c, demo: nothing was stored)"
	for _, c := range []struct {
		width int
		ascii bool
	}{{40, false}, {50, true}, {80, false}, {20, false}} {
		m := New(Options{ASCII: c.ascii})
		m.Update(sizeMsg(c.width, 24))
		m.Result.Summary = summary
		got := m.SummaryLines()
		want := toASCIIIf(c.ascii, summary)
		if strings.Join(strings.Fields(got), " ") != want {
			t.Errorf("%d columns: words lost or changed:\n%s", c.width, got)
		}
		lines := strings.Split(got, "\n")
		if len(lines) < 2 && ansi.StringWidth(want) > c.width {
			t.Errorf("%d columns: not wrapped: %q", c.width, got)
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w >= c.width && l != "<grace-hopper@example.com>" { // the last column stays free
				t.Errorf("%d columns: %q is %d wide", c.width, l, w)
			}
		}
		if !strings.Contains(got, "<grace-hopper@example.com>") {
			t.Errorf("%d columns: the address is broken:\n%s", c.width, got)
		}
	}
	m := New(Options{})
	m.Result.Summary = summary
	if got := m.SummaryLines(); got != summary { // no size known: as it is
		t.Errorf("no width: %q", got)
	}
}
