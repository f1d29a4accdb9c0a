package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/link"
)

// LogoutOptions are logout's flags: it has none of its own.
type LogoutOptions struct{}

// NewCmdLogout builds logout. runF, when set, runs instead of it.
func NewCmdLogout(f *Factory, runF func(*LogoutOptions) error) *cobra.Command {
	r, s := f.runner, f.settings
	opts := &LogoutOptions{}
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the stored key (revoke it in Lattice too)",
		Long: "Forgets the profile's key, from every store that holds one (the OS keyring\n" +
			"and the file), and says which. The key still works until you revoke it in\n" +
			"Lattice.",
		Args: r.noArgs,
		RunE: seam(r, runF, opts, r.withSession(s, func(cmd *cobra.Command, sess *session) error {
			l := sess.link
			stderr := cmd.ErrOrStderr()
			found, err := l.Lookup()
			if r := l.Repaired(); r != nil {
				fmt.Fprintln(stderr, "Note:", r.Words())
			}
			if _, ok := s.envKey(); ok { // logout cannot unset it, and status and token would go on using it
				defer fmt.Fprintln(stderr, "LATTICE_API_KEY is still set here: status and token use it until you unset it.")
			}
			var two *config.TwoKeysError
			var res link.Forgotten
			switch {
			case errors.As(err, &two):
				res, err = l.ForgetEverywhere()
			case err != nil:
				return withCode(exitUsage, errors.New(l.Explain(err, link.Stored, true)))
			case found.Key == "":
				return withCode(exitNoKey, fmt.Errorf("no Lattice key is stored for profile %q", s.profile))
			default:
				res, err = l.Forget(found.Key)
			}
			if err != nil {
				return withCode(exitUsage, errors.New(l.Explain(err, link.Stored, true)))
			}
			if len(res.Cleared) > 1 {
				fmt.Fprintf(stderr, "Forgot %d keys of profile %s:\n", len(res.Cleared), s.profile)
				for _, p := range res.Cleared {
					fmt.Fprintf(stderr, "  %s, from %s\n", p.Fingerprint, storeWhere(p))
				}
				fmt.Fprintf(stderr, "They still work until you revoke them in Lattice (%s).\n", link.KeysPage)
				return nil
			}
			from := ""
			if len(res.Cleared) == 1 {
				from = ", from " + storeWhere(res.Cleared[0])
			}
			fmt.Fprintf(stderr, "Forgot the key %s of profile %s%s.\n", res.Fingerprint, s.profile, from)
			if res.Before.CheckResult == "rejected" && res.Before.Fingerprint == res.Fingerprint {
				fmt.Fprintln(stderr, "Lattice had already stopped accepting it at the last check.")
			} else {
				fmt.Fprintf(stderr, "It still works until you revoke it in Lattice (%s).\n", link.KeysPage)
			}
			if w := link.UnrevokedWords(res.Before); w != "" {
				fmt.Fprintln(stderr, w)
			}
			if res.StateErr != nil {
				fmt.Fprintln(stderr, "Warning:", res.StateErr)
			}
			return nil
		})),
	}
}

// storeWhere names a store for people: the keyring, or the file's path.
func storeWhere(p config.Place) string {
	if p.Kind == config.KeyringStore {
		return "the OS keyring"
	}
	return p.Where
}
