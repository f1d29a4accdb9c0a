package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/link"
)

// statusJSON is what status --json prints.
type statusJSON struct {
	Profile     string        `json:"profile"`
	Region      string        `json:"region"`
	APIURL      string        `json:"api_url"`
	Store       string        `json:"store"`
	Fingerprint string        `json:"fingerprint"`
	Valid       bool          `json:"valid"`
	Status      string        `json:"status"`
	User        *userJSON     `json:"user"`
	SCIM        *scimJSON     `json:"scim"`
	CheckedAt   time.Time     `json:"checked_at"`
	CreatedAt   *time.Time    `json:"created_at"`
	AgeDays     *int          `json:"age_days"`
	RotationDue bool          `json:"rotation_due"`
	Nango       []handoffJSON `json:"nango"`
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

func statusCommand(r *runner, s *settings) *cobra.Command {
	var asJSON, scim bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Check the stored key with Lattice, now",
		Long: "Checks the stored key (or LATTICE_API_KEY) live with Lattice, and lists\n" +
			"the keys handed to apps through Nango (connect --nango).\n\n" +
			"Exit codes: 0 valid, 1 rejected, 3 no key stored, 4 Lattice unreachable.",
		Args: r.noArgs,
		RunE: r.withSession(s, func(cmd *cobra.Command, sess *session) error {
			l := sess.link
			key, fromEnv, err := s.keyFor(l)
			if err != nil {
				if exitCode(err) == exitNoKey {
					// Hand-offs to apps are remembered without a key stored here.
					handoffs, _ := l.Handoffs()
					if asJSON {
						ep := l.Client.Primary
						_ = json.NewEncoder(cmd.OutOrStdout()).Encode(statusJSON{Profile: s.profile,
							Region: string(ep.Region), APIURL: ep.URL, Status: "no_key", CheckedAt: time.Now().UTC(),
							Nango: handoffsJSON(handoffs)})
					} else if len(handoffs) > 0 {
						fmt.Fprintf(cmd.OutOrStdout(), "No Lattice key stored here (profile %s)\n", s.profile)
						printHandoffs(cmd.OutOrStdout(), handoffs)
					}
				}
				return err
			}
			if sess.warning != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "Warning:", sess.warning)
			}
			st := l.CheckStatus(cmd.Context(), key, fromEnv, scim)
			if asJSON {
				return printStatusJSON(cmd, s, l, st)
			}
			return printStatus(cmd, s, l, st)
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().BoolVar(&scim, "scim", false, "also check that SCIM answers")
	return cmd
}

// storeName is where the checked key came from, in status's words.
func storeName(l *link.Link, st link.Status) (kind, words string) {
	if st.FromEnv {
		return "env", "from LATTICE_API_KEY"
	}
	store, _, err := l.Store()
	if err != nil {
		return "", "in an unreadable store"
	}
	if store.Kind() == "keyring" {
		return "keyring", "in the OS keyring"
	}
	return store.Kind(), "in " + strings.TrimSuffix(store.Where(), " (mode 0600)")
}

func printStatusJSON(cmd *cobra.Command, s *settings, l *link.Link, st link.Status) error {
	ep := l.Client.Primary
	if st.Valid() {
		ep = st.Checked.Identity.Endpoint
	}
	kind, _ := storeName(l, st)
	j := statusJSON{Profile: s.profile, Region: string(ep.Region), APIURL: ep.URL, Store: kind,
		Fingerprint: st.Fingerprint, Valid: st.Valid(), Status: st.Word(), CheckedAt: st.CheckedAt,
		Nango: handoffsJSON(st.Remembered.Handoffs)}
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
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "  ")
	if err := enc.Encode(j); err != nil {
		return err
	}
	if st.Err != nil {
		return &exitError{code: exitCode(st.Err), err: st.Err, quiet: true}
	}
	return nil
}

func printStatus(cmd *cobra.Command, s *settings, l *link.Link, st link.Status) error {
	out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	_, where := storeName(l, st)
	if st.FromEnv {
		fmt.Fprintln(stderr, "Using LATTICE_API_KEY from the environment, not the stored key.")
	} else if _, note, _ := l.Store(); note != "" {
		fmt.Fprintln(stderr, note)
	}
	fmt.Fprintf(out, "Lattice key %s (profile %s, %s)\n", st.Fingerprint, s.profile, where)
	if st.Err != nil {
		fmt.Fprintf(out, "  Status   %s\n", strings.ReplaceAll(st.Word(), "_", " "))
		printHandoffs(out, st.Remembered.Handoffs)
		src := link.Stored
		if st.FromEnv {
			src = link.Piped
		}
		return withCode(exitCode(st.Err), errors.New(l.Explain(st.Err, src, true)))
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
		fmt.Fprintf(out, "  SCIM     could not be checked: %s\n", l.Explain(c.SCIMErr, link.Stored, true))
	}
	if created := st.Remembered.CreatedAt; !st.FromEnv && !created.IsZero() {
		days, due := l.Age(created, st.CheckedAt)
		fmt.Fprintf(out, "  Stored   %s (%s old)\n", created.Local().Format("2006-01-02 15:04"), link.Plural(days, "day"))
		if due {
			fmt.Fprintf(out, "  Rotate   due: Lattice keys never expire, so rotate them on a schedule (every %d days here; "+
				"LATTICE_LINK_ROTATE_DAYS sets it). Run lattice-link and press r.\n", rotateDays(l))
		}
	}
	printHandoffs(out, st.Remembered.Handoffs)
	return nil
}

func rotateDays(l *link.Link) int {
	if l.RotateDays > 0 {
		return l.RotateDays
	}
	return link.DefaultRotateDays
}
