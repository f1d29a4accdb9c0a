package steps

import "testing"

// A step added to the list without a route would silently lead back to the
// first step (the zero ID): every step must have one, leading somewhere real.
func TestEveryStepHasARouteToARealStep(t *testing.T) {
	valid := func(id ID) bool { return id == End || int(id) >= 0 && int(id) < Count() }
	for _, st := range All() {
		r, ok := routes[st.ID]
		if !ok {
			t.Errorf("step %s has no route", st.Name)
			continue
		}
		if q := r.Question; q != nil {
			if !valid(q.IfYes) || !valid(q.IfNo) {
				t.Errorf("step %s's question leads to %d / %d", st.Name, q.IfYes, q.IfNo)
			}
		} else if !valid(r.Next) || r.Next == st.ID {
			t.Errorf("step %s leads to %d", st.Name, r.Next)
		}
	}
	if len(routes) != Count() {
		t.Errorf("%d routes for %d steps", len(routes), Count())
	}
}

func TestASCIILeavesNoSymbol(t *testing.T) {
	in := "›·•…─│●○✓↓↑→←×–"
	for _, r := range ASCII(in) {
		if r > 127 {
			t.Errorf("%q is left in %q", r, ASCII(in))
		}
	}
}
