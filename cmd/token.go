package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

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
		Example: "  key=$(lattice-link token)\n" +
			`  curl -H "Authorization: Bearer $key" https://api.latticehq.com/v1/me`,
		Args: r.noArgs,
		RunE: seam(r, runF, opts, r.withSession(s, func(cmd *cobra.Command, sess *session) error {
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
		})),
	}
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
		return "", false, withCode(exitNoKey, fmt.Errorf("no Lattice key is stored for profile %q: run lattice-link to connect one", s.profile))
	}
	return k, false, nil
}
