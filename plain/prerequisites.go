package plain

import (
	"fmt"

	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

func (f *face) prerequisites() (steps.ID, error) {
	q := steps.RouteOf(steps.Prerequisites).Question
	ask := q.Ask
	if at := f.prof.AccessRequestedAt; !at.IsZero() {
		ask = fmt.Sprintf(q.AskAgain, link.Ago(at))
	}
	i, err := f.choose(ask, []string{q.Yes + ": go to " + steps.Get(q.IfYes).Title,
		q.No + ": go to " + steps.Get(q.IfNo).Title}, 1)
	if i == 0 {
		f.approved = true
		return q.IfYes, err
	}
	return q.IfNo, err
}
