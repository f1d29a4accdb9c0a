// lattice-link takes a Lattice admin from "no API access" to a verified,
// safely stored Lattice API key, and back again when the key is rotated.
//
// This file turns flags and environment into settings, builds the parts and
// runs them; the wizard itself is in wizard/, the guide in steps/, the API
// client in lattice/ and storage in config/.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/atotto/clipboard"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/fang"
	"github.com/cli/browser"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticetest"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
	"github.com/lattice-link/lattice-link/wizard"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes, as DESIGN.md gives them.
const (
	exitOK          = 0
	exitRejected    = 1
	exitUsage       = 2
	exitNoKey       = 3
	exitUnreachable = 4
	exitCancelled   = 130
)

// exitError carries an exit code; quiet ones have already said what went wrong.
type exitError struct {
	code  int
	err   error
	quiet bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// failure is how a command ended. Commands record it and return nil to
// cobra: fang asks the terminal for its background colour before it prints
// an error, and a terminal that never answers would hold every failing run
// for seconds.
var failure error

func main() {
	root := newRootCommand()
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		failure = &exitError{code: exitUsage, err: err}
		return nil
	})
	err := fang.Execute(context.Background(), root, fang.WithVersion(version), fang.WithErrorHandler(printError))
	if err == nil && failure != nil {
		err = failure
		printError(colorprofile.NewWriter(os.Stderr, os.Environ()), fang.Styles{}, err)
	}
	os.Exit(exitCode(err))
}

// run adapts a command's function to cobra, recording its failure.
func run(fn func(cmd *cobra.Command) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		if failure == nil {
			failure = fn(cmd)
		}
		return nil
	}
}

// noArgs refuses arguments, recording the usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if err := cobra.NoArgs(cmd, args); err != nil {
		failure = &exitError{code: exitUsage, err: err}
	}
	return nil
}

// printError says what went wrong on stderr, keeping the message's own
// lines: the messages say what to do next, often over several lines. w drops
// the colour where the terminal has none or NO_COLOR is set.
func printError(w io.Writer, _ fang.Styles, err error) {
	var e *exitError
	if errors.As(err, &e) && e.quiet {
		return
	}
	label := lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#FF5F87")).Render("Error:")
	fmt.Fprintln(w, label, sanitize.Text(err.Error(), 2000))
}

func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	switch lattice.KindOf(err) {
	case lattice.Rejected, lattice.Forbidden:
		return exitRejected
	case 0:
		return exitUsage // cobra's own errors: unknown flag, bad argument
	default:
		return exitUnreachable
	}
}

// settings are the options every command shares.
type settings struct {
	region  string
	apiURL  string
	profile string
	store   string
	plain   bool
	demo    bool

	interactive bool // the wizard runs: it shows warnings itself
}

func (s *settings) bind(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringVar(&s.region, "region", env("LATTICE_REGION", "us"), "Lattice region: us or emea ($LATTICE_REGION)")
	f.StringVar(&s.apiURL, "api-url", os.Getenv("LATTICE_API_URL"), "override the API host; https only, http for loopback ($LATTICE_API_URL)")
	f.StringVar(&s.profile, "profile", env("LATTICE_PROFILE", "default"), "keep several Lattice orgs apart ($LATTICE_PROFILE)")
	f.StringVar(&s.store, "store", env("LATTICE_LINK_STORE", "auto"), "where the key is kept: auto, keyring or file ($LATTICE_LINK_STORE)")
	f.BoolVar(&s.plain, "plain", os.Getenv("LATTICE_LINK_PLAIN") == "1", "line-by-line prompts, no animation, screen-reader friendly ($LATTICE_LINK_PLAIN=1)")
	f.BoolVar(&s.demo, "demo", false, "run against a built-in stand-in for Lattice: no network, nothing stored")
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// parts are what the settings build: the client, the store, the folder
// and its state.
type parts struct {
	client    *lattice.Client
	store     config.Store
	storeNote string // why the store is not the one asked for
	folder    *config.Folder
	state     *config.State
	warning   string // state.json was unreadable and set aside
	demoKeys  []wizard.DemoKey
	close     func()
}

func (p *parts) profile(s *settings) *config.Profile { return p.state.Profile(s.profile) }

// build turns the settings into parts. Without --region or --api-url, the
// profile's remembered region and host are used.
func (s *settings) build(cmd *cobra.Command) (*parts, error) {
	if s.profile == "" || strings.ContainsAny(s.profile, "/\\\x00") || len(s.profile) > 64 {
		return nil, usageError("--profile must be a plain name, like default or acme")
	}
	p := &parts{close: func() {}, state: &config.State{Version: config.StateVersion}}
	if s.demo {
		srv := latticetest.New()
		p.close = srv.Close
		s.apiURL = srv.URL
		p.store, p.demoKeys = config.NewMemory(), demoKeys()
	} else {
		dir, err := config.DefaultDir()
		if err != nil {
			return nil, usageError("%v", err)
		}
		p.folder = config.NewFolder(dir)
		if p.state, p.warning, err = p.folder.LoadState(); err != nil {
			return nil, usageError("%v", err)
		}
		if p.warning != "" && !s.interactive { // the wizard shows it on screen
			fmt.Fprintln(cmd.ErrOrStderr(), "Warning:", p.warning)
		}
		remembered := p.profile(s)
		if !explicit(cmd, "region", "LATTICE_REGION") && remembered.Region != "" {
			s.region = remembered.Region
		}
		if !explicit(cmd, "api-url", "LATTICE_API_URL") && remembered.APIURL != "" {
			s.apiURL = remembered.APIURL
		}
		if p.store, p.storeNote, err = config.OpenStore(s.store, remembered.Store, p.folder, nil); err != nil {
			return nil, usageError("%v (or set LATTICE_LINK_STORE)", err)
		}
	}
	region, err := lattice.ParseRegion(s.region)
	if err != nil {
		p.close()
		return nil, usageError("%v", err)
	}
	if p.client, err = lattice.New(lattice.Options{Region: region, APIURL: s.apiURL, Version: version}); err != nil {
		p.close()
		return nil, usageError("%v", err)
	}
	return p, nil
}

// explicit reports whether a flag was given, on the command line or in its
// environment variable.
func explicit(cmd *cobra.Command, flag, envName string) bool {
	return cmd.Flags().Changed(flag) || os.Getenv(envName) != ""
}

func demoKeys() []wizard.DemoKey {
	return []wizard.DemoKey{
		{Key: latticetest.KeyAdmin, What: "works: an admin, SCIM on"},
		{Key: latticetest.KeyMember, What: "works, but not an admin"},
		{Key: latticetest.KeySCIMOff, What: "works; SCIM not enabled"},
		{Key: latticetest.KeyRevoked, What: "revoked (401)"},
		{Key: latticetest.KeyForbidden, What: "forbidden (403)"},
		{Key: latticetest.KeySlow, What: "slow: answers in 3 s"},
		{Key: latticetest.KeyRateLimited, What: "rate-limited once (429)"},
		{Key: latticetest.KeyFlaky, What: "a server error, then works"},
	}
}

func newRootCommand() *cobra.Command {
	s := &settings{}
	var stepName string
	root := &cobra.Command{
		Use:   "lattice-link",
		Short: "Link Lattice: from no API access to a verified, safely stored API key",
		Long: "lattice-link walks a Lattice admin through Lattice's \"How do I link my account?\" guide:\n" +
			"prerequisites, requesting API access, generating the key, SCIM, and connecting,\n" +
			"where the key is checked live with Lattice before it is stored.",
		Example: "  lattice-link\n" +
			"  lattice-link --demo\n" +
			"  lattice-link --plain --region emea",
		Args: noArgs,
		RunE: run(func(cmd *cobra.Command) error {
			start := steps.Prerequisites
			if stepName != "" {
				st, err := steps.ByName(stepName)
				if err != nil {
					return usageError("%v", err)
				}
				start = st.ID
			}
			return runWizard(cmd, s, start)
		}),
	}
	s.bind(root)
	root.Flags().StringVar(&stepName, "step", "", "open the wizard at a step: "+strings.Join(steps.Names(), ", "))

	root.AddCommand(connectCommand(s), statusCommand(s), tokenCommand(s), logoutCommand(s), emailCommand(s))
	return root
}

func runWizard(cmd *cobra.Command, s *settings, start steps.ID) error {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return usageError("the wizard needs a terminal. Without one, use:\n" +
			"  lattice-link connect --key-stdin   check and store a key read from stdin\n" +
			"  lattice-link status                check the stored key\n" +
			"  lattice-link email                 print the request-access email")
	}
	s.interactive = true
	p, err := s.build(cmd)
	if err != nil {
		return err
	}
	defer p.close()
	stored, err := p.store.Get(s.profile)
	if err != nil && !errors.Is(err, config.ErrNoKey) {
		return &exitError{code: exitUsage, err: err}
	}

	opts := wizard.Options{
		Start:      start,
		Client:     p.client,
		Store:      p.store,
		StoredKey:  stored,
		StoreNote:  p.storeNote,
		Notice:     p.warning,
		Folder:     p.folder,
		State:      p.state,
		Profile:    s.profile,
		Demo:       s.demo,
		DemoKeys:   p.demoKeys,
		ASCII:      asciiOnly(),
		SSH:        os.Getenv("SSH_CONNECTION") != "" || os.Getenv("SSH_TTY") != "",
		OpenURL:    openURL,
		CopyNative: copyNative,
	}
	var result wizard.Result
	if s.plain || os.Getenv("TERM") == "dumb" || !term.IsTerminal(int(os.Stdout.Fd())) {
		width, _, err := term.GetSize(int(os.Stdout.Fd()))
		if err != nil {
			width = 80
		}
		opts.ASCII = true
		result, err = wizard.RunPlain(opts, wizard.PlainIO{
			In: os.Stdin, Out: cmd.OutOrStdout(), Width: min(width, 100), Copy: copyEverywhere,
			ReadSecret: func() (string, error) {
				b, err := term.ReadPassword(int(os.Stdin.Fd()))
				return string(b), err
			},
		})
		if err != nil {
			return err
		}
	} else {
		m := wizard.New(opts)
		if _, err := tea.NewProgram(m, tea.WithContext(cmd.Context())).Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			return err
		}
		result = m.Result
	}
	if result.Cancelled {
		return &exitError{code: exitCancelled, err: errors.New("cancelled"), quiet: true}
	}
	return nil
}

// asciiOnly says whether the terminal's locale rules out Unicode symbols.
func asciiOnly() bool {
	if os.Getenv("LATTICE_LINK_ASCII") == "1" || os.Getenv("TERM") == "linux" {
		return true
	}
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := os.Getenv(name); v != "" {
			v = strings.ToLower(v)
			return !strings.Contains(v, "utf-8") && !strings.Contains(v, "utf8") && v != "c" && v != "posix"
		}
	}
	return false
}

func openURL(url string) error {
	browser.Stdout, browser.Stderr = io.Discard, io.Discard // keep the screen clean
	return browser.OpenURL(url)
}

// copyNative writes the machine's own clipboard, giving up after a second:
// the tools behind it (xclip, wl-copy, pbcopy) can hang without a display.
func copyNative(text string) error {
	if clipboard.Unsupported {
		return errors.New("no clipboard tool on this machine")
	}
	done := make(chan error, 1)
	go func() { done <- clipboard.WriteAll(text) }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("the clipboard tool did not answer within a second")
	}
}
