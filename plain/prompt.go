package plain

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// say prints a line, wrapped, in ASCII: a screen reader reads out symbols.
func (f *face) say(format string, a ...any) {
	fmt.Fprintln(f.Out, f.wrapText(ascii(fmt.Sprintf(format, a...))))
}

// ask prints a prompt and reads one line; end of input is quitting. Its
// prompts show what is typed, so an answer that is a key or a Connect link
// is never taken: the user is told it is on screen now, and asked again.
func (f *face) ask(prompt string) (string, error) {
	for {
		fmt.Fprint(f.Out, f.prompt(prompt))
		line, err := f.in.ReadString('\n')
		if err != nil && line == "" {
			return "", errQuit
		}
		line = strings.TrimRight(line, "\r\n")
		if strings.EqualFold(strings.TrimSpace(line), "q") {
			return "", errQuit
		}
		secret := link.LooksSecret(line)
		if secret == link.NoSecret {
			return line, nil
		}
		f.misplaced(secret)
	}
}

// prompt is a prompt wrapped to the width like any line, its last line
// left open for the answer.
func (f *face) prompt(p string) string {
	return f.wrapText(ascii(strings.TrimRight(p, " "))) + " "
}

// misplaced says what happened to a credential typed at a prompt that
// shows what is typed: it went nowhere, but it is on screen.
func (f *face) misplaced(secret link.Secret) {
	const went = "It was not taken as an answer, and nothing was saved or sent; but this prompt shows what is typed, " +
		"so it is on the screen now (and in the terminal's scrollback or any log of it)."
	if secret == link.LatticeKey {
		f.say("That looks like a Lattice API key. %s If anyone else can see it, revoke it in Lattice (%s) "+
			"and generate a new one. Give the key only at the Connect step, whose prompt does not show it.", went, link.KeysPage)
		return
	}
	f.say("That looks like an app's Nango Connect link. %s If anyone else can see it, ask the app for a new link.", went)
	if f.Nango != nil {
		f.say("The app's link for this run is already read; the key goes to it from the Connect step.")
	} else {
		f.say("To hand your key to that app, run lattice-link --plain with the link in NANGO_CONNECT_LINK.")
	}
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
		if i, ok := yesOrNo(ans, choices); ok {
			return i, nil
		}
		f.say("Please type a number from 1 to %d.", len(choices))
	}
}

// yesOrNo is the choice that y or n (yes, no) answers: the one choice
// starting "Yes", or "No". People answer a yes/no question so.
func yesOrNo(ans string, choices []string) (int, bool) {
	var word string
	switch strings.ToLower(strings.TrimSpace(ans)) {
	case "y", "yes":
		word = "Yes"
	case "n", "no":
		word = "No"
	default:
		return 0, false
	}
	found := -1
	for i, c := range choices {
		if c == word || strings.HasPrefix(c, word+",") || strings.HasPrefix(c, word+" ") {
			if found >= 0 {
				return 0, false // two choices say it: the number decides
			}
			found = i
		}
	}
	return found, found >= 0
}

// withWaitLines returns a context whose calls to Lattice say each wait
// before a retry, as it starts, in link's words.
func (f *face) withWaitLines(ctx context.Context) context.Context {
	return lattice.WithWaitHook(ctx, func(w lattice.Wait) { f.say("%s", link.WaitLine(w)) })
}

// option is one numbered answer of a menu and what choosing it does. A menu
// built from options offers only what the moment allows, and its numbers
// cannot drift from what they do.
type option struct {
	label string
	run   func() (done bool, err error)
}

// menu offers opts, runs the one chosen and says whether the menu is done.
func (f *face) menu(question string, opts []option, def int) (done bool, err error) {
	labels := make([]string, len(opts))
	for i, o := range opts {
		labels[i] = o.label
	}
	i, err := f.choose(question, labels, def)
	if err != nil {
		return false, err
	}
	return opts[i].run()
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
		// glamour pads lines to the width: a screen reader or a log gets
		// nothing from the spaces.
		lines[i] = strings.TrimRight(strings.NewReplacer("**", "", "`", "").Replace(l), " ")
	}
	return strings.Join(lines, "\n")
}

// wrapText wraps text to the width, never inside a word, a link or at a
// hyphen (a word longer than the width keeps a line of its own). A wrapped
// line's continuation hangs under its text: under its indent, a list or
// choice marker ("* ", "2. ", "3) ") or the value of a "Label   value" row.
func (f *face) wrapText(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(wrapLine(strings.ReplaceAll(l, "-", nbHyphen), f.Width), nbHyphen, "-")
	}
	return strings.Join(lines, "\n")
}

// wrapLine wraps one line: the first line takes the width, the rest hang
// past its indent and marker or label.
func wrapLine(l string, width int) string {
	body := strings.TrimLeft(l, " ")
	indent := l[:len(l)-len(body)]
	hang := strings.Repeat(" ", len(indent)+hangOf(body))
	first, _, cut := strings.Cut(ansi.Wordwrap(body, max(width-len(indent), 20), ""), "\n")
	if !cut {
		return l
	}
	if !strings.HasPrefix(body, first) {
		first = "" // not cut at a space: all of it goes under the hang
	}
	rest := strings.ReplaceAll(ansi.Wordwrap(strings.TrimSpace(body[len(first):]), max(width-len(hang), 20), ""), "\n", "\n"+hang)
	if first == "" {
		return indent + rest
	}
	return indent + first + "\n" + hang + rest
}

// labelRow is the label column of a "Label   value" row, a warning's
// ("! SCIM      value") too.
var labelRow = regexp.MustCompile(`^(! )?[A-Za-z]+( [a-z]+)? {2,}`)

// hangOf is how far a line's continuation is indented past the line's own
// indent: the width of its marker or label column, or 0.
func hangOf(body string) int {
	if m := labelRow.FindString(body); m != "" {
		return len(m)
	}
	if strings.HasPrefix(body, "* ") {
		return 2
	}
	digits := len(body) - len(strings.TrimLeft(body, "0123456789"))
	if digits > 0 && (strings.HasPrefix(body[digits:], ". ") || strings.HasPrefix(body[digits:], ") ")) {
		return digits + 2
	}
	return 0
}

// nbHyphen stands in for "-" while wrapping, so a command (lattice-link),
// a flag (--region) or an address is never split at its hyphen.
const nbHyphen = "\u2011"

// ascii replaces the symbols the project's text uses with words or ASCII:
// a screen reader reads symbols out.
var ascii = steps.ASCII

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
