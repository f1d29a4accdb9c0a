package plain

import (
	"context"
	"strings"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// connect reads the key without echo, checks it and stores it.
func (f *face) connect() (steps.ID, error) {
	if f.stored != "" {
		f.say("%s", f.replacing())
	}
	for _, k := range f.DemoKeys {
		f.say("  demo key %s: %s", k.Key, k.What) // What has parentheses of its own
	}
	prompt := "Paste the key (it will not be shown) and press enter: "
	for tried := false; ; {
		raw, err := f.ReadSecret(f.prompt(prompt))
		if err != nil {
			return 0, errQuit
		}
		if strings.TrimSpace(raw) == "q" || tried && strings.TrimSpace(raw) == "" {
			return 0, errQuit
		}
		key, warn, err := lattice.NormalizeKey(raw)
		if err != nil {
			f.say("%s", err.Error())
			continue
		}
		f.say("Received %s, ending %s.", link.Plural(len([]rune(key)), "character"), strings.TrimPrefix(lattice.Fingerprint(key), "••••"))
		if warn {
			f.say("The key has characters Lattice keys do not usually have; checking it anyway.")
		}
		ok, err := f.check(key)
		if err != nil || ok {
			return steps.End, err
		}
		// Straight back at the prompt that does not show what is typed: the
		// advice just given ("paste it here") is true only there, and a
		// numbered menu's prompt would put the next key on screen.
		tried = true
		prompt = "Paste a key (it will not be shown), or press enter to stop: "
	}
}

// scriptsLine says which key scripts get now.
func (f *face) scriptsLine() string {
	if f.EnvKey {
		return "LATTICE_API_KEY is set here, so lattice-link status and token use that key, not this one, until it is unset."
	}
	return "Scripts can use it now: lattice-link status checks it, lattice-link token prints it."
}

// replacing says what a key given now does to the one stored.
func (f *face) replacing() string {
	fp := lattice.Fingerprint(f.stored)
	switch {
	case f.Nango != nil && f.Keep:
		return "The new key goes to the app once Lattice accepts it, and replaces " + fp + " here (--keep). Then revoke " + fp + " in Lattice."
	case f.Nango != nil:
		return "The new key goes to the app once Lattice accepts it; " + fp + " stays stored here as it is."
	}
	return "Rotation: the new key is checked with Lattice while " + fp + " stays stored; only a key Lattice accepts replaces it " +
		"(another person's key, or one no longer an admin's, only once you say yes). Then revoke " + fp + " in Lattice."
}

// check connects key; ok is false when it was not stored.
func (f *face) check(key string) (ok bool, err error) {
	if f.Nango != nil {
		return f.handOff(key, link.Typed)
	}
	if f.prof.CheckSCIM {
		f.say("Checking the key with Lattice (%s), then whether SCIM takes it...", f.l.Client.Primary.Region.Label())
	} else {
		f.say("Checking with Lattice (%s)...", f.l.Client.Primary.Region.Label())
	}
	ctx := link.WithStageHook(f.withWaitLines(context.Background()), func(s link.Stage) {
		if s == link.StageSCIM {
			f.say("%s...", s) // its SCIM API can keep the check waiting 10 s
		}
	})
	res, err := f.l.Connect(ctx, key, f.stored, f.prof.CheckSCIM)
	if p, held := link.AsPending(err); held {
		yes, aerr := f.confirmRotation(p)
		if aerr != nil || !yes {
			return false, aerr
		}
		res, err = f.l.Confirm(ctx, p, key, f.stored)
	}
	if err != nil {
		f.say("%s", f.l.Explain(err, link.Typed, false))
		if lattice.KindOf(err) != 0 {
			f.say("Nothing was stored.")
		}
		return false, nil
	}
	if res.StateErr != nil {
		f.say("Note: %s", sanitize.Line(res.StateErr.Error(), 300))
	}
	f.stored = key
	f.res.Connected = true
	f.done()
	f.say("")
	if res.Rotated() {
		f.say("Rotated: the new key is stored.") // the wizard's words for it
	} else {
		f.say("Connected to Lattice.")
	}
	f.facts(res.Facts()) // say writes the fingerprint's dots as asterisks
	if res.Rotated() {
		return true, f.afterRotation(res)
	}
	if f.l.Demo { // the Stored in row says that nothing was stored
		f.say("After a real connect (lattice-link without --demo), lattice-link status checks the key and lattice-link token prints it.")
	} else {
		f.say("%s", f.scriptsLine())
	}
	return true, nil
}

// confirmRotation asks before a new key that is another person's, or no
// longer an admin's, replaces the stored one: nothing is stored until yes,
// and No, the default, keeps the old key.
func (f *face) confirmRotation(p link.Pending) (yes bool, err error) {
	f.say("%s", p.Headline())
	for _, fact := range p.Facts(false) {
		f.say("  %-7s %s", fact.Label, fact.Value)
	}
	i, err := f.choose(p.Question(), []string{"No, keep " + p.OldPrint, "Yes, replace it with " + p.Fingerprint}, 0)
	if err != nil {
		return false, err
	}
	if i == 0 {
		f.say("%s", p.KeptWords())
	}
	return i == 1, nil
}

// afterRotation asks the user to revoke the old key and checks that Lattice
// now rejects it; when Lattice already rejected it, there is nothing left
// to revoke.
func (f *face) afterRotation(res link.Connected) error {
	old := lattice.Fingerprint(res.Old)
	f.say("")
	f.say("%s", res.RevokeWords(old))
	if res.OldRejected() {
		return nil
	}
	for {
		i, err := f.choose("Check that Lattice rejects the old key?", []string{"Yes, check it now", "No, I am done"}, 0)
		if err != nil || i == 1 {
			// Leaving before Lattice confirmed it: the reminder is the last word.
			f.say("Remember: the old key %s works until you revoke it in Lattice (%s).", old, link.KeysPage)
			return nil // the rotation is done; only the check was left
		}
		f.say("Checking the old key with Lattice...")
		revoked, err := f.l.CheckRevoked(context.Background(), res.Old, res.Identity.Endpoint)
		switch {
		case err != nil:
			f.say("Could not check: %s", f.l.Explain(err, link.Stored, false))
		case revoked:
			f.say("Lattice now rejects the old key %s: the rotation is complete.", old)
			return nil
		default:
			f.say("The old key %s still works. Revoke it in Lattice, then check again.", old)
		}
	}
}
