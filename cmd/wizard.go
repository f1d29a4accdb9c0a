package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/plain"
	"github.com/lattice-link/lattice-link/steps"
	"github.com/lattice-link/lattice-link/wizard"
)

// runFaces runs the guide from start: the Bubble Tea wizard, or plain mode
// for screen readers, dumb terminals and output that is not a terminal.
func runFaces(cmd *cobra.Command, s *settings, start steps.ID) error {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return usageError("the wizard needs a terminal. Without one, use:\n" +
			"  lattice-link connect --key-stdin   check and store a key read from stdin\n" +
			"  lattice-link status                check the stored key\n" +
			"  lattice-link email                 print the request-access email")
	}
	sess, err := s.open(cmd)
	if err != nil {
		return err
	}
	defer sess.close()
	nc, demoLink, err := s.nangoClient(sess)
	if err != nil {
		return err
	}
	f := faceRun{cmd: cmd, s: s, sess: sess, nc: nc, demoLink: demoLink, start: start,
		ssh: os.Getenv("SSH_CONNECTION") != "" || os.Getenv("SSH_TTY") != ""}
	if s.plain || os.Getenv("TERM") == "dumb" || !term.IsTerminal(int(os.Stdout.Fd())) {
		return f.plain()
	}
	return f.wizard()
}

// faceRun is what either face is started with.
type faceRun struct {
	cmd      *cobra.Command
	s        *settings
	sess     *session
	nc       *nango.Client // nil without a Connect link
	demoLink string
	start    steps.ID
	ssh      bool
}

// envKeySet reports whether LATTICE_API_KEY is given for this run.
func envKeySet(s *settings) bool {
	_, ok := s.envKey()
	return ok
}

// cancelled is how a run the user stopped ends; the face has said so.
func cancelled() error {
	return &exitError{code: exitCancelled, err: errors.New("cancelled"), quiet: true}
}

// plain runs plain mode on this terminal.
func (f faceRun) plain() error {
	width, _, err := term.GetSize(int(os.Stdout.Fd()))
	if err != nil {
		width = 80
	}
	out := f.cmd.OutOrStdout()
	var done atomic.Bool      // a key was connected or handed over: ctrl+c after it is no cancel
	var stopLine atomic.Value // what ctrl+c prints: plain mode changes it at the home menu
	stopLine.Store(plain.StopLine(f.s.demo))
	defer stopOnInterrupt(os.Stdin, out, &stopLine, &done)()
	res, err := plain.Run(plain.Options{Start: f.start, StartOver: f.cmd.Flags().Changed("step"), Link: f.sess.link, DemoKeys: f.sess.demoKeys,
		Notice: f.sess.warning, SSH: f.ssh, In: os.Stdin, Out: out, Width: min(width, 100),
		Copy: copyEverywhere, OpenURL: openURL, Nango: f.nc, Keep: f.s.nango.keep, NangoDemo: f.demoLink,
		Done: func() { done.Store(true) }, EnvKey: envKeySet(f.s), Stopping: func(l string) { stopLine.Store(l) },
		ReadSecret: func(prompt string) (string, error) { return readSecret(os.Stdin, prompt, out) }})
	var ne *nango.Error
	switch {
	case errors.As(err, &ne):
		// Plain mode has said what went wrong and what to do.
		return &exitError{code: nangoExit(err), err: err, quiet: true}
	case err != nil:
		return usageError("%s", f.sess.link.Explain(err, 0, true))
	case res.Cancelled:
		return cancelled()
	}
	return nil
}

// envFingerprint is LATTICE_API_KEY's fingerprint when it is set, for the
// wizard to say that scripts get that key; "" when it is not.
func envFingerprint(s *settings) string {
	if k, ok := s.envKey(); ok {
		return lattice.Fingerprint(k)
	}
	return ""
}

// wizard runs the Bubble Tea wizard. Once its alternate screen is gone,
// one line says how it ended.
func (f faceRun) wizard() error {
	start := f.start
	var handoff *wizard.Handoff
	if f.nc != nil {
		handoff = &wizard.Handoff{Client: f.nc, Keep: f.s.nango.keep, DemoLink: f.demoLink}
		p, _, _ := f.sess.link.Remembered()
		if start == steps.GuideStart && !f.cmd.Flags().Changed("step") && p.Fingerprint == "" {
			// The user came with a link: the step that takes a key, the session
			// shown. With a key stored, the home screen offers to hand it over.
			start = steps.Connect
		}
	}
	ascii := asciiOnly()
	m := wizard.New(wizard.Options{Start: start, StartOver: f.cmd.Flags().Changed("step"), Link: f.sess.link, DemoKeys: f.sess.demoKeys, ASCII: ascii, SSH: f.ssh,
		NoColor: os.Getenv("NO_COLOR") != "",
		Notice:  f.sess.warning, OpenURL: openURL, CopyNative: copyNative, Nango: handoff, NangoURL: f.s.nango.url, Version: f.s.version,
		EnvKey: envFingerprint(f.s)})
	if _, err := tea.NewProgram(m, tea.WithContext(f.cmd.Context())).Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return err
	}
	if line := m.SummaryLines(); line != "" { // wrapped to the terminal's width, in ASCII when it wants that
		fmt.Fprintln(f.cmd.ErrOrStderr(), line)
	}
	if m.Result.Cancelled {
		return cancelled()
	}
	return nil
}

// stopOnInterrupt makes ctrl+c in plain mode end the run as q does: the
// terminal as it was (echo back on if the key prompt had turned it off),
// plain mode's last line and exit 130 — or, once a key was connected or
// handed over (done), exit 0: what the run came for is done. Plain mode's
// reads cannot be cancelled, so the run ends here rather than unwinding. It
// returns how to stop listening.
func stopOnInterrupt(in *os.File, out io.Writer, line *atomic.Value, done *atomic.Bool) (stop func()) {
	fd := int(in.Fd())
	state, _ := term.GetState(fd)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	finished := make(chan struct{})
	go func() {
		select {
		case <-sig:
			if state != nil {
				_ = term.Restore(fd, state)
			}
			if done.Load() {
				fmt.Fprintln(out)
				os.Exit(exitOK)
			}
			fmt.Fprintf(out, "\n%s\n", line.Load())
			os.Exit(exitCancelled)
		case <-finished:
		}
	}()
	return func() { signal.Stop(sig); close(finished) }
}

// asciiOnly says whether the terminal's locale rules out Unicode symbols:
// LC_ALL, then LC_CTYPE, then LANG decide, the first one set; C and POSIX
// are ASCII.
func asciiOnly() bool {
	if os.Getenv("LATTICE_LINK_ASCII") == "1" || os.Getenv("TERM") == "linux" {
		return true
	}
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := os.Getenv(name); v != "" {
			v = strings.ToLower(v)
			return !strings.Contains(v, "utf-8") && !strings.Contains(v, "utf8")
		}
	}
	return false
}
