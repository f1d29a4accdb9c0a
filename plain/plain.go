// Package plain is lattice-link's line-by-line face: the same guide as the
// wizard, read from the same step list and flow, as prompts on the normal
// screen. No alternate screen, no cursor movement, no colour, no
// animation; numbered choices instead of menus; every link written out. It
// suits screen readers, dumb terminals and logs. It is a plain sequential
// program: there is no frame to redraw, so there is nothing for a Bubble
// Tea model to do.
package plain

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
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// Options are what plain mode reads, writes and calls.
type Options struct {
	Start    steps.ID
	Link     *link.Link
	DemoKeys []link.DemoKey
	Notice   string
	SSH      bool

	In  io.Reader
	Out io.Writer
	// ReadSecret prints the prompt once the terminal's echo is off, then
	// reads the key.
	ReadSecret func(prompt string) (string, error)
	// Copy puts text on the clipboard and says how it went.
	Copy func(text string) (string, error)
	// OpenURL opens a link in the browser or mail app.
	OpenURL func(string) error
	Width   int

	// Nango, when set, is an app's Connect link: a key Lattice accepts is
	// handed to the app instead of being stored here, unless Keep.
	Nango *nango.Client
	Keep  bool
	// NangoDemo names the demo's Connect link, shown at the start.
	NangoDemo string
}

// Result is how the run ended.
type Result struct {
	Connected bool
	Cancelled bool
	// HandedOff: the key went to the app behind Options.Nango.
	HandedOff bool
}

// errQuit ends plain mode when the user asks to, or input ends.
var errQuit = errors.New("quit")

type face struct {
	Options
	in *bufio.Reader
	l  *link.Link
	// stored is the key in the store now, in memory only.
	stored string
	prof   config.Profile
	res    Result
}

// Run walks the guide, or the home screen when a key is stored.
func Run(o Options) (Result, error) {
	if o.Width <= 0 {
		o.Width = 80
	}
	f := &face{Options: o, in: bufio.NewReader(o.In), l: o.Link}
	err := f.run()
	if errors.Is(err, errQuit) {
		f.say("")
		f.say("Stopped. Run lattice-link again to pick up where you left off.")
		f.res.Cancelled = !f.res.Connected && !f.res.HandedOff
		return f.res, nil
	}
	return f.res, err
}

// say prints a line, wrapped, in ASCII: a screen reader reads out symbols.
func (f *face) say(format string, a ...any) {
	text := strings.ReplaceAll(ascii(fmt.Sprintf(format, a...)), "-", nbHyphen)
	fmt.Fprintln(f.Out, strings.ReplaceAll(ansi.Wordwrap(text, f.Width, ""), nbHyphen, "-"))
}

// ask prints a prompt and reads one line; end of input is quitting.
func (f *face) ask(prompt string) (string, error) {
	fmt.Fprint(f.Out, ascii(prompt))
	line, err := f.in.ReadString('\n')
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
func (f *face) choose(question string, choices []string, def int) (int, error) {
	f.say("%s", question)
	for i, c := range choices {
		f.say("  %d) %s", i+1, c)
	}
	for {
		ans, err := f.ask(fmt.Sprintf("Choose 1-%d [%d], or q to quit: ", len(choices), def+1))
		if err != nil {
			return 0, err
		}
		if strings.TrimSpace(ans) == "" {
			return def, nil
		}
		if n, err := strconv.Atoi(strings.TrimSpace(ans)); err == nil && n >= 1 && n <= len(choices) {
			return n - 1, nil
		}
		f.say("Please type a number from 1 to %d.", len(choices))
	}
}

func (f *face) run() error {
	f.say("lattice-link: link Lattice, step by step. Type q and enter at any prompt to stop.")
	if f.l.Demo {
		f.say("DEMO: this runs against a built-in stand-in for Lattice. Nothing leaves this machine.")
	}
	p, warning, err := f.l.Remembered()
	if err != nil {
		return err
	}
	f.prof = p
	for _, n := range []string{f.Notice, warning} {
		if n != "" {
			f.say("Note: %s", sanitize.Line(n, 400))
		}
	}
	if f.Nango != nil {
		if err := f.session(); err != nil {
			return err
		}
	}
	if f.stored, err = f.l.Stored(); err != nil {
		return err
	}
	if _, note, _ := f.l.Store(); note != "" {
		f.say("Note: %s", note)
	}
	if f.stored != "" && f.Start == steps.GuideStart {
		return f.home()
	}
	return f.guide(f.Start)
}

// steps are plain mode's handlers, one per step of the guide; each returns
// where to go next (a step's route, unless the user chose otherwise).
func (f *face) handler(id steps.ID) func() (steps.ID, error) {
	return map[steps.ID]func() (steps.ID, error){
		steps.Prerequisites: f.prerequisites,
		steps.RequestAccess: f.requestAccess,
		steps.GenerateKey:   f.generateKey,
		steps.SCIM:          f.scim,
		steps.Connect:       f.connect,
	}[id]
}

// guide walks the steps from start, along the guide's routes.
func (f *face) guide(start steps.ID) error {
	for id := start; id != steps.End; {
		f.heading(id)
		next, err := f.handler(id)()
		if err != nil {
			return err
		}
		id = next
	}
	return nil
}

func (f *face) heading(id steps.ID) {
	st := steps.Get(id)
	f.say("")
	f.say("Step %s of %s: %s", words(int(id)+1), words(steps.Count()), st.Title)
	f.say("")
	text := readable(steps.Render(id, f.Width, "ascii"))
	fmt.Fprintln(f.Out, text)
	// A link the text shows whole is not repeated; one wrapped in two, or
	// not in the text at all, is given on a line of its own.
	if link := strings.TrimPrefix(st.Link, "mailto:"); link != "" && !strings.Contains(text, link) {
		f.say("")
		f.say("Link: %s", link)
	}
	f.say("")
}

func words(n int) string {
	names := []string{"zero", "one", "two", "three", "four", "five", "six", "seven"}
	if n < len(names) {
		return names[n]
	}
	return strconv.Itoa(n)
}

// readable is rendered markdown without the marks a screen reader would
// read out: heading hashes, emphasis stars, code ticks.
func readable(s string) string {
	lines := strings.Split(ascii(ansi.Strip(s)), "\n")
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		if strings.HasPrefix(trimmed, "#") {
			l = l[:len(l)-len(trimmed)] + strings.TrimLeft(trimmed, "# ")
		}
		lines[i] = strings.NewReplacer("**", "", "`", "").Replace(l)
	}
	return strings.Join(lines, "\n")
}

// nbHyphen stands in for "-" while wrapping, so a command (lattice-link),
// a flag (--region) or an address is never split at its hyphen.
const nbHyphen = "\u2011"

// ascii replaces the symbols the project's text uses with words or ASCII.
var ascii = strings.NewReplacer(
	"›", ">", "·", "-", "•", "*", "…", "...", "─", "-", "│", "|", "●", "=", "○", "-",
	"✓", "+", "↓", "down", "↑", "up", "→", "->", "←", "<-", "×", "x", "–", "-",
).Replace

func (f *face) prerequisites() (steps.ID, error) {
	q := steps.RouteOf(steps.Prerequisites).Question
	ask := q.Ask
	if at := f.prof.AccessRequestedAt; !at.IsZero() {
		ask = fmt.Sprintf(q.AskAgain, link.Ago(at))
	}
	i, err := f.choose(ask, []string{q.Yes + ": go to " + steps.Get(q.IfYes).Title,
		q.No + ": go to " + steps.Get(q.IfNo).Title}, 1)
	if i == 0 {
		return q.IfYes, err
	}
	return q.IfNo, err
}

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
		i, err := f.choose("What now?", []string{"Copy the email to the clipboard", "Save it to a file",
			"Open it in your mail app", "I have sent it", "Go on to " + steps.Get(steps.Next(steps.RequestAccess)).Title,
			"Stop here, and come back when Lattice approves"}, 0)
		if err != nil {
			return 0, err
		}
		switch i {
		case 0:
			if f.Copy == nil {
				f.say("No clipboard is available here: save the email to a file instead.")
				continue
			}
			msg, err := f.Copy(email.Text())
			if err != nil {
				f.say("Could not copy: %s", sanitize.Line(err.Error(), 300))
				continue
			}
			f.say("%s", msg)
			if err := f.askSent(); err != nil {
				return 0, err
			}
		case 1:
			path, err := saveEmail(email.Text())
			if err != nil {
				f.say("Could not save the email: %s. Copy it from above instead.", sanitize.Line(err.Error(), 300))
				continue
			}
			f.say("Saved the email to %s. Send it to %s.", sanitize.Line(path, 0), steps.AccessEmail)
			if err := f.askSent(); err != nil {
				return 0, err
			}
		case 2:
			if f.SSH || f.OpenURL == nil {
				f.say("Over SSH a mail app would open on the remote machine: copy or save the email instead.")
				continue
			}
			if err := f.OpenURL(email.MailtoURL()); err != nil {
				f.say("No mail app could be opened: copy or save the email instead.")
				continue
			}
			f.say("Opened the email in your mail app: check it and press send.")
			if err := f.askSent(); err != nil {
				return 0, err
			}
		case 3:
			f.markSent()
		case 4:
			return steps.Next(steps.RequestAccess), nil
		case 5: // an answer, not a cancel: the run ends well
			if f.prof.AccessRequestedAt.IsZero() {
				f.say("Send the email first; then run lattice-link again once Lattice approves.")
			} else {
				f.say("Once Lattice approves your request, run lattice-link again to generate and connect the key.")
			}
			return steps.End, nil
		}
	}
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
	f.prof.Answers = config.Answers(a.Clean())
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
	now := time.Now()
	f.prof.AccessRequestedAt = now
	f.note(f.l.MarkRequested(now))
	f.say("Noted. The next run asks whether Lattice has approved it.")
}

// note says that something could not be remembered; the run goes on.
func (f *face) note(err error) {
	if err != nil {
		f.say("Note: %s", sanitize.Line(err.Error(), 300))
	}
}

func (f *face) field(label string, value *string) error {
	prompt := label + ": "
	if *value != "" {
		prompt = label + " [" + sanitize.Line(*value, 60) + "]: "
	}
	ans, err := f.ask(prompt)
	if err != nil {
		return err
	}
	if strings.TrimSpace(ans) != "" {
		*value = strings.TrimSpace(ans)
	}
	return nil
}

// saveEmail writes the email to a new file in the current folder, never
// over an existing one and never through a link.
func saveEmail(text string) (string, error) {
	path, err := filepath.Abs("lattice-api-access-request.txt")
	if err != nil {
		return "", err
	}
	path = config.FreeName(path)
	err = config.WriteNewFile(path, []byte(text), 0o644)
	if errors.Is(err, os.ErrExist) {
		path = config.FreeName(path)
		err = config.WriteNewFile(path, []byte(text), 0o644)
	}
	return path, err
}

func (f *face) generateKey() (steps.ID, error) {
	if u := steps.KeysPageURL(f.prof.Subdomain); u != "" {
		f.say("Your company's API keys page (a hint: some accounts show it elsewhere): %s", u)
	} else {
		for {
			in, err := f.ask("Your company's Lattice address, e.g. acme.latticehq.com, for a link to its API keys page (enter to skip): ")
			if err != nil {
				return 0, err
			}
			if strings.TrimSpace(in) == "" {
				break
			}
			sub, err := steps.ParseSubdomain(in)
			if err != nil {
				f.say("%s", err.Error())
				continue
			}
			f.prof.Subdomain = sub
			f.note(f.l.SaveSubdomain(sub))
			f.say("The API keys page (a hint: some accounts show it elsewhere): %s", steps.KeysPageURL(sub))
			break
		}
	}
	if _, err := f.ask("Press enter once you have copied the new key: "); err != nil {
		return 0, err
	}
	return steps.Next(steps.GenerateKey), nil
}

func (f *face) scim() (steps.ID, error) {
	def := 1
	if f.prof.CheckSCIM {
		def = 0
	}
	i, err := f.choose("Check SCIM too when you connect?", []string{"Yes, check SCIM", "No"}, def)
	if err != nil {
		return 0, err
	}
	f.prof.CheckSCIM = i == 0
	f.note(f.l.SaveCheckSCIM(f.prof.CheckSCIM))
	return steps.Next(steps.SCIM), nil
}

// connect reads the key without echo, checks it and stores it.
func (f *face) connect() (steps.ID, error) {
	for _, k := range f.DemoKeys {
		f.say("  demo key: %s (%s)", k.Key, k.What)
	}
	for {
		raw, err := f.ReadSecret("Paste the key (it will not be shown) and press enter: ")
		if err != nil {
			return 0, errQuit
		}
		if strings.TrimSpace(raw) == "q" {
			return 0, errQuit
		}
		key, warn, err := lattice.NormalizeKey(raw)
		if err != nil {
			f.say("%s", err.Error())
			continue
		}
		f.say("Received %s, ending %s.", link.Plural(len([]rune(key)), "character"), strings.TrimLeft(lattice.FingerprintASCII(key), "*"))
		if warn {
			f.say("The key has characters Lattice keys do not usually have; checking it anyway.")
		}
		ok, err := f.check(key)
		if err != nil || ok {
			return steps.End, err
		}
		i, err := f.choose("Try another key?", []string{"Yes", "No, stop here"}, 0)
		if err != nil || i == 1 {
			return 0, errQuit
		}
	}
}

// check connects key; ok is false when it was not stored.
func (f *face) check(key string) (ok bool, err error) {
	if f.Nango != nil {
		return f.handOff(key, link.Typed)
	}
	f.say("Checking with Lattice (%s)...", f.l.Client.Primary.Region.Label())
	ctx := lattice.WithWaitHook(context.Background(), func(w lattice.Wait) {
		f.say("%s: waiting %s, then trying again.", w.Reason, lattice.HumanDuration(w.Duration))
	})
	res, err := f.l.Connect(ctx, key, f.stored, f.prof.CheckSCIM)
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
	f.say("")
	f.say("Connected to Lattice.")
	for _, fact := range res.Facts() {
		if fact.Label == "" {
			f.say("  %s", fact.Value)
			continue
		}
		f.say("  %-10s %s", fact.Label, strings.ReplaceAll(fact.Value, lattice.Fingerprint(key), lattice.FingerprintASCII(key)))
	}
	if res.Rotated() {
		return true, f.afterRotation(res)
	}
	if f.l.Demo {
		f.say("In the demo nothing was stored. After a real connect, lattice-link status checks the key and lattice-link token prints it.")
	} else {
		f.say("Scripts can use it now: lattice-link status checks it, lattice-link token prints it.")
	}
	return true, nil
}

// afterRotation asks the user to revoke the old key and checks that Lattice
// now rejects it.
func (f *face) afterRotation(res link.Connected) error {
	old := lattice.FingerprintASCII(res.Old)
	f.say("")
	f.say("Now revoke the old key %s in Lattice: %s.", old, link.KeysPage)
	for {
		i, err := f.choose("Check that Lattice rejects the old key?", []string{"Yes, check it now", "No, I am done"}, 0)
		if err != nil || i == 1 {
			return nil
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
