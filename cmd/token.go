package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
)

// TokenOptions are token's flags: it has none of its own.
type TokenOptions struct{}

// NewCmdToken builds token. runF, when set, runs instead of it.
func NewCmdToken(f *Factory, runF func(*TokenOptions) error) *cobra.Command {
	r, s := f.runner, f.settings
	opts := &TokenOptions{}
	return &cobra.Command{
		Use:   "token",
		Short: "Print the stored key, for scripts",
		Long: "Print the stored key (or LATTICE_API_KEY, when set) for a script or a\n" +
			"program to read. The key is never shown on screen: when the output is\n" +
			"a terminal, token refuses (exit 2). Pipe it into the program that needs\n" +
			"it, or capture it with $(lattice-link token).\n\n" +
			"Exit codes: 0 printed; 2 the output is a terminal, or a bad flag; 3 no\n" +
			"key is stored.",
		Example: "  key=$(lattice-link token)\n" +
			`  curl -H "Authorization: Bearer $key" https://api.latticehq.com/v1/me`,
		Args: r.noArgs,
		RunE: seam(r, runF, opts, r.run(func(cmd *cobra.Command) error {
			if isTerminal(cmd.OutOrStdout()) {
				return errTokenOnScreen
			}
			sess, err := s.open(cmd)
			if err != nil {
				return err
			}
			defer sess.close()
			return printToken(cmd, s, sess)
		})),
	}
}

// errTokenOnScreen refuses to print the key where it would be seen: on a
// terminal it stays on screen and in the scrollback.
var errTokenOnScreen = usageError("token prints the key in full, and its output here is the terminal: the key would stay " +
	"on screen and in the scrollback. Pipe it into the program that needs it (lattice-link token | program), " +
	"or capture it: key=$(lattice-link token)")

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// printToken prints the key token is for.
func printToken(cmd *cobra.Command, s *settings, sess *session) error {
	key, fromEnv, err := s.keyFor(sess.link)
	if r := sess.link.Repaired(); r != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "Note:", r.Words())
	}
	if err != nil {
		return err
	}
	if fromEnv {
		fmt.Fprintln(cmd.ErrOrStderr(), "Using LATTICE_API_KEY from the environment, not the stored key.")
	}
	_, err = fmt.Fprintln(cmd.OutOrStdout(), key)
	return err
}

// keyFor is the key status and token use: LATTICE_API_KEY when set (the
// store is then never opened, so no keyring is touched), else the stored one.
func (s *settings) keyFor(l *link.Link) (key string, fromEnv bool, err error) {
	if v, ok := s.envKey(); ok {
		k, _, nerr := lattice.NormalizeKey(v)
		if nerr != nil {
			return "", true, usageError("LATTICE_API_KEY: %v", nerr)
		}
		return k, true, nil
	}
	f, err := l.Lookup()
	k := f.Key
	switch {
	case err != nil:
		return "", false, withCode(exitUsage, errors.New(l.Explain(err, link.Stored, true)))
	case k == "":
		return "", false, withCode(exitNoKey, fmt.Errorf("no Lattice key is stored for profile %q: run %s to connect one", s.profile, l.Command("")))
	}
	return k, false, nil
}
