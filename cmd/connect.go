package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// maxStdin is the most read from stdin; anything longer is not a key.
const maxStdin = 1 << 20

// ConnectOptions are connect's own flags (--nango, --nango-url and --keep
// are in the settings every face shares).
type ConnectOptions struct {
	KeyStdin bool // read the key from stdin, no screens
	Stored   bool // with --nango: hand over the stored key
	// AllowOwnerChange: with --key-stdin, a rotation may replace the key
	// with another person's, or with one no longer an admin's.
	AllowOwnerChange bool
}

// NewCmdConnect builds connect. runF, when set, runs instead of it.
func NewCmdConnect(f *Factory, runF func(*ConnectOptions) error) *cobra.Command {
	r, s := f.runner, f.settings
	opts := &ConnectOptions{}
	cmd := &cobra.Command{
		Use:   "connect",
		Short: "Check and store a key, or hand it to an app",
		Long: "Opens the wizard at the Connect step. With --key-stdin, reads a key\n" +
			"from stdin, checks it with Lattice and stores it, with no screens. A key\n" +
			"stored before is replaced (a rotation): then revoke the old one in Lattice.\n" +
			"A new key that is another person's, or no longer an admin's, replaces it\n" +
			"only with --allow-owner-change (the wizard and --plain ask instead); without\n" +
			"it nothing is stored and the exit code is 2.\n\n" +
			"With --nango LINK, the key goes to an app that uses Nango, through the\n" +
			"Connect link the app gave you: the link is read, the key is checked with\n" +
			"Lattice, and only a key Lattice accepted is handed to the app. In a\n" +
			"terminal the wizard shows whom the link is for; with --key-stdin or\n" +
			"--stored (the key stored here) there are no screens. The key is not\n" +
			"stored here unless --keep. The link is a credential: give it in\n" +
			"NANGO_CONNECT_LINK to keep it out of the process list and shell history.\n" +
			"--nango-url (NANGO_SERVER_URL) names a self-hosted Nango's API: a link\n" +
			"whose apiURL names another host than Nango Cloud or that one is refused\n" +
			"without a terminal (exit 2). --integration KEY picks among several\n" +
			"Lattice integrations.\n\n" +
			"Exit codes: 0 done; 1 Lattice rejected the key (nothing went to Nango);\n" +
			"2 a malformed link, flag or URL, a host to approve, an integration to\n" +
			"choose, an owner change to allow, an --api-url where something other\n" +
			"than Lattice answers; 3 no key stored (--stored); 4 Lattice could not\n" +
			"be reached or could not answer now (429, a server error); 5 the Connect\n" +
			"link or Nango failed (the message\n" +
			"says whether Lattice saw the key).",
		Example: "  lattice-link connect\n" +
			"  pass show lattice | lattice-link connect --key-stdin\n" +
			"  NANGO_CONNECT_LINK='https://connect…' lattice-link connect\n" +
			"  NANGO_CONNECT_LINK=… lattice-link connect --stored\n" +
			"  lattice-link --demo connect --nango demo",
		Args: r.noArgs,
		RunE: r.run(func(cmd *cobra.Command) error {
			if runF != nil {
				return runF(opts)
			}
			fromStdin, stored := opts.KeyStdin, opts.Stored
			_, toApp := s.nangoRaw()
			if opts.AllowOwnerChange && (!fromStdin || toApp) {
				return usageError("--allow-owner-change goes with --key-stdin, without --nango: it lets a rotation store " +
					"another person's key; the wizard and --plain ask instead")
			}
			if toApp {
				if !fromStdin && !stored && term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd())) && !s.plain {
					return runFaces(cmd, s, steps.Connect) // the wizard, with the session shown
				}
				return connectToNango(cmd, s, fromStdin, stored)
			}
			if stored {
				return usageError("--stored goes with --nango (or NANGO_CONNECT_LINK): it hands the stored key to an app")
			}
			if s.nango.keep {
				return usageError("--keep goes with --nango (or NANGO_CONNECT_LINK): a key handed to an app is not stored here unless --keep")
			}
			if fromStdin {
				return connectFromStdin(cmd, s, opts.AllowOwnerChange)
			}
			return runFaces(cmd, s, steps.Connect)
		}),
	}
	cmd.Flags().BoolVar(&opts.KeyStdin, "key-stdin", false, "read the key from stdin; no screens")
	s.nango.bind(cmd.Flags())
	cmd.Flags().BoolVar(&opts.Stored, "stored", false, "with --nango: hand over the stored key")
	cmd.Flags().BoolVar(&opts.AllowOwnerChange, "allow-owner-change", false,
		"with --key-stdin: allow a new owner, or losing admin")
	return cmd
}

// connectFromStdin checks a key read from stdin and stores it. It says what
// happened on stderr and never repeats what it read. A rotation that would
// change the key's owner, or drop admin, stores nothing unless allowed:
// there are no screens to ask on.
func connectFromStdin(cmd *cobra.Command, s *settings, allowOwnerChange bool) error {
	stderr := toTerminal(cmd.ErrOrStderr())
	raw, err := readKey(cmd.InOrStdin(), stderr)
	if err != nil {
		return withCode(exitUsage, err)
	}
	key, warn, err := lattice.NormalizeKey(raw)
	if err != nil {
		return withCode(exitUsage, err)
	}
	if warn {
		fmt.Fprintln(stderr, "Note: the key has characters Lattice keys do not usually have; checking it anyway.")
	}
	sess, err := s.open(cmd)
	if err != nil {
		return err
	}
	defer sess.close()
	l := sess.link
	old, err := l.Stored()
	if r := l.Repaired(); r != nil {
		fmt.Fprintln(stderr, "Note:", r.Words())
	}
	if err != nil {
		return withCode(exitUsage, errors.New(l.Explain(err, link.Stored, true)))
	}
	if old != "" && key == old {
		return alreadyStored(cmd, s, l, key)
	}
	fmt.Fprintf(stderr, "Checking the key with Lattice (%s)…\n", l.Client.Primary.Region.Label())
	ctx := withWaitLines(cmd.Context(), stderr)
	res, err := l.Connect(ctx, key, old, false)
	if p, ok := link.AsPending(err); ok {
		if !allowOwnerChange {
			return withCode(exitUsage, errors.New(ownerChangeRefused(p)))
		}
		res, err = l.Confirm(ctx, p, key, old)
	}
	if err != nil {
		msg := l.Explain(err, link.Piped, true)
		if lattice.KindOf(err) != 0 {
			msg += "\nNothing was stored."
		}
		return withCode(exitCode(err), errors.New(msg))
	}
	if res.StateErr != nil {
		fmt.Fprintln(stderr, "Warning:", res.StateErr)
	}
	if res.Doubt != nil {
		fmt.Fprintln(stderr, "Warning: the key is stored (read back just now), though the store reported:", res.Doubt)
	}
	if res.Identity.SwitchedRegion {
		fmt.Fprintf(stderr, "This key belongs to the %s region; it is remembered for this profile.\n",
			res.Identity.Endpoint.Region.Label())
	}
	u := res.Identity.User
	fmt.Fprintf(stderr, "Connected as %s.\n", ownerLine(u.Name, u.Email, u.IsAdmin))
	if res.StoreNote != "" {
		// The note says where the key is kept and why there: the place once.
		fmt.Fprintf(stderr, "Stored %s for profile %s.\n%s\n", res.Fingerprint, s.profile, res.StoreNote)
	} else {
		fmt.Fprintf(stderr, "Stored %s for profile %s in %s.\n", res.Fingerprint, s.profile, res.Where)
	}
	if res.Moved != nil {
		fmt.Fprintf(stderr, "The key it replaced was in %s; it is not kept there any more.\n", storeWhere(*res.Moved))
	}
	if w := res.OwnerChange(); w != "" {
		fmt.Fprintf(stderr, "Owner %s.\n", w)
	}
	switch old := lattice.Fingerprint(res.Old); {
	case res.OldRejected():
		fmt.Fprintf(stderr, "It replaced %s, which Lattice already rejected at its last check: nothing is left to revoke.\n", old)
	case res.Rotated():
		fmt.Fprintf(stderr, "It replaced %s: revoke that key in Lattice (%s).\n", old, link.KeysPage)
	}
	if !u.IsAdmin {
		fmt.Fprintln(stderr, "Warning: the key's owner is not a Lattice admin, and the key can do only what they can.")
	}
	return nil
}

// alreadyStored answers a re-run with the key already stored, as gh auth
// login --with-token does: checked again, and a success when Lattice still
// accepts it. Nothing is changed.
func alreadyStored(cmd *cobra.Command, s *settings, l *link.Link, key string) error {
	stderr := toTerminal(cmd.ErrOrStderr())
	where := l.Where()
	if i := strings.LastIndex(where, " ("); i > 0 {
		where = where[:i] // the path or the keyring, without how it is kept
	}
	fmt.Fprintf(stderr, "That key is already stored for profile %s, in %s; checking it with Lattice (%s)…\n",
		s.profile, where, l.Client.Primary.Region.Label())
	st := l.CheckStatus(cmd.Context(), key, false, false)
	if st.Err != nil {
		return withCode(exitCode(st.Err), errors.New(l.Explain(st.Err, link.Stored, true)))
	}
	u := st.Checked.Identity.User
	fmt.Fprintf(stderr, "Already stored and valid: %s, as %s. Nothing was changed.\n", st.Fingerprint, ownerLine(u.Name, u.Email, u.IsAdmin))
	return nil
}

// readKey reads the key from stdin: without echo from a terminal, else up
// to maxStdin bytes from a pipe.
// errEmptyStdin is --key-stdin's answer to a pipe that brought no key.
var errEmptyStdin = errors.New("no key was given: stdin was empty. Pipe in the key you copied from Lattice, " +
	"for example: pass show lattice | lattice-link connect --key-stdin")

func readKey(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		key, err := readSecret(f, "Paste your Lattice API key (it will not be shown), then press enter: ", prompt)
		if err != nil {
			return "", fmt.Errorf("could not read the key: %w", err)
		}
		return key, nil
	}
	b, err := io.ReadAll(io.LimitReader(in, maxStdin+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("could not read stdin: %w", err)
	case len(b) > maxStdin:
		return "", errors.New("stdin has more than 1 MiB, which is not an API key: pipe in only the key")
	case strings.TrimSpace(string(b)) == "":
		// Nothing was pasted: lattice's own words ask to paste.
		return "", errEmptyStdin
	}
	return string(b), nil
}

func ownerLine(name, email string, admin bool) string {
	s := link.Owner(name, email)
	if admin {
		return s + ", a Lattice admin"
	}
	return s + ", not an admin"
}

// ownerChangeRefused says why a rotation without a terminal stored nothing
// and how to allow it.
func ownerChangeRefused(p link.Pending) string {
	var b strings.Builder
	b.WriteString(p.Headline() + " Nothing was stored.\n")
	for _, f := range p.Facts(false) {
		fmt.Fprintf(&b, "  %-7s %s\n", f.Label, f.Value)
	}
	b.WriteString(p.OldPrint + " stays stored and works as before. To replace it with " + p.Fingerprint +
		" anyway, run again with --allow-owner-change (or run lattice-link connect in a terminal, which asks).")
	return b.String()
}
