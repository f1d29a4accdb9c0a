package steps

import "testing"

// A ready tool typed in another case (email --tool nango) is written as the
// wizard writes it.
func TestToolAnswerSpellsAReadyToolAsItsMakersDo(t *testing.T) {
	for in, want := range map[string]string{"nango": "Yes: Nango.", "ZAPIER": "Yes: Zapier.", "yes: merge": "Yes: Merge.",
		"Nango": "Yes: Nango.", "our own tool": "Yes: our own tool."} {
		if got := ToolAnswer(in); got != want {
			t.Errorf("ToolAnswer(%q) = %q, want %q", in, got, want)
		}
	}
}
