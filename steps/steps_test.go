package steps

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
)

func TestEveryStepHasContent(t *testing.T) {
	if Count() != 5 {
		t.Fatalf("%d steps", Count())
	}
	for i, s := range All() {
		if s.ID != ID(i) || s.Title == "" || !strings.HasPrefix(s.Markdown, "# ") {
			t.Errorf("step %d: %+v", i, s)
		}
		if got, err := ByName(s.Name); err != nil || got.ID != s.ID {
			t.Errorf("ByName(%q): %v", s.Name, err)
		}
	}
	if _, err := ByName("nope"); err == nil || !strings.Contains(err.Error(), "prerequisites, request-access, generate-key, scim, connect") {
		t.Errorf("unknown step: %v", err)
	}
	// The facts a user depends on.
	for id, facts := range map[ID][]string{
		Prerequisites: {"admin", "approve"},
		RequestAccess: {AccessEmail, "third-party"},
		GenerateKey:   {"Settings › API Keys", "Settings › Platform › API Keys", "Generate API Key", "only once"},
		SCIM:          {"Admin › Settings › Platform › Integrations › Enable SCIM"},
	} {
		for _, f := range facts {
			if !strings.Contains(Get(id).Markdown, f) {
				t.Errorf("%s lacks %q", Get(id).Name, f)
			}
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
		"third-party software tool?\nYes: Workato.", "Timeline: this month", "Responsible for the build: Grace Hopper"} {
		if !strings.Contains(e.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, e.Body)
		}
	}
	if in := ComposeEmail(Answers{Tool: ToolChoices[0]}); !strings.Contains(in.Body, "No. We will build") {
		t.Errorf("in-house: %s", in.Body)
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
