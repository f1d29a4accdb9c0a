package cmd

import (
	"regexp"
	"strings"
	"testing"
)

// A command's help and completions offer only the shared flags it uses:
// not --demo where the demo has no key (token, status, logout refuse it),
// not --plain where there is no face to make plain. Given anyway, --demo is
// still refused with its reason and --plain does no harm. The man page says
// the same.
func TestCommandsDoNotOfferTheFlagsTheyDoNotUse(t *testing.T) {
	flag := func(name string) *regexp.Regexp { return regexp.MustCompile(`(?m)^\s+` + name + `\s`) }
	for _, c := range []struct {
		args        []string
		demo, plain bool
	}{
		{[]string{"--help"}, true, true},
		{[]string{"connect", "--help"}, true, true},
		{[]string{"email", "--help"}, true, false},
		{[]string{"token", "--help"}, false, false},
		{[]string{"logout", "--help"}, false, false},
		{[]string{"status", "--help"}, false, false},
		{[]string{"man", "--help"}, false, false},
		{[]string{"completion", "bash", "--help"}, false, false},
		{[]string{"help", "token"}, false, false},
	} {
		_, stdout, _ := run(t, c.args...)
		if !flag("-h --help").MatchString(stdout) {
			t.Fatalf("%q: no flags listed:\n%s", c.args, stdout)
		}
		if got := flag("--demo").MatchString(stdout); got != c.demo {
			t.Errorf("%q lists --demo: %v, want %v", c.args, got, c.demo)
		}
		if got := flag("--plain").MatchString(stdout); got != c.plain {
			t.Errorf("%q lists --plain: %v, want %v", c.args, got, c.plain)
		}
	}
	for _, name := range []string{"token", "status", "logout"} {
		if _, stdout, _ := run(t, "__complete", name, "--"); strings.Contains(stdout, "--demo") || strings.Contains(stdout, "--plain") {
			t.Errorf("%s completes --demo or --plain:\n%s", name, stdout)
		}
		for _, args := range [][]string{{name, "--demo"}, {"--demo", name}} {
			if code, _, stderr := run(t, args...); code != exitUsage || !strings.Contains(stderr, "--demo keeps no key") {
				t.Errorf("%q: exit %d\n%s", args, code, stderr)
			}
		}
	}
	// The man page lists them once, among the root's options: not again
	// under each command that does not take them (nor man's own flags).
	_, page, _ := run(t, "man")
	for _, f := range []string{`\fB--demo\fP`, `\fB--plain\fP`, `\fB--region\fP`} {
		if n := strings.Count(page, f); n != 1 {
			t.Errorf("the man page lists %s %d times, want once (the root's)", f, n)
		}
	}
	if code, _, stderr := run(t, "token", "--plain"); code != exitNoKey {
		t.Errorf("token --plain: exit %d, want %d (no key)\n%s", code, exitNoKey, stderr)
	}
}
