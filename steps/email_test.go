package steps

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
)

// Lattice asks two questions: the intended use case, and whether a
// third-party software tool will use the API and which. Every ready answer
// must give an email that answers both, naming the tool on a yes.
func TestEveryToolChoiceAnswersLatticesQuestions(t *testing.T) {
	want := map[string]string{
		"None: our own code": "No: our own code.",
		"An in-house script": "No: an in-house script.",
		"Nango":              "Yes: Nango.",
		"Merge":              "Yes: Merge.",
		"Workato":            "Yes: Workato.",
		"Zapier":             "Yes: Zapier.",
	}
	if len(ToolChoices) != len(want) {
		t.Fatalf("ToolChoices %q: give each new one its expected answer here", ToolChoices)
	}
	for _, choice := range ToolChoices {
		t.Run(choice, func(t *testing.T) {
			if strings.Contains(choice, "e.g.") || strings.Contains(choice, ",") || strings.Contains(choice, "(") {
				t.Errorf("%q names more than one tool", choice)
			}
			a := Answers{Company: "Acme", Name: "Ada", UseCase: "Sync review cycles into our data warehouse.",
				Tool: choice, Timeline: "next month"}
			if m := a.Missing(); len(m) != 0 {
				t.Errorf("missing %v", m)
			}
			body := ComposeEmail(a).Body
			for _, q := range []string{
				"What is your intended use case with the API?\nSync review cycles into our data warehouse.\n",
				"Will it be used with a third-party software tool? If so, which one?\n" + want[choice] + "\n",
			} {
				if !strings.Contains(body, q) {
					t.Errorf("the email lacks %q:\n%s", q, body)
				}
			}
			if strings.Contains(body, "[") {
				t.Errorf("a placeholder is left:\n%s", body)
			}
		})
	}
}

func TestToolAnswer(t *testing.T) {
	for in, want := range map[string]string{
		"Nango":                "Yes: Nango.",
		"  Nango.  ":           "Yes: Nango.",
		"Zapier!":              "Yes: Zapier.",
		"Yes: Paragon":         "Yes: Paragon.",
		"yes:   Tray.io.":      "Yes: Tray.io.",
		"yes":                  "Yes: [the tool's name].",
		"Yes:":                 "Yes: [the tool's name].",
		"no":                   "No.",
		"None.":                "No.",
		"N/A":                  "No.",
		"None (in-house only)": "No.", // the ready answer of earlier versions
		"No: a nightly job":    "No: a nightly job.",
		"none:":                "No.",
		"None: our own code":   "No: our own code.",
		"Okta (SCIM)":          "Yes: Okta (SCIM).",
		"Nonesuch":             "Yes: Nonesuch.",
		"Noodle: v2":           "Yes: Noodle: v2.",
	} {
		if got := ToolAnswer(in); got != want {
			t.Errorf("ToolAnswer(%q) = %q, want %q", in, got, want)
		}
	}
}

// A ready answer of an earlier version lists examples instead of naming the
// tool: remembered in state.json, it must not reach Lattice.
func TestVagueOldToolChoicesAreAskedAgain(t *testing.T) {
	for old := range vagueToolChoices {
		a := Answers{Company: "Acme", Name: "Ada", UseCase: "x", Tool: old, Timeline: "soon"}
		if m := a.Missing(); len(m) != 1 || m[0] != "third-party tool" {
			t.Errorf("%q: missing %v", old, m)
		}
		if body := ComposeEmail(a).Body; strings.Contains(body, "e.g.") || !strings.Contains(body, "[No / Yes: the tool's name]") {
			t.Errorf("%q:\n%s", old, body)
		}
	}
}

func TestEmailAnswersEveryQuestion(t *testing.T) {
	e := ComposeEmail(Answers{Company: "Acme Inc.", Name: "Grace Hopper", UseCase: "Sync goals\ninto Snowflake",
		Tool: "Workato", Timeline: "this month"})
	if e.To != AccessEmail || e.Subject != "API access request: Acme Inc." {
		t.Errorf("headers %q %q", e.To, e.Subject)
	}
	for _, want := range []string{"Grace Hopper, a Lattice admin at Acme Inc. We", "Sync goals\ninto Snowflake",
		"third-party software tool? If so, which one?\nYes: Workato.\n", "Timeline: this month",
		"Responsible for the build: Grace Hopper"} {
		if !strings.Contains(e.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, e.Body)
		}
	}
}

func TestEmptyAnswersLeavePlaceholders(t *testing.T) {
	e := ComposeEmail(Answers{})
	for _, want := range []string{"[your company]", "[your name]", "[what the integration", "[No / Yes", "[when you need access]"} {
		if !strings.Contains(e.Text(), want) {
			t.Errorf("no %q", want)
		}
	}
	if got := (Answers{}).Missing(); len(got) != 5 {
		t.Errorf("missing %v", got)
	}
}

func TestEmailIsCleaned(t *testing.T) {
	e := ComposeEmail(Answers{Company: "Ev\x1b[2Jil\x1b]52;c;AAAA\x07 Corp", Tool: "Tool\x00\x9b31m"})
	for _, r := range e.Text() {
		if unicode.IsControl(r) && r != '\n' {
			t.Fatalf("control %U in %q", r, e.Text())
		}
	}
	if !strings.Contains(e.Subject, "Evil Corp") {
		t.Errorf("subject %q", e.Subject)
	}
}

func TestMailtoRoundTrips(t *testing.T) {
	answers := []Answers{
		{Company: "Smith & Sons", Name: "Zoë Ñúñez", UseCase: "Is it ok? #1 & 100% sure\nline two", Tool: "a+b=c", Timeline: "Q3/Q4"},
		{UseCase: strings.Repeat("long use case ", 150)[:2000]},
		{Company: "日本 株式会社", Name: "名前"},
	}
	for _, a := range answers {
		e := ComposeEmail(a)
		u, err := url.Parse(e.MailtoURL())
		if err != nil {
			t.Fatal(err)
		}
		if u.Scheme != "mailto" || u.Opaque != AccessEmail {
			t.Errorf("scheme %q opaque %q", u.Scheme, u.Opaque)
		}
		q := u.Query()
		if q.Get("subject") != e.Subject {
			t.Errorf("subject %q != %q", q.Get("subject"), e.Subject)
		}
		if strings.ReplaceAll(q.Get("body"), "\r\n", "\n") != e.Body {
			t.Errorf("body does not round-trip")
		}
		if strings.Contains(e.MailtoURL(), "+") || strings.Contains(e.MailtoURL(), " ") {
			t.Errorf("spaces must be %%20: %.80s", e.MailtoURL())
		}
	}
}

func FuzzEmail(f *testing.F) {
	f.Add("Acme", "Grace", "use & case?", "tool#", "soon")
	f.Add("\x1b[2J", "\xff", "a\r\nb", "", "\u202e")
	f.Fuzz(func(t *testing.T, company, name, useCase, tool, timeline string) {
		e := ComposeEmail(Answers{company, name, useCase, tool, timeline})
		for _, r := range e.Text() {
			if unicode.IsControl(r) && r != '\n' {
				t.Fatalf("control %U", r)
			}
		}
		u, err := url.Parse(e.MailtoURL())
		if err != nil {
			t.Fatalf("mailto does not parse: %v", err)
		}
		if q := u.Query(); q.Get("subject") != e.Subject || strings.ReplaceAll(q.Get("body"), "\r\n", "\n") != e.Body {
			t.Fatal("mailto does not round-trip")
		}
	})
}
