package plain

import (
	"context"
	"errors"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
)

// session reads the Connect link before anything else, so an expired or
// foreign link is reported before a key is asked for, and says who the key
// will go to. A Nango host the user did not name is approved first, and
// among several Lattice integrations the user picks one.
func (f *face) session() error {
	if f.NangoDemo != "" {
		f.say("DEMO: a stand-in for Nango runs here too. Demo Connect link: %s", f.NangoDemo)
	}
	if f.Nango.InProcessList() {
		f.say("Note: %s", link.InProcessListNote)
	}
	if f.Nango.NeedsApproval() {
		if err := f.approveHost(); err != nil || f.noApp {
			return err
		}
	}
	f.say("Reading the Connect link (%s)...", f.Nango.Link())
	t, err := f.Nango.Lookup(context.Background())
	var ne *nango.Error
	if errors.As(err, &ne) && ne.Kind == nango.SeveralIntegrations {
		if err := f.pickIntegration(ne.Choices); err != nil {
			return err
		}
		t, err = f.Nango.Lookup(context.Background())
	}
	if err != nil {
		f.say("%s", link.ExplainNango(err, false))
		return f.afterBadLink(err)
	}
	f.say("Once Lattice accepts the key, it goes to this app through Nango:")
	f.facts(link.SessionFacts(t, f.Nango.Link().Host()))
	return nil
}

// keepNote says where a key given for the link ends up. With a key stored
// (the home menu) nothing goes to the app until the user picks it, and the
// stored key stays; --keep, a flag, is named only where a new key is asked.
func (f *face) keepNote() {
	switch {
	case f.stored != "":
		f.say("Nothing goes to the app until you choose it below; the key stored here stays stored.")
	case f.Keep:
		f.say("A copy is stored here as well (--keep).")
	default:
		f.say("It is not stored on this machine (--keep would keep a copy).")
	}
}

// approveHost asks whether the key may go to the Nango API the link names.
// The prompt shows what is typed, so a pasted key is never an answer (ask
// refuses it); without a terminal to ask in, the run stops, as the command
// line does, naming how to approve the host.
func (f *face) approveHost() error {
	host := f.Nango.Link().Host()
	if in, ok := f.In.(*os.File); ok && !term.IsTerminal(int(in.Fd())) {
		err := &nango.Error{Kind: nango.HostNotApproved, Host: host, APISource: f.Nango.Link().APISource()}
		f.say("%s", link.ExplainNango(err, true))
		return err
	}
	f.say("%s", link.HostQuestion(host))
	i, err := f.choose("Send the key to "+host+"?", []string{"No, stop here", "Yes, " + host + " is the app's Nango", noAppChoice}, 0)
	switch {
	case err != nil:
		return err
	case i == 0:
		return errQuit
	case i == 2:
		f.withoutApp()
		return nil
	}
	f.Nango.ApproveHost()
	return nil
}

// noAppChoice is the way on without the Connect link's app, as the
// wizard's x is.
const noAppChoice = "Neither: go on without the app (nothing goes to it)"

// afterBadLink offers, once the link turned out unusable (err, said
// already), to go on without the app; stopping ends the run with err.
func (f *face) afterBadLink(err error) error {
	f.say("To try again, or with a new link from the app, run lattice-link --plain again with the link in NANGO_CONNECT_LINK.")
	i, cerr := f.choose("What now?", []string{"Stop here", noAppChoice}, 0)
	if cerr != nil {
		return cerr
	}
	if i == 0 {
		return err
	}
	f.withoutApp()
	return nil
}

// withoutApp drops the Connect link: the run goes on as one without it.
func (f *face) withoutApp() {
	f.Nango, f.noApp = nil, true
	f.say("Going on without the app: nothing goes to it.")
	f.track()
}

// pickIntegration asks which of the app's Lattice integrations the key goes
// to, as Nango's own Connect UI does.
func (f *face) pickIntegration(choices []nango.Integration) error {
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = link.IntegrationChoices([]nango.Integration{c})
	}
	i, err := f.choose("The app offers more than one Lattice integration. Which one should get the key?", labels, 0)
	if err != nil {
		return err
	}
	f.Nango.ChooseIntegration(choices[i].UniqueKey)
	return nil
}

// facts prints facts as aligned lines, symbols in ASCII.
func (f *face) facts(list []link.Fact) {
	for _, fact := range list {
		prefix := "  "
		if fact.Warn {
			prefix = "! "
		}
		lines := strings.Split(fact.Value, "\n")
		if fact.Label == "" {
			f.say("%s%s", prefix, lines[0])
		} else {
			f.say("%s%-10s %s", prefix, fact.Label, lines[0])
		}
		for _, l := range lines[1:] {
			f.say("             %s", strings.TrimSpace(l))
		}
	}
}

// handOff checks key with Lattice and hands it to the app. ok is false when
// the key was not handed over and another may be tried; an error from
// Nango ends the run, since the link itself must then be replaced or
// looked into.
func (f *face) handOff(key string, src link.Source) (ok bool, err error) {
	ctx := f.withWaitLines(context.Background())
	ctx = link.WithStageHook(ctx, func(s link.Stage) {
		switch s {
		case link.StageLattice:
			f.say("Checking with Lattice (%s)...", f.l.Client.Primary.Region.Label())
		case link.StageNango:
			f.say("Lattice accepted it. Handing it to Nango at %s...", f.Nango.Link().Host())
		}
	})
	h, err := f.l.HandOff(ctx, f.Nango, key, f.Keep, f.stored)
	if err != nil {
		f.say("%s", f.l.ExplainHandOff(err, src, false))
		var ne *nango.Error
		if errors.As(err, &ne) {
			return false, err
		}
		return false, nil
	}
	if h.Kept != nil {
		f.stored = key
		f.res.Connected = true
	}
	f.res.HandedOff = true
	f.done()
	f.say("")
	f.say("Handed over to the app through Nango.")
	facts := h.ResultFacts()
	for i := range facts {
		facts[i].Value = strings.ReplaceAll(facts[i].Value, lattice.Fingerprint(key), lattice.FingerprintASCII(key))
	}
	f.facts(facts)
	if w := h.ReplacedWords(); w != "" {
		f.say("%s", strings.ReplaceAll(w, lattice.Fingerprint(key), lattice.FingerprintASCII(key)))
	}
	if h.Kept != nil && h.Kept.Rotated() {
		return true, f.afterRotation(*h.Kept)
	}
	return true, nil
}
