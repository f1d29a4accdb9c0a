package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
)

func emailCommand(r *runner, s *settings) *cobra.Command {
	var a steps.Answers
	var copyIt, sent bool
	var out string
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
		RunE: r.withSession(s, func(cmd *cobra.Command, sess *session) error {
			l := sess.link
			prof, _, err := l.Remembered()
			if err != nil {
				return withCode(exitUsage, err)
			}
			remembered := steps.Answers(prof.Answers)
			for flag, pair := range map[string][2]*string{
				"company": {&a.Company, &remembered.Company}, "name": {&a.Name, &remembered.Name},
				"use-case": {&a.UseCase, &remembered.UseCase}, "tool": {&a.Tool, &remembered.Tool},
				"timeline": {&a.Timeline, &remembered.Timeline},
			} {
				if !cmd.Flags().Changed(flag) {
					*pair[0] = *pair[1]
				}
			}
			stderr := cmd.ErrOrStderr()
			if err := l.SaveAnswers(a); err != nil {
				fmt.Fprintln(stderr, "Warning: could not remember the answers:", err)
			}
			if sent {
				if err := l.MarkRequested(time.Now()); err != nil {
					return withCode(exitUsage, err)
				}
				fmt.Fprintln(stderr, "Noted that you sent the request. Run lattice-link once Lattice answers.")
				return nil
			}
			text := steps.ComposeEmail(a).Text()
			switch {
			case copyIt:
				msg, err := copyEverywhere(text)
				if errors.Is(err, errNoClipboard) {
					return withCode(exitUnreachable, err)
				}
				fmt.Fprintln(stderr, msg)
			case out != "":
				if err := config.WriteNewFile(out, []byte(text), 0o644); err != nil {
					if errors.Is(err, os.ErrExist) {
						return usageError("%s exists already (or is a link): nothing was written. Use another name, e.g. --out %q",
							sanitize.Line(out, 0), sanitize.Line(config.FreeName(out), 0))
					}
					return usageError("could not write the email: %v", err)
				}
				fmt.Fprintf(stderr, "Wrote the email to %s. Send it to %s.\n", sanitize.Line(out, 0), steps.AccessEmail)
			default:
				if _, err := io.WriteString(cmd.OutOrStdout(), text); err != nil {
					return err
				}
			}
			if missing := a.Clean().Missing(); len(missing) > 0 {
				fmt.Fprintf(stderr, "Still to answer: %s (see --help for the flags).\n", strings.Join(missing, ", "))
			}
			if copyIt || out != "" {
				fmt.Fprintln(stderr, "Once you have sent it, run lattice-link email --sent, so the next run asks whether Lattice approved.")
			}
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&a.Company, "company", "", "your company's name")
	f.StringVar(&a.Name, "name", "", "your name")
	f.StringVar(&a.UseCase, "use-case", "", "what the API will be used for")
	f.StringVar(&a.Tool, "tool", "", `the third-party tool that will use it, or "none"`)
	f.StringVar(&a.Timeline, "timeline", "", "when you need access")
	f.BoolVar(&copyIt, "copy", false, "copy it to the clipboard")
	f.StringVarP(&out, "out", "o", "", "write it to this new file")
	f.BoolVar(&sent, "sent", false, "note that you have sent the request")
	return cmd
}
