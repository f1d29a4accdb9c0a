package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/link"
)

// statusJSON is what status --json prints for a profile, always with every
// field (README: "status --json"): null where nothing is known, such as
// checked_at when nothing was checked, user unless Lattice accepted the
// key, and scim unless --scim asked for it.
type statusJSON struct {
	Profile     string        `json:"profile"`
	Region      string        `json:"region"`
	APIURL      string        `json:"api_url"`
	Store       *string       `json:"store"`       // keyring, file, memory, env (LATTICE_API_KEY); null with no key
	Fingerprint *string       `json:"fingerprint"` // null with no key, as the other unknowns
	Valid       bool          `json:"valid"`
	Status      string        `json:"status"`
	User        *userJSON     `json:"user"`
	SCIM        *scimJSON     `json:"scim"`
	CheckedAt   *time.Time    `json:"checked_at"`
	CreatedAt   *time.Time    `json:"created_at"`
	AgeDays     *int          `json:"age_days"`
	RotationDue bool          `json:"rotation_due"`
	Nango       []handoffJSON `json:"nango"`
	// ToRevoke are the keys rotations replaced that Lattice has not been
	// seen to reject: they may still work until revoked in Lattice.
	ToRevoke []revokeJSON `json:"to_revoke"`
	// OthersWithKey are the other profiles holding a key, when this one has none.
	OthersWithKey []string `json:"others_with_key"`
}

// handoffJSON is one hand-off to an app through Nango, as state.json
// remembers it: never the session token, never the key.
type handoffJSON struct {
	Host         string    `json:"host"`
	Integration  string    `json:"integration"`
	ConnectionID string    `json:"connection_id"`
	Action       string    `json:"action"` // created or updated
	At           time.Time `json:"at"`
	Fingerprint  string    `json:"fingerprint,omitempty"`
}

// revokeJSON is a replaced key still to revoke, and since when it was replaced.
type revokeJSON struct {
	Fingerprint string    `json:"fingerprint"`
	Since       time.Time `json:"since"`
}

// toRevokeJSON lists the keys link.Unrevoked names, each with the time of
// the rotation that first replaced it.
func toRevokeJSON(p config.Profile) []revokeJSON {
	out := []revokeJSON{}
	for _, fp := range link.Unrevoked(p) {
		i := slices.IndexFunc(p.Rotations, func(r config.Rotation) bool { return r.From == fp && !r.Revoked })
		out = append(out, revokeJSON{Fingerprint: fp, Since: p.Rotations[i].At})
	}
	return out
}

func handoffsJSON(list []config.Handoff) []handoffJSON {
	out := []handoffJSON{}
	for _, h := range list {
		out = append(out, handoffJSON{Host: h.Host, Integration: h.Integration, ConnectionID: h.ConnectionID,
			Action: h.Action(), At: h.At, Fingerprint: h.Fingerprint})
	}
	return out
}

// printHandoffs lists the hand-offs to apps through Nango, newest first.
func printHandoffs(w io.Writer, list []config.Handoff) {
	if len(list) == 0 {
		return
	}
	fmt.Fprintln(w, "  Nango    handed to apps (newest first):")
	for i := len(list) - 1; i >= 0; i-- {
		h := list[i]
		fmt.Fprintf(w, "           %s  connection %s %s, integration %s at %s, key %s\n",
			h.At.Local().Format("2006-01-02 15:04"), h.ConnectionID, h.Action(), h.Integration, h.Host, h.Fingerprint)
	}
}

type userJSON struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	IsAdmin bool   `json:"is_admin"`
}

type scimJSON struct {
	Checked bool   `json:"checked"`
	Enabled bool   `json:"enabled"`
	Status  int    `json:"status,omitempty"`
	Error   string `json:"error,omitempty"`
}

// StatusOptions are status's flags.
type StatusOptions struct{ JSON, SCIM, All bool }

// NewCmdStatus builds status. runF, when set, runs instead of it.
func NewCmdStatus(f *Factory, runF func(*StatusOptions) error) *cobra.Command {
	r, s := f.runner, f.settings
	opts := &StatusOptions{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Check the stored key with Lattice, now",
		Long: "Checks the stored key (or LATTICE_API_KEY) live with Lattice, and lists\n" +
			"the keys handed to apps through Nango (connect --nango). With --all,\n" +
			"every profile that has a key or a record here (--json: a list).\n\n" +
			"Exit codes: 0 valid, 1 rejected, 2 a usage error (such as an --api-url\n" +
			"where something other than Lattice answers), 3 no key stored, 4 Lattice\n" +
			"could not be reached or could not answer now (429, a server error).",
		Args: r.noArgs,
		RunE: r.run(func(cmd *cobra.Command) error {
			if runF != nil {
				return runF(opts)
			}
			asJSON, scim := opts.JSON, opts.SCIM
			if opts.All {
				return statusAll(cmd, s, asJSON, scim)
			}
			sess, err := s.open(cmd)
			if err != nil {
				return err
			}
			defer sess.close()
			j, err := statusOf(cmd, s, sess, scim, !asJSON, false)
			if asJSON {
				if perr := printJSON(cmd.OutOrStdout(), j); perr != nil {
					return perr
				}
				if err != nil {
					return &exitError{code: exitCode(err), err: err, quiet: true}
				}
			}
			return err
		}),
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON: one object, or with --all a list")
	cmd.Flags().BoolVar(&opts.SCIM, "scim", false, "also check that SCIM answers")
	cmd.Flags().BoolVar(&opts.All, "all", false, "every profile on this machine")
	return cmd
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// statusAll checks every profile this machine knows of. It ends with the
// first failure's code, or 3 when no profile has a key.
func statusAll(cmd *cobra.Command, s *settings, asJSON, scim bool) error {
	if _, ok := s.envKey(); ok {
		fmt.Fprintln(cmd.ErrOrStderr(), "status --all checks the stored keys; LATTICE_API_KEY is not used.")
		delete(s.secrets, "LATTICE_API_KEY")
	}
	dir, err := config.DefaultDir()
	if err != nil {
		return usageError("%v", err)
	}
	names, err := config.NewFolder(dir).Profiles()
	if s.demo {
		names, err = nil, nil
	}
	if err != nil {
		return usageError("%v", err)
	}
	if !slices.Contains(names, s.profile) && (len(names) == 0 || holdsKey(cmd, s)) {
		// Profiles are known from the config folder's files; a key in the
		// keyring whose record was lost is found for this run's profile.
		names = append(names, s.profile)
		slices.Sort(names)
	}
	list := []statusJSON{}
	var first error
	keys := 0
	for i, name := range names {
		p := *s
		p.profile = name
		if !asJSON && i > 0 {
			fmt.Fprintln(cmd.OutOrStdout())
		}
		sess, err := p.open(cmd)
		if err != nil {
			return err
		}
		j, err := statusOf(cmd, &p, sess, scim, !asJSON, true)
		sess.close()
		list = append(list, j)
		if exitCode(err) != exitNoKey {
			keys++
		}
		if err != nil && exitCode(err) != exitNoKey && first == nil {
			first = err
		}
		if err != nil && !asJSON && exitCode(err) != exitNoKey {
			printError(cmd.ErrOrStderr(), err) // each profile's own failure, where it belongs
		}
	}
	if asJSON {
		if err := printJSON(cmd.OutOrStdout(), list); err != nil {
			return err
		}
	}
	switch {
	case first != nil:
		return &exitError{code: exitCode(first), err: first, quiet: true}
	case keys == 0:
		// Each profile was said to have no key, or --json says it.
		return &exitError{code: exitNoKey, err: errors.New("no profile has a key stored"), quiet: true}
	}
	return nil
}

// holdsKey reports whether the run's profile has a key in a store, or one
// that could not be read (which status is to report).
func holdsKey(cmd *cobra.Command, s *settings) bool {
	sess, err := s.open(cmd)
	if err != nil {
		return false
	}
	defer sess.close()
	key, err := sess.link.Stored()
	return key != "" || err != nil
}

// statusOf checks one profile's key and, when text is set, says what it
// found (listing: status --all, which names a profile without a key too). It returns the profile's JSON record whatever happened.
func statusOf(cmd *cobra.Command, s *settings, sess *session, scim, text, listing bool) (statusJSON, error) {
	l := sess.link
	out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	ep := l.Client.Primary
	j := statusJSON{Profile: s.profile, Region: string(ep.Region), APIURL: ep.URL, Status: "no_key",
		Nango: []handoffJSON{}, ToRevoke: []revokeJSON{}, OthersWithKey: []string{}}
	key, fromEnv, err := s.keyFor(l)
	if r := l.Repaired(); r != nil {
		fmt.Fprintln(stderr, "Note:", r.Words())
	}
	if err != nil {
		j.Status = "error"
		if exitCode(err) == exitNoKey {
			j.Status = "no_key"
			// Hand-offs to apps are remembered without a key stored here.
			handoffs, _ := l.Handoffs()
			j.Nango = handoffsJSON(handoffs)
			others, _ := l.OthersWithKeys()
			if others != nil {
				j.OthersWithKey = others
			}
			if text && len(handoffs) > 0 {
				fmt.Fprintf(out, "No Lattice key is kept on this machine (profile %s): it was handed to the app through Nango, "+
					"and no copy stays here\n", s.profile)
				printHandoffs(out, handoffs)
			} else if text && listing {
				fmt.Fprintf(out, "No Lattice key stored here (profile %s)\n", s.profile)
			}
			switch len(others) {
			case 0:
				if text && len(handoffs) > 0 {
					// The hand-off worked: exit 3 (no key stored) is the
					// answer, said above, not an error to connect again.
					err = &exitError{code: exitNoKey, err: err, quiet: true}
				}
			case 1:
				err = withCode(exitNoKey, fmt.Errorf("no Lattice key is stored for profile %s; profile %s has one: "+
					"run lattice-link --profile %s status", s.profile, others[0], others[0]))
			default:
				err = withCode(exitNoKey, fmt.Errorf("no Lattice key is stored for profile %s; profiles %s have one: "+
					"run lattice-link --profile NAME status, or status --all", s.profile, strings.Join(others, ", ")))
			}
		}
		return j, err
	}
	if sess.warning != "" {
		fmt.Fprintln(stderr, "Warning:", sess.warning)
	}
	if fromEnv && text {
		fmt.Fprintln(stderr, "Using LATTICE_API_KEY from the environment, not the stored key.")
	}
	fmt.Fprintf(stderr, "Checking the key with Lattice (%s)…\n", l.Client.Primary.Region.Label())
	ctx := link.WithStageHook(withWaitLines(cmd.Context(), stderr), func(st link.Stage) {
		if st == link.StageSCIM {
			fmt.Fprintf(stderr, "%s…\n", st) // SCIM can keep it waiting up to 10 s
		}
	})
	st := l.CheckStatus(ctx, key, fromEnv, scim)
	kind, where := storeName(l, st)
	if st.Valid() {
		ep = st.Checked.Identity.Endpoint
	}
	checked := st.CheckedAt
	j.Region, j.APIURL, j.Store, j.Fingerprint = string(ep.Region), ep.URL, &kind, &st.Fingerprint
	j.Valid, j.Status, j.CheckedAt, j.Nango = st.Valid(), st.Word(), &checked, handoffsJSON(st.Remembered.Handoffs)
	if st.Valid() {
		u := st.Checked.Identity.User
		j.User = &userJSON{Name: u.Name, Email: u.Email, IsAdmin: u.IsAdmin}
	}
	switch {
	case st.Checked.SCIM != nil:
		j.SCIM = &scimJSON{Checked: true, Enabled: st.Checked.SCIM.Enabled, Status: st.Checked.SCIM.Status}
	case st.Checked.SCIMErr != nil:
		j.SCIM = &scimJSON{Error: l.Explain(st.Checked.SCIMErr, link.Stored, true)}
	}
	if created := st.Remembered.CreatedAt; !st.FromEnv && !created.IsZero() {
		days, due := l.Age(created, st.CheckedAt)
		j.CreatedAt, j.AgeDays, j.RotationDue = &created, &days, due
	}
	if !st.FromEnv {
		j.ToRevoke = toRevokeJSON(st.Remembered)
	}
	var failure error
	if st.Err != nil {
		src := link.Stored
		if st.FromEnv {
			src = link.FromEnv
		}
		failure = withCode(exitCode(st.Err), errors.New(l.Explain(st.Err, src, true)))
	}
	if text {
		printStatus(out, stderr, s, l, st, where)
	}
	return j, failure
}

// storeName is where the checked key came from, in status's words.
func storeName(l *link.Link, st link.Status) (kind, words string) {
	if st.FromEnv {
		return "env", "from LATTICE_API_KEY"
	}
	store, err := l.Store()
	if err != nil {
		return "", "in an unreadable store"
	}
	if store.Kind() == config.KeyringStore {
		return string(config.KeyringStore), "in the OS keyring"
	}
	where := store.Where()
	if i := strings.LastIndex(where, " ("); i > 0 {
		where = where[:i]
	}
	return string(store.Kind()), "in " + where
}

func printStatus(out, stderr io.Writer, s *settings, l *link.Link, st link.Status, where string) {
	fmt.Fprintf(out, "Lattice key %s (profile %s, %s)\n", st.Fingerprint, s.profile, where)
	if st.Err != nil {
		fmt.Fprintf(out, "  Status   %s\n", strings.ReplaceAll(st.Word(), "_", " "))
		printHandoffs(out, st.Remembered.Handoffs)
		return
	}
	id := st.Checked.Identity
	fmt.Fprintf(out, "  Status   valid, checked just now\n")
	fmt.Fprintf(out, "  Owner    %s\n", ownerLine(id.User.Name, id.User.Email, id.User.IsAdmin))
	fmt.Fprintf(out, "  Region   %s (%s)\n", id.Endpoint.Region.Label(), id.Endpoint.Host())
	switch c := st.Checked; {
	case c.SCIM != nil && c.SCIM.Enabled:
		fmt.Fprintln(out, "  SCIM     enabled")
	case c.SCIM != nil:
		fmt.Fprintf(out, "  SCIM     not available (%d): turn it on in Admin › Settings › Platform › Integrations\n", c.SCIM.Status)
	case c.SCIMErr != nil:
		// Lattice's own words for SCIM, in the table: each line under the value.
		words := strings.TrimPrefix(l.ExplainSCIM(c.SCIMErr), "SCIM ")
		fmt.Fprintf(out, "  SCIM     %s\n", strings.ReplaceAll(words, "\n", "\n           "))
	}
	if st.FromEnv {
		return
	}
	if created := st.Remembered.CreatedAt; !created.IsZero() {
		days, due := l.Age(created, st.CheckedAt)
		fmt.Fprintf(out, "  Stored   %s (%s old)\n", created.Local().Format("2006-01-02 15:04"), link.Plural(days, "day"))
		if due {
			fmt.Fprintf(out, "  Rotate   due: Lattice keys never expire, so rotate them on a schedule (every %d days here; "+
				"LATTICE_LINK_ROTATE_DAYS sets it). Run lattice-link and press r.\n", rotateDays(l))
		}
	} else {
		fmt.Fprintln(out, "  Stored   when is not known")
	}
	cut := link.LastRotationInterrupted(st.Remembered)
	if cut != "" {
		fmt.Fprintf(out, "  Replaced %s, by a rotation that was cut short: revoke %s in Lattice (%s) if you have not.\n",
			cut, cut, link.KeysPage)
	}
	for _, old := range link.Unrevoked(st.Remembered) {
		if old != cut {
			fmt.Fprintf(out, "  Revoke   %s, which a rotation replaced: Lattice did not confirm it revoked. Revoke it in %s, "+
				"then say so on lattice-link's home screen (v).\n", old, link.KeysPage)
		}
	}
	printHandoffs(out, st.Remembered.Handoffs)
}

func rotateDays(l *link.Link) int {
	if l.RotateDays > 0 {
		return l.RotateDays
	}
	return link.DefaultRotateDays
}
