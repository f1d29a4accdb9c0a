package plain

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
	"github.com/lattice-link/lattice-link/steps"
)

// A key pasted at a prompt that shows what is typed is not taken as the
// answer, not saved, not repeated: the user is told it is on screen now.
func TestAKeyAtAnAnswerPromptIsRecognisedNeverTaken(t *testing.T) {
	l, _ := testLink(t)
	key := "3f2b8c1e-9a4d-4e1b-8f2a-6c7d8e9f0a11"
	// Prerequisites gets the key, then "not yet"; the email's answers get it
	// as the company, then a real one; then stop.
	out, _ := runPlain(t, l, steps.GuideStart, []string{key, "2", "1", key, "Initech", "", "", "1", "", "6"})
	if strings.Contains(out, key) || strings.Contains(out, "8f2a") {
		t.Errorf("the key was repeated:\n%s", out)
	}
	if n := strings.Count(out, "That looks like a Lattice API key."); n != 2 {
		t.Errorf("recognised %d times, want 2:\n%s", n, out)
	}
	for _, want := range []string{"on the screen now", "revoke it in Lattice", "Step two of five"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if p, _, _ := l.Remembered(); p.Answers.Company != "Initech" {
		t.Errorf("remembered the company as %q", p.Answers.Company)
	}
}

func TestALinkAtAnAnswerPromptIsRecognised(t *testing.T) {
	l, _ := testLink(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	link := ns.Link(ns.NewSession())
	out, _ := runPlain(t, l, steps.GenerateKey, []string{link, "", ""})
	if strings.Contains(out, link) || strings.Contains(out, "session_token") {
		t.Errorf("the link was repeated:\n%s", out)
	}
	for _, want := range []string{"That looks like an app's Nango Connect link.", "NANGO_CONNECT_LINK"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if p, _, _ := l.Remembered(); p.Subdomain != "" {
		t.Errorf("the link was taken as the subdomain %q", p.Subdomain)
	}
}

// With a Connect link and no key stored, plain mode opens at Connect, as
// the wizard does: not at Prerequisites, whose prompt shows what is typed.
func TestALinkOpensAtConnect(t *testing.T) {
	l, _ := testLink(t)
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	nl, err := nango.ParseLink(ns.Link(ns.NewSession()), ns.URL)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	_, err = Run(Options{Start: steps.GuideStart, Link: l, In: strings.NewReader(""), Out: &out, Width: 80,
		Nango:      nango.New(nl, nango.Options{Version: "test"}),
		ReadSecret: func(string) (string, error) { return latticedemo.KeyAdmin, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Step five of five: Connect") || strings.Contains(out.String(), "Step one") {
		t.Errorf("plain mode with a link did not open at Connect:\n%s", out.String())
	}
}
