package plain

import (
	"fmt"
	"strings"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

func (f *face) requestAccess() (steps.ID, error) {
	a := steps.Answers(f.prof.Answers)
	if at := f.prof.AccessRequestedAt; !at.IsZero() {
		f.say("You sent this request %s.", link.Ago(at))
	}
	if i, err := f.choose("Fill in the answers now?", []string{"Yes", "No, use the answers as they are"}, 0); err != nil {
		return 0, err
	} else if i == 0 {
		if err := f.fillIn(&a); err != nil {
			return 0, err
		}
	}
	email := steps.ComposeEmail(a)
	f.say("")
	f.say("The email, to %s:", steps.AccessEmail)
	f.say("")
	f.say("%s", email.Text())
	if missing := a.Clean().Missing(); len(missing) > 0 {
		f.say("Still to answer: %s. The email works as it is; the [brackets] show what to fill in.", strings.Join(missing, ", "))
	}
	for {
		next, done, err := f.emailMenu(email)
		if err != nil || done {
			return next, err
		}
	}
}

// emailMenu offers what can be done with the email, once. Once it is noted
// as sent, "I have sent it" is no longer offered and stopping until Lattice
// answers is the default.
func (f *face) emailMenu(email steps.Email) (next steps.ID, done bool, err error) {
	sent := !f.prof.AccessRequestedAt.IsZero()
	thenAskSent := func(text string) (bool, error) {
		f.say("%s", text)
		return false, f.askSent()
	}
	opts := []option{
		{"Copy the email to the clipboard", func() (bool, error) {
			if f.Copy == nil {
				f.say("No clipboard is available here: save the email to a file instead.")
				return false, nil
			}
			msg, err := f.Copy(email.Text())
			if err != nil {
				f.say("Could not copy: %s", sanitize.Line(err.Error(), 300))
				return false, nil
			}
			return thenAskSent(msg)
		}},
		{"Save it to a file", func() (bool, error) {
			path, err := link.SaveEmail(email.Text())
			if err != nil {
				f.say("Could not save the email: %s. Copy it from above instead.", sanitize.Line(err.Error(), 300))
				return false, nil
			}
			return thenAskSent(fmt.Sprintf("Saved the email to %s. Send it to %s.", sanitize.Line(path, 0), steps.AccessEmail))
		}},
		{"Open it in your mail app", func() (bool, error) {
			if f.SSH || f.OpenURL == nil {
				f.say("Over SSH a mail app would open on the remote machine: copy or save the email instead.")
				return false, nil
			}
			if err := f.OpenURL(email.MailtoURL()); err != nil {
				f.say("No mail app could be opened: copy or save the email instead.")
				return false, nil
			}
			return thenAskSent("Opened the email in your mail app: check it and press send.")
		}},
	}
	if !sent {
		opts = append(opts, option{"I have sent it", func() (bool, error) {
			f.markSent()
			return false, nil
		}})
	}
	opts = append(opts,
		option{"Go on to " + steps.Get(steps.Next(steps.RequestAccess)).Title, func() (bool, error) {
			next = steps.Next(steps.RequestAccess)
			return true, nil
		}},
		option{"Stop here, and come back when Lattice approves", func() (bool, error) {
			// An answer, not a cancel: the run ends well.
			if sent {
				f.say("Once Lattice approves your request, run lattice-link again to generate and connect the key.")
			} else {
				f.say("Send the email first; then run lattice-link again once Lattice approves.")
			}
			next = steps.End
			return true, nil
		}})
	def := 0
	if sent {
		def = len(opts) - 1
	}
	done, err = f.menu("What now?", opts, def)
	return next, done, err
}

// fillIn asks the email's questions, offering what is remembered.
func (f *face) fillIn(a *steps.Answers) error {
	if *a != (steps.Answers{}) {
		f.say("Press enter to keep a remembered answer, shown in brackets.")
	}
	for _, q := range []struct {
		label string
		value *string
	}{{"Company", &a.Company}, {"Your name", &a.Name}, {"Use case", &a.UseCase}} {
		if err := f.field(q.label, q.value); err != nil {
			return err
		}
	}
	choices := append(append([]string(nil), steps.ToolChoices...), "Another tool: type its name")
	def := 0 // no third-party tool, unless another answer is remembered
	if a.Tool != "" {
		def = len(choices) - 1
	}
	for i, c := range steps.ToolChoices {
		if c == a.Tool {
			def = i
		}
	}
	i, err := f.choose("Will a third-party tool use the API?", choices, def)
	if err != nil {
		return err
	}
	if i < len(steps.ToolChoices) {
		a.Tool = steps.ToolChoices[i]
	} else if err := f.field("Tool", &a.Tool); err != nil {
		return err
	}
	if err := f.field("Timeline", &a.Timeline); err != nil {
		return err
	}
	f.note(f.l.SaveAnswers(*a))
	return nil
}

// askSent asks whether the email went out: copying or saving it is not
// sending it, so only a yes is remembered.
func (f *face) askSent() error {
	i, err := f.choose("Did you send it to "+steps.AccessEmail+"?", []string{"Yes, sent", "Not yet"}, 1)
	if err != nil {
		return err
	}
	if i == 0 {
		f.markSent()
	}
	return nil
}

func (f *face) markSent() {
	if !f.note(f.l.MarkRequested(time.Now())) {
		return // not noted: the next run would not know it was sent
	}
	if f.l.Demo {
		f.say("Noted for this run (the demo keeps nothing).")
	} else {
		f.say("Noted. The next run asks whether Lattice has approved it.")
	}
}

// note takes in what a Save wrote, as link returned it: plain mode's copy
// of the profile is never changed by hand, so a failed write leaves the old
// value, and says so; the run goes on. ok reports that the write was done.
func (f *face) note(st *config.State, err error) (ok bool) {
	if st != nil {
		f.prof = *st.Profile(f.l.Profile)
	}
	if err != nil {
		f.say("Could not remember that: %s", sanitize.Line(err.Error(), 300))
	}
	f.track() // what a re-run opens at may have changed
	return err == nil
}
