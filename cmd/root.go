// Package cmd is lattice-link's command line: the root command (the
// wizard) and connect, status, token, logout and email, one file each, all
// over package link. main only calls Execute.
package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/fang"
	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/procguard"
	"github.com/lattice-link/lattice-link/steps"
)

// runner records how a command ended. Commands record their failure and
// return nil to cobra: fang asks the terminal for its background colour
// before it prints an error, and a terminal that never answers would hold
// every failing run for seconds.
type runner struct{ failure error }

// run adapts a command's function to cobra, recording its failure.
func (r *runner) run(fn func(cmd *cobra.Command) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		if r.failure == nil {
			r.failure = fn(cmd)
		}
		return nil
	}
}

// withSession is run for a command that needs the link: it opens the
// session for the settings and closes it afterwards.
func (r *runner) withSession(s *settings, fn func(cmd *cobra.Command, sess *session) error) func(*cobra.Command, []string) error {
	return r.run(func(cmd *cobra.Command) error {
		sess, err := s.open(cmd)
		if err != nil {
			return err
		}
		defer sess.close()
		return fn(cmd, sess)
	})
}

// noArgs refuses arguments, recording the usage error.
// On the root, an argument is a mistyped command: say which one was meant.
func (r *runner) noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	err := fmt.Errorf("%s takes no arguments, and %q is not one of its commands", cmd.CommandPath(), args[0])
	if !cmd.HasParent() {
		err = fmt.Errorf("unknown command %q", args[0])
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			err = fmt.Errorf("unknown command %q: did you mean %s?", args[0], strings.Join(s, " or "))
		}
	}
	r.failure = withCode(exitUsage, fmt.Errorf("%w\nRun %s --help to see what it takes.", err, cmd.CommandPath()))
	return nil
}

// Execute runs the command line and returns the exit code.
func Execute() int {
	notes, err := procguard.Prepare()
	if err != nil {
		printError(colorprofile.NewWriter(os.Stderr, os.Environ()), usageError("%v", err))
		return exitUsage
	}
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "Note:", n)
	}
	secrets := procguard.TakeSecrets()
	r := &runner{}
	root := newRoot(r, &settings{version: Version(), secrets: secrets})
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		r.failure = withCode(exitUsage, err)
		return nil
	})
	err = fang.Execute(context.Background(), root, fang.WithVersion(versionText()),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) { printError(w, err) }))
	if err == nil && r.failure != nil {
		err = r.failure
		printError(colorprofile.NewWriter(os.Stderr, os.Environ()), err)
	}
	return exitCode(err)
}

func newRoot(r *runner, s *settings) *cobra.Command {
	var stepName string
	root := &cobra.Command{
		Use:   "lattice-link",
		Short: "Link Lattice: from no API access to a verified, safely stored API key",
		Long: "lattice-link walks a Lattice admin through the guide \"How do I link my\n" +
			"account?\": prerequisites, requesting API access, generating the key, SCIM,\n" +
			"and connecting, where the key is checked live with Lattice before it is\n" +
			"stored. --step opens at " + strings.Join(steps.Names(), ", ") + ".\n\n" +
			"Flags and their environment variables apply to one run; only a key that\n" +
			"Lattice accepted changes what is remembered. LATTICE_LINK_PLAIN=1 is\n" +
			"--plain; plain mode is also chosen when TERM=dumb or output is no terminal.",
		Example: "  lattice-link\n" +
			"  lattice-link --demo\n" +
			"  lattice-link --plain --region emea",
		Args:          r.noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: r.run(func(cmd *cobra.Command) error {
			start := steps.GuideStart
			if stepName != "" {
				st, err := steps.ByName(stepName)
				if err != nil {
					return usageError("%v", err)
				}
				start = st.ID
			}
			return runFaces(cmd, s, start)
		}),
	}
	s.bind(root)
	s.nango.bind(root.Flags())
	root.Flags().StringVar(&stepName, "step", "", "open at a step, e.g. connect")
	root.SuggestionsMinimumDistance = 2
	root.AddCommand(connectCommand(r, s), statusCommand(r, s), tokenCommand(r, s), logoutCommand(r, s), emailCommand(r, s))
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Short = "Shell completion: bash, zsh, fish or powershell"
	}
	return root
}
