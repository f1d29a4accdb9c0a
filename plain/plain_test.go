package plain

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// runPlain answers plain mode's prompts with lines and returns what it
// printed; keys are what ReadSecret returns, in turn.
func runPlain(t *testing.T, l *link.Link, start steps.ID, lines []string, keys ...string) (string, Result) {
	t.Helper()
	var out strings.Builder
	res, err := Run(Options{Start: start, Link: l, In: strings.NewReader(strings.Join(lines, "\n") + "\n"), Out: &out,
		Width: 60, ReadSecret: func(prompt string) (string, error) {
			out.WriteString(prompt + "\n")
			if len(keys) == 0 {
				return "", io.EOF
			}
			k := keys[0]
			keys = keys[1:]
			return k, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), res
}

func testLink(t *testing.T) (*link.Link, config.Store) {
	t.Helper()
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	client, err := lattice.New(lattice.Options{APIURL: srv.URL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	client.Backoff = time.Millisecond
	store := config.NewMemory()
	return link.New(link.Config{Profile: "default", Client: client, Folder: config.NewMemoryFolder(),
		OpenStore: func() (config.Store, error) { return store, nil }}), store
}

func TestEveryLinkIsPrintedAndNoKeyIsOfferedThatDoesNotWork(t *testing.T) {
	l, _ := testLink(t)
	out, _ := runPlain(t, l, steps.GuideStart, []string{"2", "2", "6"})
	for _, want := range []string{steps.HelpArticle, steps.AccessEmail} {
		if !strings.Contains(out, want) {
			t.Errorf("%s is not printed:\n%s", want, out)
		}
	}
	if m := regexp.MustCompile(`(?i)press [a-z]\b`).FindString(out); m != "" {
		t.Errorf("plain mode says %q, but it takes no single keys:\n%s", m, out)
	}
	if m := regexp.MustCompile(`[a-z]-\n`).FindString(out); m != "" {
		t.Errorf("a word was broken at its hyphen: %q", m)
	}
	for _, r := range out {
		if r > 127 {
			t.Fatalf("%q is not ASCII", r)
		}
	}
}

func TestGuideFollowsTheFlow(t *testing.T) {
	l, store := testLink(t)
	// Approved: straight to Generate, then SCIM, then Connect.
	out, res := runPlain(t, l, steps.GuideStart, []string{"1", "", "", "2", "1"}, latticedemo.KeyRevoked, latticedemo.KeyAdmin)
	for _, want := range []string{"Step three of five", "Step four of five", "Step five of five",
		"Lattice rejected", "Nothing was stored.", "Connected to Lattice."} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "Step two of five") {
		t.Error("an approved user was sent to Request access")
	}
	if k, _ := store.Get("default"); k != latticedemo.KeyAdmin || !res.Connected {
		t.Errorf("stored %q, result %+v", k, res)
	}
}

func TestCopyingIsNotSending(t *testing.T) {
	l, _ := testLink(t)
	lines := []string{"2", "2", "1", "2", "6"} // not yet; keep answers; copy; not sent; stop
	var out strings.Builder
	_, err := Run(Options{Start: steps.GuideStart, Link: l, In: strings.NewReader(strings.Join(lines, "\n") + "\n"),
		Out: &out, Width: 80, Copy: func(string) (string, error) { return "Copied.", nil }})
	if err != nil {
		t.Fatal(err)
	}
	if p, _, _ := l.Remembered(); !p.AccessRequestedAt.IsZero() {
		t.Errorf("copying was remembered as sending:\n%s", out.String())
	}
}

func TestRotationFromHome(t *testing.T) {
	l, store := testLink(t)
	if _, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	out, _ := runPlain(t, l, steps.GuideStart, []string{"1", "2"}, latticedemo.KeyRotated)
	for _, want := range []string{"A Lattice key is stored", "valid", "Rotation: the new key is checked with Lattice",
		"Now revoke the old key ****7f3c", "Remember: the old key ****7f3c works until you revoke it"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if k, _ := store.Get("default"); k != latticedemo.KeyRotated {
		t.Errorf("stored %q", k)
	}
}
