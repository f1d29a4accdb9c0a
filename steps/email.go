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

// ToolChoices are the ready answers to the third-party tool question, each a
// final answer (ToolAnswer turns it into the email's line). Lattice asks
// which tool, so each names one; the face adds "another tool: type its
// name". The first two mean no third-party tool.
var ToolChoices = []string{
	"None: our own code",
	"An in-house script",
	"Nango",
	"Merge",
	"Workato",
	"Zapier",
}

// noToolAnswers are the email's answers for the ready answers that mean no
// third-party tool.
var noToolAnswers = map[string]string{
	ToolChoices[0]: "No: our own code.",
	ToolChoices[1]: "No: an in-house script.",
}

// vagueToolChoices are ready answers of earlier versions that name no single
// tool. A remembered one is treated as unanswered, so the question is asked
// again instead of sending Lattice a list of examples.
var vagueToolChoices = map[string]bool{
	"An integration platform (e.g. Nango, Merge, Workato)": true,
	"Our HRIS (e.g. Workday, BambooHR, Rippling)":          true,
	"A data warehouse or BI tool":                          true,
	"An identity provider over SCIM (e.g. Okta, Entra ID)": true,
}

// Clean returns the answers with escape sequences and control characters
// removed (newlines are kept in the use case) and each cut to a sane length.
// A ready tool answer of an earlier version that names no tool is dropped.
func (a Answers) Clean() Answers {
	return Answers{
		Company:  sanitize.Line(a.Company, 120),
		Name:     sanitize.Line(a.Name, 120),
		UseCase:  strings.TrimSpace(sanitize.Text(a.UseCase, 4000)),
		Tool:     cleanTool(a.Tool),
		Timeline: sanitize.Line(a.Timeline, 200),
	}
}

// Missing lists the questions left unanswered, in the order they are asked.
func (a Answers) Missing() []string {
	a = a.Clean()
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
	if a.Tool != "" {
		tool = ToolAnswer(a.Tool)
	}

	var b strings.Builder
	b.WriteString("Hello Lattice team,\n\n")
	b.WriteString("I am " + name + ", a Lattice admin at " + strings.TrimRight(company, ".") +
		". We would like API access for our Lattice account.\n\n")
	b.WriteString("What is your intended use case with the API?\n")
	b.WriteString(or(a.UseCase, "[what the integration will do with Lattice's data]") + "\n\n")
	b.WriteString("Will it be used with a third-party software tool? If so, which one?\n")
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

// ToolAnswer is the email's answer to "Will it be used with a third-party
// software tool? If so, which one?" for a non-empty answer to the tool
// question: "No: our own code.", "No." or "Yes: Nango.".
func ToolAnswer(tool string) string {
	t := strings.TrimSpace(tool)
	if a, ok := noToolAnswers[t]; ok {
		return a
	}
	t = strings.TrimRight(t, " .!")
	if isNone(t) {
		return "No."
	}
	// Typed in the form of the answer: "No: a nightly job", "Yes: Nango".
	head, rest, ok := strings.Cut(t, ":")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(strings.TrimSpace(head)) {
	case "no", "none":
		if ok && rest != "" {
			return "No: " + rest + "."
		}
		return "No."
	case "yes", "y":
		if !ok || rest == "" {
			return "Yes: " + toolPlaceholder + "."
		}
		t = rest
	}
	for _, c := range ToolChoices[len(noToolAnswers):] {
		if strings.EqualFold(t, c) { // --tool nango: the tool as its makers write it
			t = c
		}
	}
	return "Yes: " + t + "."
}

// toolPlaceholder stands for the tool's name when a yes does not give it.
const toolPlaceholder = "[the tool's name]"

// cleanTool is the tool answer made safe to show, or "" for a vague ready
// answer of an earlier version.
func cleanTool(tool string) string {
	t := sanitize.Line(tool, 200)
	if vagueToolChoices[strings.TrimSpace(t)] {
		return ""
	}
	return t
}

func isNone(s string) bool {
	switch strings.ToLower(strings.Trim(s, " .!")) {
	case "no", "none", "n/a", "in-house", "in house", "in-house only", "nope",
		"none (in-house only)": // the ready answer of earlier versions
		return true
	}
	return false
}
