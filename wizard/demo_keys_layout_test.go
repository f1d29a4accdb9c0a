package wizard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// TestDemoKeysTakeAColumnOnlyWhenItFits: the descriptions stand in a
// column beside the keys when the widest key, the gap and 24 cells of
// description fit in the text's width, and go under their keys from one
// cell less; either way no line passes the width and, under the keys, no
// description is cut.
func TestDemoKeysTakeAColumnOnlyWhenItFits(t *testing.T) {
	const widestKey = "demo-much-longer-key"
	keys := []link.DemoKey{{Key: "demo-short", What: "first"},
		{Key: widestKey, What: "second, which says rather more than the first one does"}}
	m := sized(Options{Start: steps.Connect, DemoKeys: keys}, 80, 24, true)
	s := connectOf(m)
	fits := len(widestKey) + 4 + 24 + 4 // the keys' indent and gap, 24 cells, the text's margin

	column := demoLines(s.demoKeys(fits))
	if !lineWithAll(column, "demo-short", "first") {
		t.Errorf("at %d cells the descriptions are not beside their keys:\n%s", fits, strings.Join(column, "\n"))
	}
	stacked := demoLines(s.demoKeys(fits - 1))
	if lineWithAll(stacked, "demo-short", "first") {
		t.Errorf("at %d cells a description is beside its key:\n%s", fits-1, strings.Join(stacked, "\n"))
	}
	for _, width := range []int{30, 40, fits - 1, fits} {
		out := demoLines(s.demoKeys(width))
		text := strings.Join(out, "\n")
		for _, l := range out {
			if ansi.StringWidth(l) > width-2 {
				t.Errorf("at %d cells a line is %d wide: %q", width, ansi.StringWidth(l), l)
			}
		}
		if width == fits {
			continue // in the column a description longer than 24 cells is cut, with "…"
		}
		if strings.Contains(text, "…") || !strings.Contains(strings.Join(strings.Fields(text), " "), keys[1].What) {
			t.Errorf("at %d cells a description is cut:\n%s", width, text)
		}
	}
}

func demoLines(s string) []string { return strings.Split(ansi.Strip(s), "\n") }

func lineWithAll(lines []string, parts ...string) bool {
	for _, l := range lines {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return true
		}
	}
	return false
}
