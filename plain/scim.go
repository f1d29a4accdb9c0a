package plain

import (
	"github.com/lattice-link/lattice-link/steps"
)

func (f *face) scim() (steps.ID, error) {
	def := 1
	if f.prof.CheckSCIM {
		def = 0
	}
	i, err := f.choose("Check SCIM too when you connect?", []string{"Yes, check SCIM", "No"}, def)
	if err != nil {
		return 0, err
	}
	f.note(f.l.SaveCheckSCIM(i == 0))
	return steps.Next(steps.SCIM), nil
}
