package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/plain"
	"github.com/lattice-link/lattice-link/steps"
	"github.com/lattice-link/lattice-link/wizard"
)

// runFaces runs the guide from start: the Bubble Tea wizard, or plain mode
// for screen readers, dumb terminals and output that is not a terminal.
// Once the wizard's alternate screen is gone, one line says how it ended.
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
	ascii := asciiOnly()
	ssh := os.Getenv("SSH_CONNECTION") != "" || os.Getenv("SSH_TTY") != ""

	if s.plain || os.Getenv("TERM") == "dumb" || !term.IsTerminal(int(os.Stdout.Fd())) {
		width, _, err := term.GetSize(int(os.Stdout.Fd()))
		if err != nil {
			width = 80
		}
		defer stopOnInterrupt(os.Stdin, cmd.OutOrStdout())()
		res, err := plain.Run(plain.Options{Start: start, Link: sess.link, DemoKeys: sess.demoKeys,
			Notice: sess.warning, SSH: ssh, In: os.Stdin, Out: cmd.OutOrStdout(), Width: min(width, 100),
			Copy: copyEverywhere, OpenURL: openURL, Nango: nc, Keep: s.nango.keep, NangoDemo: demoLink,
			ReadSecret: func(prompt string) (string, error) {
				return readSecret(os.Stdin, prompt, cmd.OutOrStdout())
			}})
		var ne *nango.Error
		switch {
		case errors.As(err, &ne):
			// Plain mode has said what went wrong and what to do.
			return &exitError{code: nangoExit(err), err: err, quiet: true}
		case err != nil:
			return usageError("%s", sess.link.Explain(err, 0, true))
		}
		if res.Cancelled {
			return &exitError{code: exitCancelled, err: errors.New("cancelled"), quiet: true}
		}
		return nil
	}

	var handoff *wizard.Handoff
	if nc != nil {
		handoff = &wizard.Handoff{Client: nc, Keep: s.nango.keep, DemoLink: demoLink}
		p, _, _ := sess.link.Remembered()
		if start == steps.GuideStart && !cmd.Flags().Changed("step") && p.Fingerprint == "" {
			// The user came with a link: the step that takes a key, the session
			// shown. With a key stored, the home screen offers to hand it over.
			start = steps.Connect
		}
	}
	m := wizard.New(wizard.Options{Start: start, Link: sess.link, DemoKeys: sess.demoKeys, ASCII: ascii, SSH: ssh,
		Notice: sess.warning, OpenURL: openURL, CopyNative: copyNative, Nango: handoff, NangoURL: s.nango.url, Version: s.version})
	if _, err := tea.NewProgram(m, tea.WithContext(cmd.Context())).Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return err
	}
	if line := m.Result.Summary; line != "" {
		if ascii {
			line = wizard.ASCII(line)
		}
		fmt.Fprintln(cmd.ErrOrStderr(), line)
	}
	if m.Result.Cancelled {
		return &exitError{code: exitCancelled, err: errors.New("cancelled"), quiet: true}
	}
	return nil
}

// stopOnInterrupt makes ctrl+c in plain mode end the run as q does: the
// terminal as it was (echo back on if the key prompt had turned it off),
// plain mode's last line, exit 130. Plain mode's reads cannot be
// cancelled, so the run ends here rather than unwinding. It returns how to
// stop listening.
func stopOnInterrupt(in *os.File, out io.Writer) (stop func()) {
	fd := int(in.Fd())
	state, _ := term.GetState(fd)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			if state != nil {
				_ = term.Restore(fd, state)
			}
			fmt.Fprintf(out, "\n%s\n", plain.Stopped)
			os.Exit(exitCancelled)
		case <-done:
		}
	}()
	return func() { signal.Stop(sig); close(done) }
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
