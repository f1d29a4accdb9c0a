package plain

import (
	"errors"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
	"github.com/lattice-link/lattice-link/steps"
)

// runWithLink runs plain mode with the Connect link of token, whose API
// host is trusted only when named; it returns what was printed and the
// run's error.
func runWithLink(t *testing.T, ns *nangodemo.Server, token string, named bool, lines []string, keys ...string) (string, Result, error) {
	t.Helper()
	l, _ := testLink(t)
	nameURL := ""
	if named {
		nameURL = ns.URL
	}
	nl, err := nango.ParseLink(ns.Link(token), nameURL)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	res, err := Run(Options{Start: steps.GuideStart, Link: l, In: strings.NewReader(strings.Join(lines, "\n") + "\n"), Out: &out,
		Width: 200, Nango: nango.New(nl, nango.Options{Version: "test"}),
		ReadSecret: func(string) (string, error) {
			if len(keys) == 0 {
				return "", errors.New("no more keys")
			}
			k := keys[0]
			keys = keys[1:]
			return k, nil
		}})
	if stored, _ := l.Stored(); stored != "" {
		out.WriteString("\n[stored " + stored[len(stored)-4:] + "]")
	}
	return out.String(), res, err
}

// A link to a Nango host the user did not name offers the wizard's third
// way, going on without the app; no, the default, says that nothing went
// to the app rather than promising to pick up anything (walk 2 F31).
func TestAHostQuestionOffersToGoOnWithoutTheApp(t *testing.T) {
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	out, _, err := runWithLink(t, ns, ns.NewSession(), false, []string{"3"}, latticedemo.KeyAdmin)
	if err != nil || !strings.Contains(out, "3) Neither: go on without the app") || !strings.Contains(out, "Step five of five: Connect") ||
		!strings.Contains(out, "Connected to Lattice.") || !strings.HasSuffix(out, "[stored 7f3c]") {
		t.Errorf("no app (err %v):\n%s", err, out)
	}
	if n := len(ns.Requests()); n != 0 {
		t.Errorf("without the app, Nango was asked %d times", n)
	}
	out, res, err := runWithLink(t, ns, ns.NewSession(), false, []string{""})
	if err != nil || !res.Cancelled || !strings.Contains(out, "Stopped. No key went to the app.") || strings.Contains(out, "pick up") {
		t.Errorf("no (err %v):\n%s", err, out)
	}
}

// An expired link, or one without Lattice, says so and offers to go on
// without the app; stopping ends with the link's failure (exit 5).
func TestABadLinkOffersToGoOnWithoutTheApp(t *testing.T) {
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	for _, token := range []string{ns.ExpiredSession(), ns.NewSessionWithoutLattice()} {
		out, _, err := runWithLink(t, ns, token, true, []string{"2"}, latticedemo.KeyAdmin)
		if err != nil || !strings.Contains(out, "2) Neither: go on without the app") || !strings.Contains(out, "in NANGO_CONNECT_LINK") ||
			!strings.HasSuffix(out, "[stored 7f3c]") {
			t.Errorf("no app (err %v):\n%s", err, out)
		}
		out, _, err = runWithLink(t, ns, token, true, []string{""})
		var ne *nango.Error
		if !errors.As(err, &ne) || strings.Contains(out, "Paste the key") {
			t.Errorf("stop: err %v\n%s", err, out)
		}
	}
}

// A stop promises a pick-up only where a re-run opens; with a key stored,
// a rotation opened at Connect says the stored key is as it was (walk 2
// F31, F33).
func TestAStopSaysOnlyWhatIsTrue(t *testing.T) {
	l, _ := testLink(t)
	if out, _ := runPlain(t, l, steps.GuideStart, []string{"q"}); !strings.HasSuffix(out, "\nStopped.\n") {
		t.Errorf("at the start, nothing to pick up:\n%s", out)
	}
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	if out, _ := runPlain(t, l, steps.Connect, nil, "q"); !strings.HasSuffix(out, "Stopped. The key stored here is as it was.\n") {
		t.Errorf("a rotation stopped:\n%s", out)
	}
}

// ctrl+c (cmd prints what Stopping was last told) says what q says.
func TestCtrlCIsToldTheLineQPrints(t *testing.T) {
	l, _ := testLink(t)
	var last string
	var out strings.Builder
	if _, err := Run(Options{Start: steps.GuideStart, Link: l, In: strings.NewReader("2\nq\n"), Out: &out, Width: 80,
		Stopping: func(line string) { last = line }}); err != nil {
		t.Fatal(err)
	}
	if last == "" || !strings.HasSuffix(out.String(), last+"\n") || !strings.Contains(last, "pick up") {
		t.Errorf("Stopping was last told %q; q printed:\n%s", last, out.String())
	}
}
