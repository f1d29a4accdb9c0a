package cmd

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

// EmailOptions are email's flags.
type EmailOptions struct {
	// Answers are the flags' answers; Given says which flags gave one (an
	// answer not given is the one remembered).
	Answers steps.Answers
	Given   map[string]bool
	Copy    bool
	OutFile string
	Sent    bool

	out, stderr io.Writer
	open        func() (*session, error)
}

// answerFlags are the flags that answer the email's questions.
var answerFlags = []string{"company", "name", "use-case", "tool", "timeline"}

// NewCmdEmail builds email. runF, when set, runs instead of emailRun.
func NewCmdEmail(f *Factory, runF func(*EmailOptions) error) *cobra.Command {
	r, s := f.runner, f.settings
	opts := &EmailOptions{}
	cmd := &cobra.Command{
		Use:   "email",
		Short: "Print the email that asks Lattice for API access",
		Long: "Prints the request-access email, with the answers from the flags or the ones\n" +
			"the wizard remembers. --copy puts it on the clipboard instead (OSC 52 and the\n" +
			"system clipboard; exit code 4 when no clipboard can be reached); --out writes\n" +
			"it to a new file. Once you have sent it, --sent notes that, so the next run\n" +
			"asks whether Lattice approved.",
		Example: "  lattice-link email --company \"Acme Inc.\" --name \"Grace Hopper\" \\\n" +
			"    --use-case \"sync goals\" --tool none --timeline \"this month\"\n" +
			"  lattice-link email --copy\n" +
			"  lattice-link email --sent",
		Args: r.noArgs,
		RunE: r.run(func(cmd *cobra.Command) error {
			opts.Given = map[string]bool{}
			for _, name := range answerFlags {
				opts.Given[name] = cmd.Flags().Changed(name)
			}
			opts.out, opts.stderr = cmd.OutOrStdout(), toTerminal(cmd.ErrOrStderr())
			opts.open = func() (*session, error) { return s.open(cmd) }
			if runF != nil {
				return runF(opts)
			}
			return emailRun(opts)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Answers.Company, "company", "", "your company's name")
	fl.StringVar(&opts.Answers.Name, "name", "", "your name")
	fl.StringVar(&opts.Answers.UseCase, "use-case", "", "what the API will be used for")
	fl.StringVar(&opts.Answers.Tool, "tool", "", `the third-party tool that will use it, or "none"`)
	fl.StringVar(&opts.Answers.Timeline, "timeline", "", "when you need access")
	fl.BoolVar(&opts.Copy, "copy", false, "copy it to the clipboard")
	fl.StringVarP(&opts.OutFile, "out", "o", "", "write it to this new file")
	fl.BoolVar(&opts.Sent, "sent", false, "note that you have sent the request")
	return cmd
}

// emailRun composes the email from the flags and what is remembered,
// remembers the answers, and prints, copies or writes it (or notes it sent).
func emailRun(opts *EmailOptions) error {
	sess, err := opts.open()
	if err != nil {
		return err
	}
	defer sess.close()
	l := sess.link
	a, err := opts.answers(l)
	if err != nil {
		return err
	}
	if _, err := l.SaveAnswers(a); err != nil {
		fmt.Fprintln(opts.stderr, "Warning: could not remember the answers:", err)
	}
	if opts.Sent {
		if _, err := l.MarkRequested(time.Now()); err != nil {
			return withCode(exitUsage, err)
		}
		fmt.Fprintln(opts.stderr, "Noted that you sent the request. Run lattice-link once Lattice answers.")
		if missing := a.Clean().Missing(); len(missing) > 0 {
			// Noted anyway: the email may have been written by hand.
			fmt.Fprintf(opts.stderr, "Note: lattice-link's email still had these unanswered: %s. If what you sent had "+
				"its [placeholders], send it again with them filled in (see --help for the flags).\n", strings.Join(missing, ", "))
		}
		return nil
	}
	if err := opts.deliver(steps.ComposeEmail(a).Text()); err != nil {
		return err
	}
	if missing := a.Clean().Missing(); len(missing) > 0 {
		fmt.Fprintf(opts.stderr, "Still to answer: %s (see --help for the flags).\n", strings.Join(missing, ", "))
	}
	if opts.Copy || opts.OutFile != "" {
		fmt.Fprintln(opts.stderr, "Once you have sent it, run lattice-link email --sent, so the next run asks whether Lattice approved.")
	}
	return nil
}

// answers are the flags' answers, and the remembered ones for the flags
// not given.
func (opts *EmailOptions) answers(l *link.Link) (steps.Answers, error) {
	prof, _, err := l.Remembered()
	if err != nil {
		return steps.Answers{}, withCode(exitUsage, err)
	}
	a, remembered := opts.Answers, steps.Answers(prof.Answers)
	for flag, pair := range map[string][2]*string{
		"company": {&a.Company, &remembered.Company}, "name": {&a.Name, &remembered.Name},
		"use-case": {&a.UseCase, &remembered.UseCase}, "tool": {&a.Tool, &remembered.Tool},
		"timeline": {&a.Timeline, &remembered.Timeline},
	} {
		if !opts.Given[flag] {
			*pair[0] = *pair[1]
		}
	}
	return a, nil
}

// deliver puts the email where the flags say: the clipboard, a new file,
// or stdout.
func (opts *EmailOptions) deliver(text string) error {
	switch {
	case opts.Copy:
		msg, err := copyEverywhere(text)
		if errors.Is(err, errNoClipboard) {
			return withCode(exitUnreachable, err)
		}
		fmt.Fprintln(opts.stderr, msg)
	case opts.OutFile != "":
		out := opts.OutFile
		if err := config.WriteNewFile(out, []byte(text), 0o644); err != nil {
			if errors.Is(err, os.ErrExist) {
				return usageError("%s exists already (or is a link): nothing was written. Use another name, e.g. --out %q",
					sanitize.Line(out, 0), sanitize.Line(config.FreeName(out), 0))
			}
			return usageError("could not write the email to %s: %s. Nothing was written", sanitize.Line(out, 0), writeProblem(out, err))
		}
		fmt.Fprintf(opts.stderr, "Wrote the email to %s. Send it to %s.\n", sanitize.Line(out, 0), steps.AccessEmail)
	default:
		if _, err := io.WriteString(opts.out, text); err != nil {
			return err
		}
	}
	return nil
}

// writeProblem says why path could not be written, in words rather than
// Go's ("open x: no such file or directory").
func writeProblem(path string, err error) string {
	dir := filepath.Dir(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "there is no folder " + sanitize.Line(dir, 0) + ": create it, or name a file in a folder that exists"
	case errors.Is(err, fs.ErrPermission):
		return "you may not write in " + sanitize.Line(dir, 0) + ": name a file in a folder of yours"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return sanitize.Line(err.Error(), 200)
}
