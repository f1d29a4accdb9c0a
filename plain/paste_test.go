package plain

import (
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
	"github.com/lattice-link/lattice-link/steps"
)

// Marks in the output of runMarked: where a prompt that shows what is
// typed read an answer, and where the hidden key prompt read one.
const (
	echoMark   = "<<echoes>>"
	hiddenMark = "<<hidden>>"
)

// lineReader gives one line per Read, and marks in out each time it is
// read: a prompt that shows what is typed is waiting for an answer.
type lineReader struct {
	lines []string
	out   *strings.Builder
}

func (r *lineReader) Read(p []byte) (int, error) {
	if len(r.lines) == 0 {
		return 0, io.EOF
	}
	r.out.WriteString(echoMark)
	n := copy(p, r.lines[0]+"\n")
	r.lines = r.lines[1:]
	return n, nil
}

// runMarked is runPlain with the prompts marked (echoMark, hiddenMark).
func runMarked(t *testing.T, o Options, lines []string, keys ...string) string {
	t.Helper()
	var out strings.Builder
	o.In, o.Out, o.Width = &lineReader{lines: lines, out: &out}, &out, 80
	o.ReadSecret = func(prompt string) (string, error) {
		out.WriteString(prompt + hiddenMark + "\n")
		if len(keys) == 0 {
			return "", io.EOF
		}
		k := keys[0]
		keys = keys[1:]
		return k, nil
	}
	if _, err := Run(o); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// Advice to paste is followed by the prompt that does not show what is
// typed, never by one that does: a user who pastes where told would put the
// key on screen (walk 2 F15: "paste it here", then "Try another key?").
func TestEveryInviteToPasteLeadsToTheHiddenPrompt(t *testing.T) {
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	withLink := func(o Options) Options {
		nl, err := nango.ParseLink(ns.Link(ns.NewSession()), ns.URL)
		if err != nil {
			t.Fatal(err)
		}
		o.Nango = nango.New(nl, nango.Options{Version: "test"})
		return o
	}
	for _, c := range []struct {
		name   string
		stored string
		link   bool
		lines  []string
		keys   []string
	}{
		{name: "guide", lines: []string{"1", "", "", "2"},
			keys: []string{latticedemo.KeyRevoked, latticedemo.KeyForbidden, "not a key", "https://connect.nango.dev/?session_token=abc", latticedemo.KeyAdmin}},
		{name: "rotation", stored: latticedemo.KeyAdmin, lines: []string{"1", "2"},
			keys: []string{latticedemo.KeyRevoked, latticedemo.KeyAdmin, latticedemo.KeyRotated}},
		{name: "hand-off", link: true, keys: []string{latticedemo.KeyRevoked, latticedemo.KeyAdmin}},
	} {
		l, store := testLink(t)
		if c.stored != "" {
			if _, err := l.Connect(t.Context(), c.stored, "", false); err != nil {
				t.Fatal(err)
			}
		}
		o := Options{Start: steps.GuideStart, Link: l}
		if c.link {
			o = withLink(o)
		}
		out := runMarked(t, o, c.lines, c.keys...)
		if !strings.Contains(out, "Lattice rejected this key (401)") {
			t.Fatalf("%s: no key was rejected:\n%s", c.name, out)
		}
		for _, at := range regexp.MustCompile(`(?i)paste`).FindAllStringIndex(out, -1) {
			rest := out[at[1]:]
			if e, h := strings.Index(rest, echoMark), strings.Index(rest, hiddenMark); e >= 0 && (h < 0 || e < h) {
				t.Errorf("%s: %q is followed by a prompt that shows what is typed:\n%s", c.name, out[max(0, at[0]-200):at[1]+e], out)
			}
		}
		if k, _ := store.Get("default"); !c.link && k == c.stored {
			t.Errorf("%s: the good key after a rejected one was not stored:\n%s", c.name, out)
		}
	}
}

// After a rejected key, enter at the hidden prompt stops, as "No, stop
// here" did; nothing is stored.
func TestEnterAfterARejectedKeyStops(t *testing.T) {
	l, store := testLink(t)
	out, res := runPlain(t, l, steps.Connect, nil, latticedemo.KeyRevoked, "")
	if !res.Cancelled || !strings.Contains(out, "Paste a key (it will not be shown), or press enter to stop:") {
		t.Errorf("result %+v:\n%s", res, out)
	}
	if k, _ := store.Get("default"); k != "" {
		t.Errorf("stored %q", k)
	}
	if strings.Count(out, "no key was given") != 0 {
		t.Errorf("enter was taken as an empty key:\n%s", out)
	}
}
