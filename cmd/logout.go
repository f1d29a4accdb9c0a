package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/link"
)

func logoutCommand(r *runner, s *settings) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the stored key (revoke it in Lattice too)",
		Args:  r.noArgs,
		RunE: r.withSession(s, func(cmd *cobra.Command, sess *session) error {
			l := sess.link
			key, err := l.Stored()
			if err != nil {
				return withCode(exitUsage, err)
			}
			if key == "" {
				return withCode(exitNoKey, fmt.Errorf("no Lattice key is stored for profile %q", s.profile))
			}
			before, _, _ := l.Remembered()
			res, err := l.Forget(key)
			if err != nil {
				return withCode(exitUsage, err)
			}
			stderr := cmd.ErrOrStderr()
			fmt.Fprintf(stderr, "Forgot the key %s (profile %s).\n", res.Fingerprint, s.profile)
			if before.CheckResult == "rejected" && before.Fingerprint == res.Fingerprint {
				fmt.Fprintln(stderr, "Lattice had already stopped accepting it at the last check.")
			} else {
				fmt.Fprintf(stderr, "It still works until you revoke it in Lattice (%s).\n", link.KeysPage)
			}
			return nil
		}),
	}
}
