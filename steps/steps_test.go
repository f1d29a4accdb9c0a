package steps

import (
	"strings"
	"testing"
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
