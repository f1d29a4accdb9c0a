package cmd

import (
	"strings"
	"testing"
)

// A Connect link whose query cannot be read whole (here a ';' after the
// apiURL) is refused before a key is read, saying what is wrong with it and
// to ask the app for a new one, instead of sending the key to Nango Cloud.
func TestALinkWithASemicolonIsRefusedWithItsReason(t *testing.T) {
	link := typedLink + "&apiURL=https://nango.example.com;v=1"
	code, stdout, stderr := runWith(t, typedKey+"\n", "connect", "--nango", link, "--key-stdin")
	if code != exitUsage {
		t.Errorf("exit %d, want %d\n%s", code, exitUsage, stderr)
	}
	for _, want := range []string{"not a usable Nango Connect link", "';'", "apiURL", "Ask the app for a new Connect link"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no %q in\n%s", want, stderr)
		}
	}
	if strings.Contains(stdout+stderr, tokenPart[len(tokenPart)-12:]) || strings.Contains(stdout+stderr, "6c7d8e9f0a11") {
		t.Errorf("the link or the key is shown:\n%s%s", stdout, stderr)
	}
}
