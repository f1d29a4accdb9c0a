// Package cmd is lattice-link's command line: the root command (the
// wizard) and connect, status, token, logout and email, one file each, all
// over package link. main only calls Execute.
//
// Each command has gh's shape: an options struct that its flags fill in,
// and NewCmdX(f, runF), where runF, when not nil, is called with the
// options instead of the command's own run function, so tests can check
// what the flags parse to without running anything.
package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/fang"
	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/procguard"
	"github.com/lattice-link/lattice-link/steps"
)

// Factory is what every command is built from, as gh's cmdutil.Factory
// is: the settings all commands share (flags and environment) and the
// record of how the run ended.
type Factory struct {
	settings *settings
	runner   *runner
}

func newFactory(version string, secrets map[string]string) *Factory {
	return &Factory{settings: &settings{version: version, secrets: secrets}, runner: &runner{}}
}

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

// seam is a command's run function real, unless a test gave runF: then
// runF gets the options the flags filled in, and nothing is opened.
func seam[O any](r *runner, runF func(*O) error, opts *O, real func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	if runF == nil {
		return real
	}
	return r.run(func(*cobra.Command) error { return runF(opts) })
}

// mistyped are words people type for a command this tool names otherwise
// (the habits of gh, stripe and doctl), and what to type instead.
var mistyped = map[string]string{
	"version": "--version",
	"login":   "connect",
	"auth":    "connect",
	"init":    "connect",
}

// noCommandBeforeHelp records the root's usage error for help asked after
// a word that is no command (version --help): cobra would show the root's
// help and end with 0, though the word alone is refused.
func (r *runner) noCommandBeforeHelp(root *cobra.Command, args []string) bool {
	c, rest, err := root.Find(args)
	if err != nil || c != root {
		return false
	}
	root.InitDefaultHelpFlag()
	if root.ParseFlags(rest) != nil {
		return false
	}
	words := root.Flags().Args()
	if len(words) == 0 || words[0] == "help" {
		return false
	}
	_ = r.noArgs(root, words)
	return r.failure != nil
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
		if meant, ok := mistyped[args[0]]; ok {
			err = fmt.Errorf("unknown command %q: did you mean lattice-link %s?", args[0], meant)
		} else if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			err = fmt.Errorf("unknown command %q: did you mean lattice-link %s?", args[0], strings.Join(s, " or lattice-link "))
		}
	}
	//nolint:staticcheck // ST1005: this error is the message printed, its hint on a line of its own.
	r.failure = withCode(exitUsage, fmt.Errorf("%w\nRun %s --help to see what it takes", err, cmd.CommandPath()))
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
	f := newFactory(Version(), procguard.TakeSecrets())
	return execute(f, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// execute runs the command line args with the given streams and returns
// the exit code. A key or a Connect link among the arguments ends the run
// before anything else: it is never echoed, used or parsed.
func execute(f *Factory, args []string, in io.Reader, out, errOut io.Writer) int {
	stderr := colorprofile.NewWriter(errOut, os.Environ())
	if err := secretArgs(args); err != nil {
		printError(stderr, err)
		return exitUsage
	}
	if asksForHelp(args) {
		// Help is laid out to the terminal's width; piped, its lines keep
		// no padding.
		t := &trimmedLines{w: out, width: helpWidth(out)}
		defer t.Flush()
		out = t
	}
	root := NewCmdRoot(f, nil)
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	setUpCompletion(root, f.runner)
	setUpHelp(root, f.runner)
	hideUnusedFlags(root)
	if asksForHelp(args) && f.runner.noCommandBeforeHelp(root, args) {
		printError(stderr, f.runner.failure)
		return exitCode(f.runner.failure)
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		//nolint:staticcheck // ST1005: this error is the message printed, its hint on a line of its own.
		f.runner.failure = withCode(exitUsage, fmt.Errorf("%w\nRun %s --help to see what it takes", err, c.CommandPath()))
		return nil
	})
	err := fang.Execute(context.Background(), root, fang.WithVersion(versionText()), fang.WithoutManpage(),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) { printError(w, err) }))
	if err == nil && f.runner.failure != nil {
		err = f.runner.failure
		printError(stderr, err)
	}
	return exitCode(err)
}

// RootOptions are the root command's: the wizard, or plain mode.
type RootOptions struct {
	// Step is --step, the step to open at ("" for the start).
	Step string

	cmd *cobra.Command // its streams, context and flags, for the run
}

// NewCmdRoot builds lattice-link and its commands. runF, when set, runs
// instead of the guide.
func NewCmdRoot(f *Factory, runF func(*RootOptions) error) *cobra.Command {
	r, s := f.runner, f.settings
	opts := &RootOptions{}
	root := &cobra.Command{
		Use:   "lattice-link",
		Short: "Link Lattice: from no API access to a verified, safely stored API key",
		Long: "lattice-link walks a Lattice admin through the guide \"How do I link my\n" +
			"account?\": prerequisites, requesting API access, generating the key, SCIM,\n" +
			"and connecting, where the key is checked live with Lattice before it is\n" +
			"stored. --step opens at one of:\n" + strings.Join(steps.Names(), ", ") + ".\n\n" +
			"Flags and their environment variables apply to one run; only a key that\n" +
			"Lattice accepted changes what is remembered. LATTICE_LINK_PLAIN=1 is\n" +
			"--plain; plain mode is also chosen when TERM=dumb or output is no terminal.\n\n" +
			"A key is never taken as an argument: it would stay in the shell's history.\n" +
			"Paste it into the wizard, or pipe it to lattice-link connect --key-stdin.",
		Example: "  lattice-link\n" +
			"  lattice-link --demo\n" +
			"  lattice-link --plain --region emea\n" +
			"  lattice-link --version\n" +
			"  lattice-link man | man -l -",
		Args:          r.noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if r.failure == nil {
				r.failure = s.check()
			}
			if r.failure == nil && s.demo && demoless(cmd.Name()) {
				// The demo keeps nothing, so these would say no key is
				// stored while the real one is.
				r.failure = usageError("--demo keeps no key, so %s has nothing to use: run lattice-link --demo for the demo, "+
					"or lattice-link %s without --demo for the key stored here", cmd.Name(), cmd.Name())
			}
			return nil
		},
		RunE: r.run(func(cmd *cobra.Command) error {
			opts.cmd = cmd
			if runF != nil {
				return runF(opts)
			}
			return rootRun(s, opts)
		}),
	}
	s.bind(root)
	s.nango.bind(root.Flags())
	root.Flags().StringVar(&opts.Step, "step", "", "open at a step, e.g. connect")
	root.SuggestionsMinimumDistance = 2
	for flag, values := range map[string][]string{"step": steps.Names(), "region": {"us", "emea"}, "store": {"auto", "keyring", "file"}} {
		_ = root.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	}
	_ = root.RegisterFlagCompletionFunc("profile", completeProfiles)
	root.AddCommand(NewCmdConnect(f, nil), NewCmdStatus(f, nil), NewCmdToken(f, nil), NewCmdLogout(f, nil),
		NewCmdEmail(f, nil), newCmdMan(r, s.version))
	return root
}

// completeProfiles offers the profiles this machine knows of for --profile,
// never file names: a profile is no file.
func completeProfiles(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var names []string
	if dir, err := config.DefaultDir(); err == nil {
		names, _ = config.NewFolder(dir).Profiles()
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// demoless reports whether a command reads only the key stored here, which
// the demo never has.
func demoless(name string) bool { return name == "token" || name == "status" || name == "logout" }

// sharedFlagUsers are the shared flags that only some commands use, and
// those commands: --demo is refused where the demo has no key to use
// (demoless) and does nothing for man or completion; --plain picks a face;
// only a check with Lattice asks a region or a host; email never touches
// the key's store; man and completion use none of them.
var sharedFlagUsers = map[string][]string{
	"demo":    {"lattice-link", "connect", "email"},
	"plain":   {"lattice-link", "connect"},
	"region":  {"lattice-link", "connect", "status"},
	"api-url": {"lattice-link", "connect", "status"},
	"store":   {"lattice-link", "connect", "status", "token", "logout"},
	"profile": {"lattice-link", "connect", "status", "token", "logout", "email"},
}

// hideUnusedFlags keeps the shared flags a command does not use out of its
// help and its completions. Each is declared again on the command, hidden,
// over the same value: given anyway, it still reaches the refusal (--demo
// token) or does no harm (LATTICE_LINK_PLAIN=1 before a script's status).
// A command with commands of its own (completion) is left as it is: a flag
// of its own would add "[--flags]" to its line in the root's help, widening
// that column past 80; its commands (completion bash) get the hidden ones.
func hideUnusedFlags(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for name, users := range sharedFlagUsers {
			if !slices.Contains(users, c.Name()) && !c.HasSubCommands() && c.Flags().Lookup(name) == nil {
				hidden := *root.PersistentFlags().Lookup(name)
				hidden.Hidden = true
				c.Flags().AddFlag(&hidden)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	for _, c := range root.Commands() {
		walk(c)
	}
}

// setUpCompletion adds cobra's completion command, once the streams are
// set: it keeps the writer it finds.
func setUpCompletion(root *cobra.Command, r *runner) {
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Short = "Shell completion: bash, zsh, fish or powershell"
		c.Long = "Print a script that makes your shell complete lattice-link's commands, flags\n" +
			"and their values (--step, --region, --store). lattice-link completion SHELL\n" +
			"--help says how to load it."
		for _, shell := range c.Commands() {
			shell.Short = "The completion script for " + shell.Name()
			// cobra's text has markdown headings ("#### Linux:"), which help
			// would show as they are.
			shell.Long = strings.ReplaceAll(shell.Long, "#### ", "")
		}
		// Without this, cobra prints the help for an unknown shell and exits 0.
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				r.failure = usageError("lattice-link has no completion for %q: use bash, zsh, fish or powershell, "+
					"e.g. lattice-link completion bash", args[0])
			}
			return nil
		}
		c.RunE = r.run(func(cmd *cobra.Command) error { return cmd.Help() })
	}
}

// setUpHelp makes help on a command lattice-link does not have an error
// with the root's hint ("did you mean"), as the command itself would be:
// cobra prints the root's help and exits 0.
func setUpHelp(root *cobra.Command, r *runner) {
	root.InitDefaultHelpCmd()
	help, _, err := root.Find([]string{"help"})
	if err != nil || help == root {
		return
	}
	help.Hidden = true // as before: --help is the way the root's help names
	show := help.Run
	help.Run = func(c *cobra.Command, args []string) {
		if len(args) > 0 {
			if target, _, err := root.Find(args); err != nil || target == root {
				_ = r.noArgs(root, args)
				return
			}
		}
		show(c, args)
	}
}

// rootRun opens the guide at --step, or at its start.
func rootRun(s *settings, opts *RootOptions) error {
	start := steps.GuideStart
	if opts.Step != "" {
		st, err := steps.ByName(opts.Step)
		if err != nil {
			return usageError("%v", err)
		}
		start = st.ID
	}
	return runFaces(opts.cmd, s, start)
}

// asksForHelp reports whether args ask for help rather than a run.
func asksForHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "--help":
			return true
		}
	}
	return len(args) > 0 && args[0] == "help"
}

// trimmedLines passes lines on without the spaces at their ends, and
// wraps one wider than width (see hangWrap).
type trimmedLines struct {
	w     io.Writer
	line  []byte
	width int
}

func (t *trimmedLines) Write(p []byte) (int, error) {
	for _, b := range p {
		if b != '\n' {
			t.line = append(t.line, b)
			continue
		}
		if _, err := fmt.Fprintf(t.w, "%s\n", hangWrap(strings.TrimRight(string(t.line), " \t"), t.width)); err != nil {
			return 0, err
		}
		t.line = t.line[:0]
	}
	return len(p), nil
}

// Flush writes what is left of the last line.
func (t *trimmedLines) Flush() {
	if len(t.line) > 0 {
		fmt.Fprint(t.w, strings.TrimRight(string(t.line), " \t"))
		t.line = nil
	}
}
