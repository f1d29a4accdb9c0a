package wizard

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// Plain mode is the same guide as line-by-line prompts on the normal screen:
// no alternate screen, no cursor movement, no colour, no animation; numbered
// choices instead of menus. It suits screen readers, dumb terminals and logs.
// It is a plain sequential program, not Bubble Tea: there is no frame to
// redraw, so there is nothing for a model to do.

// PlainIO is what plain mode reads and writes.
type PlainIO struct {
	In  io.Reader
	Out io.Writer
	// ReadSecret reads the key with the terminal's echo off.
	ReadSecret func() (string, error)
	// Copy puts text on the clipboard and says how it went.
	Copy  func(text string) (string, error)
	Width int
}

// errQuit ends plain mode when the user asks to, or input ends.
var errQuit = errors.New("quit")

type plain struct {
	opts  Options
	io    PlainIO
	in    *bufio.Reader
	state *config.State
	md    *markdownCache
	res   Result
	// stored is the key in the store now, in memory only.
	stored string
}

// RunPlain runs the wizard in plain mode.
func RunPlain(opts Options, pio PlainIO) (Result, error) {
	if opts.Profile == "" {
		opts.Profile = "default"
	}
	if opts.State == nil {
		opts.State = &config.State{Version: config.StateVersion}
	}
	if pio.Width <= 0 {
		pio.Width = 80
	}
	p := &plain{opts: opts, io: pio, in: bufio.NewReader(pio.In), state: opts.State, md: newMarkdownCache(true),
		stored: opts.StoredKey}
	p.md.plain = true
	err := p.run()
	if errors.Is(err, errQuit) {
		p.say("")
		p.say("Stopped. Run lattice-link again to pick up where you left off.")
		p.res.Cancelled = !p.res.Connected
		return p.res, nil
	}
	return p.res, err
}

func (p *plain) profile() *config.Profile { return p.state.Profile(p.opts.Profile) }

func (p *plain) say(format string, a ...any) {
	text := fmt.Sprintf(format, a...)
	fmt.Fprintln(p.io.Out, ansi.Wrap(text, p.io.Width, ""))
}

// ask prints a prompt and reads one line; end of input is quitting.
func (p *plain) ask(prompt string) (string, error) {
	fmt.Fprint(p.io.Out, prompt)
	line, err := p.in.ReadString('\n')
	if err != nil && line == "" {
		return "", errQuit
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.EqualFold(strings.TrimSpace(line), "q") {
		return "", errQuit
	}
	return line, nil
}

// choose offers numbered choices and returns the index chosen.
func (p *plain) choose(question string, choices []string, def int) (int, error) {
	p.say("%s", question)
	for i, c := range choices {
		p.say("  %d) %s", i+1, c)
	}
	for {
		ans, err := p.ask(fmt.Sprintf("Choose 1-%d [%d], or q to quit: ", len(choices), def+1))
		if err != nil {
			return 0, err
		}
		if strings.TrimSpace(ans) == "" {
			return def, nil
		}
		if n, err := strconv.Atoi(strings.TrimSpace(ans)); err == nil && n >= 1 && n <= len(choices) {
			return n - 1, nil
		}
		p.say("Please type a number from 1 to %d.", len(choices))
	}
}

func (p *plain) heading(id steps.ID) {
	st := steps.Get(id)
	p.say("")
	p.say("Step %s of %s: %s", words(int(id)+1), words(steps.Count()), st.Title)
	p.say("")
	fmt.Fprintln(p.io.Out, p.md.get(id, p.io.Width, true))
	p.say("")
}

func words(n int) string {
	names := []string{"zero", "one", "two", "three", "four", "five", "six"}
	if n < len(names) {
		return names[n]
	}
	return strconv.Itoa(n)
}

func (p *plain) run() error {
	p.say("lattice-link: link Lattice, step by step. Type q and enter at any prompt to stop.")
	if p.opts.Demo {
		p.say("DEMO: this runs against a built-in stand-in for Lattice. Nothing leaves this machine.")
	}
	if p.opts.Notice != "" {
		p.say("Note: %s", sanitize.Line(p.opts.Notice, 400))
	}
	if p.opts.StoredKey != "" && p.opts.Start == steps.Prerequisites {
		return p.home()
	}
	return p.guide(p.opts.Start)
}

// guide walks the steps from start.
func (p *plain) guide(start steps.ID) error {
	id := start
	for {
		var next steps.ID
		var err error
		switch id {
		case steps.Prerequisites:
			next, err = p.prerequisites()
		case steps.RequestAccess:
			next, err = p.requestAccess()
		case steps.GenerateKey:
			next, err = p.generateKey()
		case steps.SCIM:
			next, err = p.scimStep()
		case steps.Connect:
			return p.connect()
		}
		if err != nil {
			return err
		}
		id = next
	}
}

func (p *plain) prerequisites() (steps.ID, error) {
	p.heading(steps.Prerequisites)
	q := "Is API access already approved for your company?"
	if at := p.profile().AccessRequestedAt; !at.IsZero() {
		q = "Has Lattice approved your API access request? You asked " + ago(at) + "."
	}
	i, err := p.choose(q, []string{"Yes, approved: go to Generate the key", "Not yet: request API access"}, 1)
	if i == 0 {
		return steps.GenerateKey, err
	}
	return steps.RequestAccess, err
}

func (p *plain) requestAccess() (steps.ID, error) {
	p.heading(steps.RequestAccess)
	a := steps.Answers(p.profile().Answers)
	if at := p.profile().AccessRequestedAt; !at.IsZero() {
		p.say("You sent this request %s.", ago(at))
	}
	if i, err := p.choose("Fill in the answers now?", []string{"Yes", "No, use the answers as they are"}, 0); err != nil {
		return 0, err
	} else if i == 0 {
		p.say("Press enter to keep the value in brackets.")
		for _, f := range []struct {
			label string
			value *string
		}{{"Company", &a.Company}, {"Your name", &a.Name}, {"Use case", &a.UseCase}} {
			if err := p.field(f.label, f.value); err != nil {
				return 0, err
			}
		}
		choices := append(append([]string(nil), steps.ToolChoices...), "Another tool: type its name")
		def := len(choices) - 1
		for i, c := range steps.ToolChoices {
			if c == a.Tool {
				def = i
			}
		}
		i, err := p.choose("Will a third-party tool use the API?", choices, def)
		if err != nil {
			return 0, err
		}
		if i < len(steps.ToolChoices) {
			a.Tool = steps.ToolChoices[i]
		} else if err := p.field("Tool", &a.Tool); err != nil {
			return 0, err
		}
		if err := p.field("Timeline", &a.Timeline); err != nil {
			return 0, err
		}
		p.profile().Answers = config.Answers(a.Clean())
		p.save()
	}
	email := steps.ComposeEmail(a)
	p.say("")
	p.say("The email:")
	p.say("")
	p.say("%s", email.Text())
	if missing := a.Clean().Missing(); len(missing) > 0 {
		p.say("Still to answer: %s. The email works as it is; the [brackets] show what to fill in.", strings.Join(missing, ", "))
	}
	for {
		i, err := p.choose("What now?", []string{"Copy the email to the clipboard", "Save it to a file",
			"Open it in your mail app", "Go on to Generate the key", "Stop here, and come back when Lattice approves"}, 0)
		if err != nil {
			return 0, err
		}
		switch i {
		case 0:
			if p.io.Copy == nil {
				p.say("No clipboard is available here: save the email to a file instead.")
				continue
			}
			msg, err := p.io.Copy(email.Text())
			if err != nil {
				p.say("Could not copy: %s", sanitize.Line(err.Error(), 300))
				continue
			}
			p.say("%s", msg)
			p.markRequested()
		case 1:
			path, err := filepath.Abs(SaveFileName)
			if err == nil {
				err = os.WriteFile(path, []byte(email.Text()), 0o644)
			}
			if err != nil {
				p.say("Could not save the email: %s. Copy it from above instead.", sanitize.Line(err.Error(), 300))
				continue
			}
			p.say("Saved the email to %s.", sanitize.Line(path, 0))
			p.markRequested()
		case 2:
			if p.opts.SSH || p.opts.OpenURL == nil {
				p.say("Over SSH a mail app would open on the remote machine: copy or save the email instead.")
				continue
			}
			if err := p.opts.OpenURL(email.MailtoURL()); err != nil {
				p.say("No mail app could be opened: copy or save the email instead.")
				continue
			}
			p.say("Opened the email in your mail app: check it and press send.")
			p.markRequested()
		case 3:
			return steps.GenerateKey, nil
		case 4:
			return 0, errQuit
		}
	}
}

func (p *plain) field(label string, value *string) error {
	prompt := label + ": "
	if *value != "" {
		prompt = label + " [" + sanitize.Line(*value, 60) + "]: "
	}
	ans, err := p.ask(prompt)
	if err != nil {
		return err
	}
	if strings.TrimSpace(ans) != "" {
		*value = strings.TrimSpace(ans)
	}
	return nil
}

func (p *plain) markRequested() {
	p.profile().AccessRequestedAt = time.Now().UTC()
	p.save()
}

// save remembers the state; plain mode has no Update loop, so it writes at once.
func (p *plain) save() {
	if p.opts.Folder == nil {
		return
	}
	if err := p.opts.Folder.SaveState(p.state.Clone(), 0); err != nil {
		p.say("Could not remember your answers: %s", sanitize.Line(err.Error(), 300))
	}
}

func (p *plain) generateKey() (steps.ID, error) {
	p.heading(steps.GenerateKey)
	if u := steps.KeysPageURL(p.profile().Subdomain); u != "" {
		p.say("Your company's API keys page: %s", u)
	} else {
		sub, err := p.ask("Your company's Lattice subdomain, to get a link to its API keys page (enter to skip): ")
		if err != nil {
			return 0, err
		}
		if u := steps.KeysPageURL(sub); u != "" {
			p.profile().Subdomain = strings.ToLower(strings.TrimSpace(sub))
			p.save()
			p.say("The API keys page: %s", u)
		}
	}
	if _, err := p.ask("Press enter once you have copied the new key: "); err != nil {
		return 0, err
	}
	return steps.SCIM, nil
}

func (p *plain) scimStep() (steps.ID, error) {
	p.heading(steps.SCIM)
	def := 1
	if p.profile().CheckSCIM {
		def = 0
	}
	i, err := p.choose("Check SCIM too when you connect?", []string{"Yes, check SCIM", "No"}, def)
	if err != nil {
		return 0, err
	}
	p.profile().CheckSCIM = i == 0
	p.save()
	return steps.Connect, nil
}

// connect reads the key without echo, checks it and stores it.
func (p *plain) connect() error {
	p.heading(steps.Connect)
	for _, k := range p.opts.DemoKeys {
		p.say("  demo key: %s (%s)", k.Key, k.What)
	}
	for {
		fmt.Fprint(p.io.Out, "Paste the key (it will not be shown) and press enter: ")
		raw, err := p.io.ReadSecret()
		fmt.Fprintln(p.io.Out)
		if err != nil {
			return errQuit
		}
		if strings.TrimSpace(raw) == "q" {
			return errQuit
		}
		key, warn, err := lattice.NormalizeKey(raw)
		if err == nil && p.stored != "" && key == p.stored {
			err = errors.New("that is the key already stored: generate a new key in Lattice and paste that one")
		}
		if err != nil {
			p.say("%s", err.Error())
			continue
		}
		p.say("Received %d characters, ending %s.", len([]rune(key)), strings.TrimLeft(lattice.FingerprintASCII(key), "*"))
		if warn {
			p.say("The key has characters Lattice keys do not usually have; checking it anyway.")
		}
		if ok, err := p.check(key); err != nil || ok {
			return err
		}
		i, err := p.choose("Try another key?", []string{"Yes", "No, stop here"}, 0)
		if err != nil || i == 1 {
			return errQuit
		}
	}
}

// check verifies and stores key; ok is false when Lattice did not accept it.
func (p *plain) check(key string) (ok bool, err error) {
	client := p.opts.Client
	p.say("Checking with Lattice (%s)...", client.Primary.Region.Label())
	ctx := lattice.WithWaitHook(context.Background(), func(w lattice.Wait) {
		p.say("%s: waiting %s, then trying again.", w.Reason, lattice.HumanDuration(w.Duration))
	})
	id, verr := client.Verify(ctx, key)
	if verr != nil {
		p.say("%s", toASCII(lattice.Explain(verr, client)))
		p.say("Nothing was stored.")
		return false, nil
	}
	var scim *lattice.SCIM
	var scimErr error
	if p.profile().CheckSCIM {
		s, err := client.CheckSCIM(ctx, key, id.Endpoint)
		scim, scimErr = &s, err
	}
	change := ConnectedChange(p.opts.Profile, p.stored, key, id, client, p.opts.Store)
	next, err := change.Apply(p.opts.Folder, p.opts.Store, p.state, 0)
	if next == nil {
		p.say("Lattice accepted the key, but it could not be stored: %s. Nothing was saved.", sanitize.Line(err.Error(), 300))
		return false, nil
	}
	if err != nil {
		p.say("%s", sanitize.Line(err.Error(), 300))
	}
	old := p.stored
	p.state, p.stored = next, key
	p.res.Connected = true

	d := doneScreen{identity: id, scim: scim, scimErr: scimErr, fingerprint: lattice.FingerprintASCII(key),
		storedIn: p.opts.Store.Where()}
	p.say("")
	p.say("Connected to Lattice.")
	for _, f := range d.facts() {
		if f.label == "" {
			p.say("  %s", toASCII(f.value))
			continue
		}
		p.say("  %-10s %s", f.label, toASCII(f.value))
	}
	if p.opts.StoreNote != "" {
		p.say("%s", p.opts.StoreNote)
	}
	if old != "" {
		return true, p.afterRotation(old, id.Endpoint)
	}
	p.say("Scripts can use it now: lattice-link status checks it, lattice-link token prints it.")
	return true, nil
}

// afterRotation asks the user to revoke the old key and checks that Lattice
// now rejects it.
func (p *plain) afterRotation(oldKey string, ep lattice.Endpoint) error {
	old := lattice.FingerprintASCII(oldKey)
	p.say("")
	p.say("Now revoke the old key %s in Lattice: Admin > Settings > API Keys.", old)
	for {
		i, err := p.choose("Check that Lattice rejects the old key?", []string{"Yes, check it now", "No, I am done"}, 0)
		if err != nil || i == 1 {
			return nil
		}
		p.say("Checking the old key with Lattice...")
		_, verr := p.opts.Client.VerifyAt(context.Background(), oldKey, ep)
		switch lattice.KindOf(verr) {
		case lattice.Rejected:
			p.say("Lattice now rejects the old key %s: the rotation is complete.", old)
			return nil
		case 0:
			p.say("The old key %s still works. Revoke it in Lattice, then check again.", old)
		default:
			p.say("Could not check: %s", toASCII(lattice.Explain(verr, p.opts.Client)))
		}
	}
}

// home is the re-run with a key stored.
func (p *plain) home() error {
	prof := p.profile()
	p.say("")
	p.say("Lattice is linked on this machine (profile %s).", p.opts.Profile)
	p.say("  Key      %s", lattice.FingerprintASCII(p.stored))
	if prof.Owner.Name != "" {
		p.say("  Owner    %s <%s>", prof.Owner.Name, prof.Owner.Email)
	}
	p.say("  Stored   in %s", p.opts.Store.Where())
	for {
		p.say("Checking it with Lattice...")
		_, err := p.opts.Client.Verify(context.Background(), p.stored)
		switch lattice.KindOf(err) {
		case 0:
			p.say("  Status   valid: Lattice accepted it just now.")
		case lattice.Rejected, lattice.Forbidden:
			p.say("  Status   REJECTED: Lattice no longer accepts this key. Rotate it.")
		default:
			p.say("  Status   could not check: %s", toASCII(lattice.Explain(err, p.opts.Client)))
		}
		i, cerr := p.choose("What now?", []string{"Rotate: replace the key with a new one", "Check it again",
			"Walk the guide", "Forget the key", "Quit"}, 4)
		if cerr != nil {
			return cerr
		}
		switch i {
		case 0:
			return p.connect()
		case 2:
			return p.guide(steps.Prerequisites)
		case 3:
			change := config.KeyChange{Profile: p.opts.Profile, Expected: p.stored, Record: (*config.Profile).Forgotten}
			if _, err := change.Apply(p.opts.Folder, p.opts.Store, p.state, 0); err != nil && !config.IsStateOnly(err) {
				p.say("Could not forget the key: %s", sanitize.Line(err.Error(), 300))
				continue
			}
			p.say("Forgot the key. It still works until you revoke it in Lattice: Admin > Settings > API Keys.")
			return nil
		case 4:
			return nil
		}
	}
}
