// Package steps holds the guide the wizard follows: one markdown file per
// step, written in the project's own words from Lattice's public guide, and
// the little a screen needs to know about each step.
package steps

import (
	"embed"
	"fmt"
	"strings"
)

// ID identifies a step; the zero value is the first step.
type ID int

const (
	Prerequisites ID = iota
	RequestAccess
	GenerateKey
	SCIM
	Connect
)

// Step is one screen of the guide.
type Step struct {
	ID    ID
	Name  string // the name --step takes
	Title string
	// Link is what `o` opens, or "" when the step has none. The Generate key
	// step's link depends on the company's subdomain: see KeysPageURL.
	Link     string
	Markdown string
}

//go:embed content/*.md
var content embed.FS

// HelpArticle is Lattice's own article on its public API.
const HelpArticle = "https://help.lattice.com/hc/en-us/articles/360059449534"

var all = []Step{
	{ID: Prerequisites, Name: "prerequisites", Title: "Prerequisites", Link: HelpArticle},
	{ID: RequestAccess, Name: "request-access", Title: "Request API access", Link: "mailto:" + AccessEmail},
	{ID: GenerateKey, Name: "generate-key", Title: "Generate the key"},
	{ID: SCIM, Name: "scim", Title: "SCIM (optional)", Link: "https://help.lattice.com/hc/en-us/search?query=SCIM"},
	{ID: Connect, Name: "connect", Title: "Connect"},
}

func init() {
	for i := range all {
		b, err := content.ReadFile("content/" + all[i].Name + ".md")
		if err != nil {
			panic(err) // a missing file is a build mistake, caught by any test
		}
		all[i].Markdown = string(b)
	}
}

// All returns the steps in order.
func All() []Step { return all }

// Count is the number of steps.
func Count() int { return len(all) }

// Get returns the step with the given id.
func Get(id ID) Step { return all[id] }

// Names lists the names --step accepts.
func Names() []string {
	names := make([]string, len(all))
	for i, s := range all {
		names[i] = s.Name
	}
	return names
}

// ByName finds a step by the name --step takes.
func ByName(name string) (Step, error) {
	for _, s := range all {
		if s.Name == name {
			return s, nil
		}
	}
	return Step{}, fmt.Errorf("unknown step %q: choose one of %s", name, strings.Join(Names(), ", "))
}
