package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
	"github.com/lattice-link/lattice-link/procguard"
)

// demoNango is the value of --nango that, with --demo, uses a stand-in for
// Nango started in this process.
const demoNango = "demo"

// nangoFlags are the options of a hand-off to an app through Nango.
type nangoFlags struct {
	link        string // --nango; NANGO_CONNECT_LINK is read from settings.secrets
	url         string // --nango-url, NANGO_SERVER_URL
	integration string // --integration
	keep        bool
}

func (n *nangoFlags) bind(f *pflag.FlagSet) {
	f.StringVar(&n.link, "nango", "", "a Connect link; $NANGO_CONNECT_LINK keeps it out of ps")
	f.StringVar(&n.url, "nango-url", os.Getenv("NANGO_SERVER_URL"), "Nango API to trust, for a self-hosted Nango")
	f.StringVar(&n.integration, "integration", "", "with --nango: the Lattice integration, among several")
	f.BoolVar(&n.keep, "keep", false, "with --nango: store the key here too")
}

// nangoRaw is the Connect link given for this run: --nango, else
// NANGO_CONNECT_LINK as taken from the environment at start.
func (s *settings) nangoRaw() (string, bool) {
	if s.nango.link != "" {
		return s.nango.link, true
	}
	v, ok := s.secrets[procguard.NangoLinkEnv]
	return v, ok && strings.TrimSpace(v) != ""
}

// nangoClient builds the Nango client for the run, or nil when no link
// was given. With --demo and --nango demo it starts the stand-in, which
// sess closes, and demoLink names the session it made.
func (s *settings) nangoClient(sess *session) (nc *nango.Client, demoLink string, err error) {
	raw, ok := s.nangoRaw()
	if !ok {
		if s.nango.keep {
			return nil, "", usageError("--keep goes with --nango: by default a key handed to an app is not stored here")
		}
		return nil, "", nil
	}
	isDemo := strings.TrimSpace(raw) == demoNango
	switch {
	case s.demo && !isDemo:
		return nil, "", usageError("--demo talks to no real service: use --nango demo for the stand-in for Nango")
	case isDemo && !s.demo:
		return nil, "", usageError("--nango demo works only with --demo: lattice-link --demo --nango demo")
	}
	named := s.nango.url
	if isDemo {
		srv := nangodemo.New()
		closeLattice := sess.close
		sess.close = func() { srv.Close(); closeLattice() }
		raw, named = srv.DemoLink(), srv.URL // the stand-in is this run's own
	}
	cl, err := nango.ParseLink(raw, named)
	if err != nil {
		return nil, "", withCode(exitUsage, errors.New(link.ExplainNango(err, true)))
	}
	if isDemo {
		demoLink = cl.String()
	}
	nc = nango.New(cl, nango.Options{Version: s.version, InProcessList: s.nango.link != "" && !isDemo})
	nc.ChooseIntegration(s.nango.integration)
	return nc, demoLink, nil
}

// usageKinds are the Nango failures the command line can fix: a malformed
// link or address, a host to approve with --nango-url, a choice to make
// with --integration.
var usageKinds = map[nango.Kind]bool{
	nango.InvalidLink: true, nango.InvalidAPIURL: true, nango.HostNotApproved: true,
	nango.SeveralIntegrations: true, nango.UnknownIntegration: true,
}

// nangoExit is the exit code for a failed hand-off.
func nangoExit(err error) int {
	var ns *link.NotStoredError
	switch {
	case errors.Is(err, context.Canceled):
		return exitCancelled
	case usageKinds[nango.KindOf(err)]:
		return exitUsage
	case errors.As(err, &ns):
		return exitUsage
	}
	return exitCode(err)
}

// sayFacts prints facts as aligned lines.
func sayFacts(w io.Writer, facts []link.Fact) {
	for _, f := range facts {
		prefix := "  "
		if f.Warn {
			prefix = "! "
		}
		if f.Label == "" {
			fmt.Fprintf(w, "%s%s\n", prefix, f.Value)
			continue
		}
		fmt.Fprintf(w, "%s%-10s %s\n", prefix, f.Label, strings.ReplaceAll(f.Value, "\n", "\n             "))
	}
}

// connectToNango is connect --nango: read the Connect session, read the
// key (or take the stored one), check it with Lattice, hand it to Nango.
// Everything it says goes to stderr; neither the token nor the key is ever
// printed.
func connectToNango(cmd *cobra.Command, s *settings, fromStdin, stored bool) error {
	if stored && fromStdin {
		return usageError("--stored hands over the key stored here; --key-stdin reads another one: use one of them")
	}
	stdin, isFile := cmd.InOrStdin().(*os.File)
	tty := isFile && term.IsTerminal(int(stdin.Fd()))
	if !stored && !fromStdin && !tty {
		return usageError("no terminal to read the key from: pipe it in with --key-stdin, or hand over the stored key with --stored")
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
	h := &handOffRun{cmd: cmd, s: s, sess: sess, nc: nc, stderr: cmd.ErrOrStderr(), tty: tty}
	h.notes(demoLink)
	if err := h.readLink(); err != nil {
		return err
	}
	key, current, src, err := h.key(stored)
	if err != nil {
		return err
	}
	return h.handOver(key, current, src)
}

// handOffRun is one run of connect --nango, once its link is parsed.
type handOffRun struct {
	cmd    *cobra.Command
	s      *settings
	sess   *session
	nc     *nango.Client
	stderr io.Writer
	tty    bool // stdin is a terminal: the key is typed
}

// notes says what the user should know before anything is read.
func (h *handOffRun) notes(demoLink string) {
	if h.sess.warning != "" {
		fmt.Fprintln(h.stderr, "Warning:", h.sess.warning)
	}
	if demoLink != "" {
		fmt.Fprintln(h.stderr, "DEMO: stand-ins for Lattice and Nango run in this process; nothing leaves this machine.")
		fmt.Fprintln(h.stderr, "Demo Connect link:", demoLink)
	}
	if h.nc.InProcessList() {
		fmt.Fprintln(h.stderr, "Note:", link.InProcessListNote)
	}
}

// readLink reads the Connect session first: an expired or foreign link, or
// a host nobody approved, fails before a key is asked for. Without a
// terminal to ask in, a host is approved only by naming it with --nango-url.
func (h *handOffRun) readLink() error {
	fmt.Fprintf(h.stderr, "Reading the Connect link (%s)…\n", h.nc.Link())
	target, err := h.nc.Lookup(h.cmd.Context())
	if err != nil {
		return withCode(nangoExit(err), errors.New(link.ExplainNango(err, true)))
	}
	fmt.Fprintln(h.stderr, "The key will go to:")
	sayFacts(h.stderr, link.SessionFacts(target, h.nc.Link().Host()))
	return nil
}

// key is the key to hand over: the stored one (--stored) or one read from
// stdin; current is the key stored here, read only when it is needed (a
// plain hand-off leaves this machine's keyring alone).
func (h *handOffRun) key(stored bool) (key, current string, src link.Source, err error) {
	if stored || h.s.nango.keep {
		if current, err = h.sess.link.Stored(); err != nil {
			return "", "", 0, withCode(exitUsage, err)
		}
	}
	if stored {
		if current == "" {
			return "", "", 0, withCode(exitNoKey, fmt.Errorf("no Lattice key is stored for profile %q: pipe one in with --key-stdin", h.s.profile))
		}
		fmt.Fprintf(h.stderr, "Handing over the stored key %s.\n", lattice.Fingerprint(current))
		return current, current, link.Stored, nil
	}
	if h.tty {
		for _, k := range h.sess.demoKeys {
			fmt.Fprintf(h.stderr, "  demo key %s: %s\n", k.Key, k.What) // What has parentheses of its own
		}
	}
	raw, err := readKey(h.cmd.InOrStdin(), h.stderr)
	if err != nil {
		return "", "", 0, withCode(exitUsage, err)
	}
	key, warn, err := lattice.NormalizeKey(raw)
	if err != nil {
		return "", "", 0, withCode(exitUsage, err)
	}
	if warn {
		fmt.Fprintln(h.stderr, "Note: the key has characters Lattice keys do not usually have; checking it anyway.")
	}
	src = link.Piped
	if h.tty {
		src = link.Typed
	}
	return key, current, src, nil
}

// handOver checks key with Lattice, hands it to Nango and says how it went.
func (h *handOffRun) handOver(key, current string, src link.Source) error {
	l, stderr := h.sess.link, h.stderr
	ctx := withWaitLines(h.cmd.Context(), stderr)
	ctx = link.WithStageHook(ctx, func(st link.Stage) {
		switch st {
		case link.StageLattice:
			fmt.Fprintf(stderr, "Checking the key with Lattice (%s)…\n", l.Client.Primary.Region.Label())
		case link.StageNango:
			fmt.Fprintf(stderr, "Lattice accepted it. Handing it to Nango at %s…\n", h.nc.Link().Host())
		}
	})
	res, err := l.HandOff(ctx, h.nc, key, h.s.nango.keep, current)
	if err != nil {
		return withCode(nangoExit(err), errors.New(l.ExplainHandOff(err, src, true)))
	}
	fmt.Fprintln(stderr, "Handed over to the app through Nango.")
	sayFacts(stderr, res.ResultFacts())
	if w := res.ReplacedWords(); w != "" {
		fmt.Fprintln(stderr, w)
	}
	if res.KeepErr != nil {
		fmt.Fprintln(stderr, "Warning: --keep could not store a copy here:", l.Explain(res.KeepErr, src, true))
	}
	if !h.s.nango.keep && !res.AlreadyStored && !h.s.demo {
		fmt.Fprintln(stderr, "To keep a copy on this machine as well, run it with --keep.")
	}
	return nil
}
