package steps

import (
	"net/url"
	"strings"

	"github.com/lattice-link/lattice-link/sanitize"
)

// AccessEmail is where Lattice takes requests for API access.
const AccessEmail = "request-api-access@lattice.com"

// Answers are what the admin tells Lattice when asking for API access. They
// are remembered between runs; none of them is secret.
type Answers struct {
	Company  string `json:"company,omitempty"`
	Name     string `json:"name,omitempty"`
	UseCase  string `json:"use_case,omitempty"`
	Tool     string `json:"tool,omitempty"`
	Timeline string `json:"timeline,omitempty"`
}

// ToolChoices are offered for the third-party tool question; the first one
// means no third-party tool.
var ToolChoices = []string{
	"None (in-house only)",
	"An integration platform (e.g. Nango, Merge, Workato)",
	"Our HRIS (e.g. Workday, BambooHR, Rippling)",
	"A data warehouse or BI tool",
	"An identity provider over SCIM (e.g. Okta, Entra ID)",
}

// Clean returns the answers with escape sequences and control characters
// removed (newlines are kept in the use case) and each cut to a sane length.
func (a Answers) Clean() Answers {
	return Answers{
		Company:  sanitize.Line(a.Company, 120),
		Name:     sanitize.Line(a.Name, 120),
		UseCase:  strings.TrimSpace(sanitize.Text(a.UseCase, 4000)),
		Tool:     sanitize.Line(a.Tool, 200),
		Timeline: sanitize.Line(a.Timeline, 200),
	}
}

// Missing lists the questions left unanswered, in the order they are asked.
func (a Answers) Missing() []string {
	var missing []string
	for _, f := range []struct{ value, label string }{
		{a.Company, "company"}, {a.Name, "your name"}, {a.UseCase, "use case"},
		{a.Tool, "third-party tool"}, {a.Timeline, "timeline"},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.label)
		}
	}
	return missing
}

// Email is the request-access email, ready to send.
type Email struct {
	To, Subject, Body string
}

// ComposeEmail writes the request-access email from the answers. Empty
// answers become bracketed placeholders, so the email is never broken.
func ComposeEmail(answers Answers) Email {
	a := answers.Clean()
	company := or(a.Company, "[your company]")
	name := or(a.Name, "[your name]")

	tool := "[No / Yes: the tool's name]"
	switch t := strings.TrimSpace(a.Tool); {
	case t == "":
	case t == ToolChoices[0] || isNone(t):
		tool = "No. We will build and run the integration ourselves."
	default:
		tool = "Yes: " + t + "."
	}

	var b strings.Builder
	b.WriteString("Hello Lattice team,\n\n")
	b.WriteString("I am " + name + ", a Lattice admin at " + strings.TrimRight(company, ".") +
		". We would like API access for our Lattice account.\n\n")
	b.WriteString("What is your intended use case with the API?\n")
	b.WriteString(or(a.UseCase, "[what the integration will do with Lattice's data]") + "\n\n")
	b.WriteString("Will it be used with a third-party software tool?\n")
	b.WriteString(tool + "\n\n")
	b.WriteString("Timeline: " + or(a.Timeline, "[when you need access]") + "\n")
	b.WriteString("Responsible for the build: " + name + "\n\n")
	b.WriteString("Thank you,\n" + name + "\n" + company + "\n")

	return Email{
		To:      AccessEmail,
		Subject: "API access request: " + company,
		Body:    b.String(),
	}
}

// Text is the email as plain text with its headers, as printed or saved.
func (e Email) Text() string {
	return "To: " + e.To + "\nSubject: " + e.Subject + "\n\n" + e.Body
}

// MailtoURL is the email as a mailto: link (RFC 6068): subject and body are
// percent-encoded, spaces as %20 and line breaks as %0D%0A.
func (e Email) MailtoURL() string {
	enc := func(s string) string {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
		return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
	}
	return "mailto:" + e.To + "?subject=" + enc(e.Subject) + "&body=" + enc(e.Body)
}

func or(s, placeholder string) string {
	if strings.TrimSpace(s) == "" {
		return placeholder
	}
	return s
}

func isNone(s string) bool {
	switch strings.ToLower(strings.Trim(s, " .!")) {
	case "no", "none", "n/a", "in-house", "in house", "in-house only", "nope":
		return true
	}
	return false
}
