package plain

import (
	"context"
	"time"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// home is the re-run with a key stored.
func (f *face) home() error {
	f.say("")
	f.say("A Lattice key is stored on this machine (profile %s).", f.l.Profile)
	f.say("  Key      %s", lattice.FingerprintASCII(f.stored))
	if o := f.prof.Owner; o.Name != "" || o.Email != "" {
		f.say("  Owner    %s", link.Owner(o.Name, o.Email))
	}
	f.say("  Stored   in %s", f.l.Where())
	if days, due := f.l.Age(f.prof.CreatedAt, time.Now()); due {
		f.say("  Age      %s: Lattice keys never expire, so rotate them on a schedule.", link.Plural(days, "day"))
	}
	for {
		f.say("Checking it with Lattice...")
		s := f.l.CheckStatus(context.Background(), f.stored, false, false)
		rejected := lattice.KindOf(s.Err) == lattice.Rejected
		switch {
		case s.Valid():
			f.say("  Status   valid: Lattice accepted it just now.")
		case rejected:
			f.say("  Status   This key no longer works (revoked or expired): replace it with a new one (choice 1).")
		default:
			f.say("  Status   could not check: %s", f.l.Explain(s.Err, link.Stored, false))
		}
		choices, def := []string{"Rotate: replace the key with a new one", "Check it again",
			"Walk the guide", "Forget the key", "Quit"}, 4
		if f.Nango != nil {
			choices, def = append([]string{"Hand this key to the app of the Nango Connect link"}, choices...), 0
		}
		i, err := f.choose("What now?", choices, def)
		if err != nil {
			return err
		}
		if f.Nango != nil {
			if i == 0 {
				if ok, err := f.handOff(f.stored, link.Stored); ok || err != nil {
					return err
				}
				continue
			}
			i--
		}
		switch i {
		case 0:
			return f.guide(steps.RotateAt)
		case 2:
			return f.guide(steps.GuideStart)
		case 3:
			res, err := f.l.Forget(f.stored)
			if err != nil {
				f.say("Could not forget the key: %s", f.l.Explain(err, link.Stored, false))
				continue
			}
			if rejected {
				f.say("Forgot the key %s, which Lattice no longer accepted.", ascii(res.Fingerprint))
			} else {
				f.say("Forgot the key %s. It still works until you revoke it in Lattice: %s.", ascii(res.Fingerprint), link.KeysPage)
			}
			return nil
		case 4:
			return nil
		}
	}
}
