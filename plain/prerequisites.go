package plain

import (
	"fmt"

	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

func (f *face) prerequisites() (steps.ID, error) {
	q := steps.RouteOf(steps.Prerequisites).Question
	ask, def := q.Ask, 1
	switch {
	case f.stored != "" || f.res.Connected:
		// Asking as if the request were new would ignore what is known.
		ask, def = "Lattice has accepted a key for this profile, so API access is approved. Go on to "+
			steps.Get(q.IfYes).Title+"?", 0
	case !f.prof.AccessRequestedAt.IsZero():
		ask = fmt.Sprintf(q.AskAgain, link.Ago(f.prof.AccessRequestedAt))
	}
	i, err := f.choose(ask, []string{q.Yes + ": go to " + steps.Get(q.IfYes).Title,
		q.No + ": go to " + steps.Get(q.IfNo).Title}, def)
	if i == 0 {
		f.approved = true
		return q.IfYes, err
	}
	return q.IfNo, err
}
