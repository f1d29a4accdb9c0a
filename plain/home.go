package plain

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// home is the re-run with a key stored.
func (f *face) home() error {
	f.atHome = true
	f.track()
	f.say("")
	f.say("A Lattice key is stored on this machine (profile %s).", f.l.Profile)
	f.say("  Key      %s", lattice.Fingerprint(f.stored))
	if o := f.prof.Owner; o.Name != "" || o.Email != "" {
		f.say("  Owner    %s", link.Owner(o.Name, o.Email))
	}
	f.say("  Stored   in %s", f.l.Where())
	for _, old := range link.Unrevoked(f.prof) {
		f.say("  Revoke   %s, which a rotation replaced: Lattice did not confirm it revoked. Revoke it in %s, then say so below.",
			old, link.KeysPage)
	}
	if days, due := f.l.Age(f.prof.CreatedAt, time.Now()); due {
		f.say("  Age      %s: Lattice keys never expire, so rotate them on a schedule.", link.Plural(days, "day"))
	}
	for {
		f.say("Checking it with Lattice...")
		s := f.l.CheckStatus(context.Background(), f.stored, false, false)
		rejected := lattice.KindOf(s.Err) == lattice.Rejected
		opts, def := f.homeOptions(rejected)
		switch {
		case s.Valid():
			f.say("  Status   valid: Lattice accepted it at %s.", s.CheckedAt.Local().Format("15:04:05"))
		case rejected:
			f.say("  Status   Lattice rejected it at %s: it no longer works (revoked or expired). Replace it with a new one (choice %d).",
				s.CheckedAt.Local().Format("15:04:05"), def+1)
		default:
			f.say("  Status   could not check: %s", f.l.Explain(s.Err, link.Stored, false))
		}
		done, err := f.menu("What now?", opts, def)
		if done || err != nil {
			return err
		}
	}
}

// homeOptions are the home screen's actions, each named for what it does,
// and only those that can work: a key Lattice rejects is not offered to an
// app. With a Connect link, a new key goes to the app (and replaces the
// stored one only with --keep); without one, a new key replaces the stored
// one, a rotation.
func (f *face) homeOptions(rejected bool) (opts []option, def int) {
	fp := lattice.Fingerprint(f.stored)
	newKey := option{"Rotate: replace " + fp + " with a new key (checked first; then revoke the old one)", f.rotate}
	if rejected { // nothing to revoke
		newKey.label = "Replace " + fp + " with a new key (checked with Lattice first)"
	}
	if f.Nango != nil {
		if !rejected {
			opts = append(opts, option{"Hand the stored key " + fp + " to the app of the Connect link (it stays stored here)", func() (bool, error) {
				ok, err := f.handOff(f.stored, link.Stored)
				return ok || err != nil, err
			}})
		}
		newKey.label = "Hand the app a new key instead; " + fp + " stays stored here as it is"
		if f.Keep {
			newKey.label = "Hand the app a new key and store it here in place of " + fp + " (--keep: a rotation)"
		}
	}
	def = len(opts) // a new key for a rejected one; else Quit
	opts = append(opts, newKey,
		option{"Check it again", func() (bool, error) { return false, nil }},
		option{"Walk the guide", func() (bool, error) { return true, f.guide(steps.GuideStart) }},
		option{"Forget the key " + fp, func() (bool, error) { return f.forget(rejected) }})
	if old := link.Unrevoked(f.prof); len(old) > 0 { // last but Quit: the other choices keep their numbers
		opts = append(opts, option{"I revoked " + strings.Join(old, " and ") + " in Lattice: stop reminding me " +
			"(lattice-link cannot ask Lattice: it no longer holds that key)", func() (bool, error) { f.saidRevoked(old); return false, nil }})
	}
	opts = append(opts, option{"Quit", func() (bool, error) { return true, nil }})
	// Handing the key over is an explicit choice, never a bare enter.
	if !rejected {
		def = len(opts) - 1
	}
	return opts, def
}

func (f *face) rotate() (bool, error) { return true, f.guide(steps.RotateAt) }

// saidRevoked records the user's word that the keys rotations replaced are
// revoked in Lattice (link.SaidRevoked), as the wizard's v does; the menu
// then offers it no more.
func (f *face) saidRevoked(keys []string) {
	p, err := f.l.SaidRevoked(keys)
	if err != nil {
		f.say("Could not remember that: %s", sanitize.Line(err.Error(), 200))
		return
	}
	f.prof = p
	f.say("Noted: %s is revoked. lattice-link and its status no longer remind you of it.", strings.Join(keys, " and "))
}

// forget asks first, as the wizard does: the key still works in Lattice
// until it is revoked there.
func (f *face) forget(rejected bool) (bool, error) {
	fp := lattice.Fingerprint(f.stored)
	i, err := f.choose(fmt.Sprintf("Forget the key %s on this machine? It keeps working in Lattice until you revoke it there.", fp),
		[]string{"Yes, forget it", "No, keep it"}, 1)
	if err != nil || i == 1 {
		return false, err
	}
	res, err := f.l.Forget(f.stored)
	if err != nil {
		f.say("Could not forget the key: %s", f.l.Explain(err, link.Stored, false))
		return false, nil
	}
	f.stored = ""
	if rejected {
		f.say("Forgot the key %s, which Lattice no longer accepted.", res.Fingerprint)
	} else {
		f.say("Forgot the key %s. It still works until you revoke it in Lattice: %s.", res.Fingerprint, link.KeysPage)
	}
	if w := link.UnrevokedWords(res.Before); w != "" {
		f.say("%s", w)
	}
	return true, nil
}
