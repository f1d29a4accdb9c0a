package steps

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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
		GenerateKey: {"**" + KeysMenuPath + "**", "Generate API key", "**Copy**", "only once",
			"older accounts", "Admin › Settings › API Keys", "Admin › Organization › Settings › API Keys",
			"Switch to admin › Platform › API Keys"},
		SCIM: {"Admin › Settings › Platform › Integrations › Enable SCIM"},
	} {
		for _, f := range facts {
			if !strings.Contains(Get(id).Markdown, f) {
				t.Errorf("%s lacks %q", Get(id).Name, f)
			}
		}
	}
}

// A plain-text or screen-reader face prints a step's text and its Link; it
// cannot follow a markdown link. So every address a step mentions is written
// out in full, in a paragraph of its own (on a line it does not share, a
// long address is not broken more than it must be).
func TestEveryLinkIsWrittenOut(t *testing.T) {
	links := map[ID][]string{
		Prerequisites: {HelpArticle},
		RequestAccess: {AccessEmail},
	}
	for _, s := range All() {
		paragraphs := strings.Split(s.Markdown, "\n\n")
		for _, want := range links[s.ID] {
			found := false
			for _, p := range paragraphs {
				if strings.Trim(strings.TrimSpace(p), "*") == want {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %q is not a paragraph of its own", s.Name, want)
			}
		}
		for _, p := range paragraphs {
			if strings.Contains(p, "](") || strings.Contains(p, "<http") {
				t.Errorf("%s: a markdown link hides its address: %q", s.Name, p)
			}
			if i := strings.Index(p, "https://"); i >= 0 && strings.TrimSpace(p) != strings.TrimSpace(p[i:]) {
				t.Errorf("%s: an address shares its paragraph: %q", s.Name, p)
			}
		}
	}
	// What o opens is data a plain face can print.
	for id, want := range map[ID]string{
		Prerequisites: HelpArticle,
		RequestAccess: "mailto:" + AccessEmail,
		SCIM:          "https://help.lattice.com/hc/en-us/search?query=SCIM",
	} {
		if Get(id).Link != want {
			t.Errorf("%s: link %q", Get(id).Name, Get(id).Link)
		}
	}
}

// A wrapper that breaks words at hyphens would split the command's name, and
// the faces say how to run it: the step texts do not name it.
func TestStepsDoNotNameTheCommand(t *testing.T) {
	for _, s := range All() {
		if strings.Contains(s.Markdown, "lattice-link") {
			t.Errorf("%s names lattice-link", s.Name)
		}
	}
}

func TestListItemsWrapUnderTheirText(t *testing.T) {
	for _, id := range []ID{Prerequisites, GenerateKey} {
		lines := strings.Split(ansi.Strip(Render(id, 60, "dark")), "\n")
		for i := 1; i < len(lines); i++ {
			prev, cur := strings.TrimRight(lines[i-1], " "), strings.TrimRight(lines[i], " ")
			if cur == "" || prev == "" {
				continue
			}
			p := strings.TrimLeft(prev, " ")
			if markerWidth(p) > 0 && markerWidth(strings.TrimLeft(cur, " ")) == 0 &&
				len(cur)-len(strings.TrimLeft(cur, " ")) <= len(prev)-len(p) {
				t.Errorf("%s: %q continues %q under its marker", Get(id).Name, cur, prev)
			}
		}
	}
}
