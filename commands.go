package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/sanitize"
	"github.com/lattice-link/lattice-link/steps"
	"github.com/lattice-link/lattice-link/wizard"
)

// withParts is run for a command that needs the client and the store: it
// builds them from the settings and closes them afterwards.
func withParts(s *settings, fn func(cmd *cobra.Command, p *parts) error) func(*cobra.Command, []string) error {
	return run(func(cmd *cobra.Command) error {
		p, err := s.build(cmd)
		if err != nil {
			return err
		}
		defer p.close()
		return fn(cmd, p)
	})
}

// maxStdin is the most read from stdin; anything longer is not a key.
const maxStdin = 1 << 20

func connectCommand(s *settings) *cobra.Command {
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "connect",
		Short: "Open the wizard at the Connect step, or check and store a key from stdin",
		Example: "  lattice-link connect\n" +
			"  pass show lattice | lattice-link connect --key-stdin",
		Args: noArgs,
		RunE: run(func(cmd *cobra.Command) error {
			if fromStdin {
				return connectFromStdin(cmd, s)
			}
			return runWizard(cmd, s, steps.Connect)
		}),
	}
	cmd.Flags().BoolVar(&fromStdin, "key-stdin", false, "read the key from stdin, check it, store it; no TUI")
	return cmd
}

// connectFromStdin checks a key read from stdin and stores it. It says what
// happened on stderr and never repeats what it read.
func connectFromStdin(cmd *cobra.Command, s *settings) error {
	stderr := cmd.ErrOrStderr()
	raw, err := readKey(cmd.InOrStdin(), stderr)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	key, warn, err := lattice.NormalizeKey(raw)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if warn {
		fmt.Fprintln(stderr, "Note: the key has characters Lattice keys do not usually have; checking it anyway.")
	}
	p, err := s.build(cmd)
	if err != nil {
		return err
	}
	defer p.close()
	old, err := p.store.Get(s.profile)
	if err != nil && !errors.Is(err, config.ErrNoKey) {
		return &exitError{code: exitUsage, err: err}
	}

	fmt.Fprintf(stderr, "Checking the key with Lattice (%s)…\n", p.client.Primary.Region.Label())
	ctx := lattice.WithWaitHook(cmd.Context(), func(w lattice.Wait) {
		fmt.Fprintf(stderr, "%s: waiting %s, then trying again.\n", w.Reason, lattice.HumanDuration(w.Duration))
	})
	id, err := p.client.Verify(ctx, key)
	if err != nil {
		return &exitError{code: exitCode(err), err: errors.New(lattice.Explain(err, p.client) + "\nNothing was stored.")}
	}
	if id.SwitchedRegion {
		fmt.Fprintf(stderr, "This key belongs to the %s region; it is remembered for this profile.\n", id.Endpoint.Region.Label())
	}

	u := id.User
	change := wizard.ConnectedChange(s.profile, old, key, id, p.client, p.store)
	if _, err := change.Apply(p.folder, p.store, p.state, 0); err != nil {
		if !config.IsStateOnly(err) {
			return &exitError{code: exitUsage, err: fmt.Errorf("the key works, but it could not be stored: %w", err)}
		}
		fmt.Fprintln(stderr, "Warning:", err)
	}

	fmt.Fprintf(stderr, "Connected as %s.\n", ownerLine(u.Name, u.Email, u.IsAdmin))
	if p.storeNote != "" {
		fmt.Fprintln(stderr, p.storeNote)
	}
	fmt.Fprintf(stderr, "Stored %s for profile %s in %s.\n", lattice.Fingerprint(key), s.profile, p.store.Where())
	if old != "" && old != key {
		fmt.Fprintf(stderr, "It replaced %s: revoke that key in Lattice (Admin › Settings › API Keys).\n", lattice.Fingerprint(old))
	}
	if !u.IsAdmin {
		fmt.Fprintln(stderr, "Warning: the key's owner is not a Lattice admin, and the key can do only what they can.")
	}
	return nil
}

// readKey reads the key from stdin: without echo from a terminal, else up
// to maxStdin bytes from a pipe.
func readKey(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Paste your Lattice API key (it will not be shown), then press enter: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("could not read the key: %w", err)
		}
		return string(b), nil
	}
	b, err := io.ReadAll(io.LimitReader(in, maxStdin+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("could not read stdin: %w", err)
	case len(b) > maxStdin:
		return "", errors.New("stdin has more than 1 MiB, which is not an API key: pipe in only the key")
	}
	return string(b), nil
}

func ownerLine(name, email string, admin bool) string {
	s := name
	if email != "" {
		s += " <" + email + ">"
	}
	if admin {
		return s + ", a Lattice admin"
	}
	return s + ", not an admin"
}

// storedKey is the key status and token use: LATTICE_API_KEY when set,
// else the stored one.
func storedKey(s *settings, p *parts) (key string, fromEnv bool, err error) {
	if v := os.Getenv("LATTICE_API_KEY"); v != "" {
		k, _, nerr := lattice.NormalizeKey(v)
		if nerr != nil {
			return "", true, &exitError{code: exitUsage, err: fmt.Errorf("LATTICE_API_KEY: %w", nerr)}
		}
		return k, true, nil
	}
	k, err := p.store.Get(s.profile)
	switch {
	case errors.Is(err, config.ErrNoKey):
		return "", false, &exitError{code: exitNoKey,
			err: fmt.Errorf("no Lattice key is stored for profile %q: run lattice-link to connect one", s.profile)}
	case err != nil:
		return "", false, &exitError{code: exitUsage, err: err}
	}
	return k, false, nil
}

// statusJSON is what status --json prints.
type statusJSON struct {
	Profile     string     `json:"profile"`
	Region      string     `json:"region"`
	APIURL      string     `json:"api_url"`
	Store       string     `json:"store"`
	Fingerprint string     `json:"fingerprint"`
	Valid       bool       `json:"valid"`
	Status      string     `json:"status"`
	User        *userJSON  `json:"user"`
	SCIM        *scimJSON  `json:"scim"`
	CheckedAt   time.Time  `json:"checked_at"`
	CreatedAt   *time.Time `json:"created_at"`
}

type userJSON struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	IsAdmin bool   `json:"is_admin"`
}

type scimJSON struct {
	Enabled bool `json:"enabled"`
	Status  int  `json:"status"`
}

var statusWords = map[lattice.Kind]string{
	0: "valid", lattice.Rejected: "rejected", lattice.Forbidden: "forbidden", lattice.RateLimited: "rate_limited",
	lattice.ServerError: "server_error", lattice.Unreachable: "unreachable", lattice.Unexpected: "unexpected",
}

func statusCommand(s *settings) *cobra.Command {
	var asJSON, scim bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Check the stored key with Lattice, now",
		Long: "Checks the stored key (or LATTICE_API_KEY) live with Lattice.\n" +
			"Exit codes: 0 valid, 1 rejected, 3 no key stored, 4 Lattice unreachable.",
		Args: noArgs,
		RunE: withParts(s, func(cmd *cobra.Command, p *parts) error {
			key, fromEnv, err := storedKey(s, p)
			if err != nil {
				if asJSON && exitCode(err) == exitNoKey {
					_ = json.NewEncoder(cmd.OutOrStdout()).Encode(statusJSON{Profile: s.profile,
						Region: string(p.client.Primary.Region), APIURL: p.client.Primary.URL, Status: "no_key", CheckedAt: time.Now().UTC()})
				}
				return err
			}
			return runStatus(cmd, s, p, key, fromEnv, asJSON, scim)
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().BoolVar(&scim, "scim", false, "also check that SCIM answers")
	return cmd
}

func runStatus(cmd *cobra.Command, s *settings, p *parts, key string, fromEnv, asJSON, checkSCIM bool) error {
	out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	id, err := p.client.Verify(cmd.Context(), key)
	now := time.Now().UTC()
	var scim *lattice.SCIM
	if err == nil && checkSCIM {
		r, serr := p.client.CheckSCIM(cmd.Context(), key, id.Endpoint)
		if serr == nil {
			scim = &r
		}
	}
	prof := p.profile(s)
	store := p.store.Kind()
	if fromEnv {
		store = "env"
	}
	// Remember the check for the stored key (never for LATTICE_API_KEY).
	if !fromEnv && p.folder != nil && (err == nil || lattice.KindOf(err) == lattice.Rejected) {
		next := p.state.Clone()
		np := next.Profile(s.profile)
		np.CheckedAt, np.CheckResult = now, statusWords[lattice.KindOf(err)]
		if err == nil {
			np.Owner = config.Owner{Name: id.User.Name, Email: id.User.Email, IsAdmin: id.User.IsAdmin}
			np.Region = string(id.Endpoint.Region)
		}
		if unlock, lerr := p.folder.Lock(config.LockWait); lerr == nil {
			_ = p.folder.SaveState(next, 0)
			unlock()
		}
	}

	ep := p.client.Primary
	if err == nil {
		ep = id.Endpoint
	}
	if asJSON {
		j := statusJSON{Profile: s.profile, Region: string(ep.Region), APIURL: ep.URL, Store: store,
			Fingerprint: lattice.Fingerprint(key), Valid: err == nil, Status: statusWords[lattice.KindOf(err)], CheckedAt: now}
		if err == nil {
			j.User = &userJSON{Name: id.User.Name, Email: id.User.Email, IsAdmin: id.User.IsAdmin}
		}
		if scim != nil {
			j.SCIM = &scimJSON{Enabled: scim.Enabled, Status: scim.Status}
		}
		if !fromEnv && !prof.CreatedAt.IsZero() {
			j.CreatedAt = &prof.CreatedAt
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(j); jerr != nil {
			return jerr
		}
		if err != nil {
			return &exitError{code: exitCode(err), err: err, quiet: true}
		}
		return nil
	}

	if fromEnv {
		fmt.Fprintln(stderr, "Using LATTICE_API_KEY from the environment, not the stored key.")
	} else if p.storeNote != "" {
		fmt.Fprintln(stderr, p.storeNote)
	}
	fmt.Fprintf(out, "Lattice key %s (profile %s, %s)\n", lattice.Fingerprint(key), s.profile, storeLabel(store, p))
	if err != nil {
		fmt.Fprintf(out, "  Status   %s\n", strings.ReplaceAll(statusWords[lattice.KindOf(err)], "_", " "))
		return &exitError{code: exitCode(err), err: errors.New(lattice.Explain(err, p.client))}
	}
	fmt.Fprintf(out, "  Status   valid, checked just now\n")
	fmt.Fprintf(out, "  Owner    %s\n", ownerLine(id.User.Name, id.User.Email, id.User.IsAdmin))
	fmt.Fprintf(out, "  Region   %s (%s)\n", ep.Region.Label(), ep.Host())
	if scim != nil {
		if scim.Enabled {
			fmt.Fprintln(out, "  SCIM     enabled")
		} else {
			fmt.Fprintf(out, "  SCIM     not available (%d)\n", scim.Status)
		}
	}
	if !fromEnv && !prof.CreatedAt.IsZero() {
		fmt.Fprintf(out, "  Stored   %s\n", prof.CreatedAt.Local().Format("2006-01-02 15:04"))
	}
	return nil
}

func storeLabel(kind string, p *parts) string {
	switch kind {
	case "env":
		return "from LATTICE_API_KEY"
	case "keyring":
		return "in the OS keyring"
	case "file":
		return "in " + filepath.Join(p.folder.Path, "credentials.json")
	}
	return kind
}

func tokenCommand(s *settings) *cobra.Command {
	return &cobra.Command{
		Use:     "token",
		Short:   "Print the stored key, for scripts",
		Example: `  curl -H "Authorization: Bearer $(lattice-link token)" https://api.latticehq.com/v1/me`,
		Args:    noArgs,
		RunE: withParts(s, func(cmd *cobra.Command, p *parts) error {
			key, fromEnv, err := storedKey(s, p)
			if err != nil {
				return err
			}
			if fromEnv {
				fmt.Fprintln(cmd.ErrOrStderr(), "Using LATTICE_API_KEY from the environment, not the stored key.")
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), key)
			return err
		}),
	}
}

func logoutCommand(s *settings) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the stored key (it keeps working until revoked in Lattice)",
		Args:  noArgs,
		RunE: withParts(s, func(cmd *cobra.Command, p *parts) error {
			key, err := p.store.Get(s.profile)
			if errors.Is(err, config.ErrNoKey) {
				return &exitError{code: exitNoKey, err: fmt.Errorf("no Lattice key is stored for profile %q", s.profile)}
			}
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			change := config.KeyChange{Profile: s.profile, Expected: key, Record: (*config.Profile).Forgotten}
			if _, err := change.Apply(p.folder, p.store, p.state, 0); err != nil && !config.IsStateOnly(err) {
				return &exitError{code: exitUsage, err: err}
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Forgot the key %s (profile %s).\n"+
				"It still works until you revoke it in Lattice: Admin › Settings › API Keys.\n", lattice.Fingerprint(key), s.profile)
			return nil
		}),
	}
}

func emailCommand(s *settings) *cobra.Command {
	var a steps.Answers
	var copyIt bool
	var out string
	cmd := &cobra.Command{
		Use:   "email",
		Short: "Print the email that asks Lattice for API access",
		Long: "Prints the request-access email, with the answers from the flags or the ones the wizard remembers.\n" +
			"--copy puts it on the clipboard instead (OSC 52 and the system clipboard); --out writes it to a file.",
		Example: `  lattice-link email --company "Acme Inc." --name "Grace Hopper" --use-case "sync goals" --tool none --timeline "this month"`,
		Args:    noArgs,
		RunE: withParts(s, func(cmd *cobra.Command, p *parts) error {
			prof := p.profile(s)
			remembered := steps.Answers(prof.Answers)
			for flag, field := range map[string]*string{"company": &a.Company, "name": &a.Name, "use-case": &a.UseCase,
				"tool": &a.Tool, "timeline": &a.Timeline} {
				if !cmd.Flags().Changed(flag) {
					*field = map[string]string{"company": remembered.Company, "name": remembered.Name,
						"use-case": remembered.UseCase, "tool": remembered.Tool, "timeline": remembered.Timeline}[flag]
				}
			}
			email := steps.ComposeEmail(a)
			text := email.Text()
			stderr := cmd.ErrOrStderr()
			requested := false
			switch {
			case copyIt:
				msg, err := copyEverywhere(text)
				if err != nil {
					return &exitError{code: exitUsage, err: err}
				}
				fmt.Fprintln(stderr, msg)
				requested = true
			case out != "":
				if err := os.WriteFile(out, []byte(text), 0o644); err != nil {
					return &exitError{code: exitUsage, err: fmt.Errorf("could not write the email: %w", err)}
				}
				fmt.Fprintf(stderr, "Wrote the email to %s. Send it to %s.\n", sanitize.Line(out, 0), steps.AccessEmail)
				requested = true
			default:
				if _, err := io.WriteString(cmd.OutOrStdout(), text); err != nil {
					return err
				}
			}
			if missing := a.Clean().Missing(); len(missing) > 0 {
				fmt.Fprintf(stderr, "Still to answer: %s (see --help for the flags).\n", strings.Join(missing, ", "))
			}
			if p.folder != nil {
				next := p.state.Clone()
				np := next.Profile(s.profile)
				np.Answers = config.Answers(a.Clean())
				if requested {
					np.AccessRequestedAt = time.Now().UTC()
				}
				if err := p.folder.SaveState(next, 0); err != nil {
					fmt.Fprintln(stderr, "Warning: could not remember the answers:", err)
				}
			}
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&a.Company, "company", "", "your company's name")
	f.StringVar(&a.Name, "name", "", "your name")
	f.StringVar(&a.UseCase, "use-case", "", "what the API will be used for")
	f.StringVar(&a.Tool, "tool", "", `the third-party tool that will use it, or "none"`)
	f.StringVar(&a.Timeline, "timeline", "", "when you need access")
	f.BoolVar(&copyIt, "copy", false, "copy the email to the clipboard instead of printing it")
	f.StringVarP(&out, "out", "o", "", "write the email to this file instead of printing it")
	return cmd
}

// copyEverywhere puts text on the clipboard: OSC 52 through the terminal
// (which reaches the user's own machine over SSH) and the native clipboard.
// It says how it went.
func copyEverywhere(text string) (string, error) {
	osc := false
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\x07"
		_, werr := tty.WriteString(seq)
		osc = werr == nil
		tty.Close()
	}
	nativeErr := copyNative(text)
	switch {
	case nativeErr == nil:
		return "Copied the email to the clipboard. Paste it into a new message to " + steps.AccessEmail + ".", nil
	case osc:
		return "Sent the email to your terminal's clipboard (OSC 52). Nothing to paste? Enable OSC 52 " +
			"in your terminal (tmux: set -g set-clipboard on), or save it to a file.", nil
	}
	return "", fmt.Errorf("no clipboard could be reached (%v): save the email to a file instead", nativeErr)
}
