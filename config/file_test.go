package config

import (
	"strings"
	"testing"
)

// A credentials.json that cannot be read is set aside in the words of the
// user's own system: Windows users get PowerShell's Rename-Item (cmd has no
// mv), with the path quoted as PowerShell reads it.
func TestMoveAsideAdviceSpeaksEachSystemsWords(t *testing.T) {
	for _, c := range []struct {
		goos, path string
		want       []string
		not        []string
	}{
		{"linux", "/home/ada/.config/lattice-link/credentials.json",
			[]string{"mv /home/ada/.config/lattice-link/credentials.json /home/ada/.config/lattice-link/credentials.json.bad"},
			[]string{"Rename-Item"}},
		{"darwin", "/Users/ada/Library/Application Support/lattice-link/credentials.json",
			[]string{"mv '/Users/ada/Library/Application Support/lattice-link/credentials.json' '/Users/ada/Library/Application Support/lattice-link/credentials.json.bad'"},
			[]string{"Rename-Item"}},
		{"windows", `C:\Users\O'Brien\AppData\Roaming\lattice-link\credentials.json`,
			[]string{"Rename it to credentials.json.bad",
				`Rename-Item -LiteralPath 'C:\Users\O''Brien\AppData\Roaming\lattice-link\credentials.json' -NewName credentials.json.bad`},
			[]string{"mv ", "move aside"}},
		{"windows", `C:\Users\O’Brien $x\AppData\Roaming\lattice-link\credentials.json`,
			[]string{`-LiteralPath 'C:\Users\O’’Brien $x\AppData\Roaming\lattice-link\credentials.json'`},
			[]string{"mv "}},
	} {
		got := moveAsideAdvice(c.goos, c.path)
		for _, want := range c.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %q is not in %q", c.goos, want, got)
			}
		}
		for _, not := range c.not {
			if strings.Contains(strings.ToLower(got), strings.ToLower(not)) {
				t.Errorf("%s: %q is in %q", c.goos, not, got)
			}
		}
		if !strings.HasSuffix(got, "and store the key again") {
			t.Errorf("%s: %q does not say what to do next", c.goos, got)
		}
	}
}
