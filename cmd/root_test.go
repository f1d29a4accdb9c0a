package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/steps"
)

// run runs the command line in a sandbox of its own (a fresh config folder,
// the file store) and returns its exit code, stdout and stderr.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runWith(t, "", args...)
}

// runWith is run with stdin. Runs in one test share its config folder.
func runWith(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if os.Getenv("LATTICE_LINK_CONFIG_DIR") == "" || !strings.HasPrefix(os.Getenv("LATTICE_LINK_CONFIG_DIR"), os.TempDir()) {
		t.Setenv("LATTICE_LINK_CONFIG_DIR", filepath.Join(t.TempDir(), "cfg"))
	}
	t.Setenv("LATTICE_LINK_STORE", "file")
	var out, errOut bytes.Buffer
	code = execute(newFactory("test", nil), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

const (
	typedKey  = "3f2b8c1e-9a4d-4e1b-8f2a-6c7d8e9f0a11"
	tokenPart = "nango_connect_session_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	typedLink = "https://connect.nango.dev/?session_token=" + tokenPart
)

func TestAKeyOrALinkAsAnArgumentIsNeverEchoed(t *testing.T) {
	for _, args := range [][]string{
		{"connect", typedKey},
		{typedKey},
		{"connect", "--key", typedKey},
		{"connect", "--key=" + typedKey},
		{"--api-key", typedKey, "status"},
		{"email", "--company", typedKey},
		{"--region=" + typedKey},
		{"connect", "--nango", typedKey},
		{typedLink},
		{"connect", tokenPart},
	} {
		code, stdout, stderr := run(t, args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
		for _, secret := range []string{typedKey, "6c7d8e9f0a11", tokenPart, "0123456789abcdef"} {
			if strings.Contains(stdout+stderr, secret) {
				t.Errorf("%q: the argument is echoed:\n%s%s", args, stdout, stderr)
			}
		}
		if !strings.Contains(stderr, "shell's history") {
			t.Errorf("%q: no word that it is now in the shell's history:\n%s", args, stderr)
		}
		wantHow := "--key-stdin"
		if strings.Contains(stderr, "Connect link") {
			wantHow = "NANGO_CONNECT_LINK"
		}
		if !strings.Contains(stderr, wantHow) {
			t.Errorf("%q: does not say how to give it (%s):\n%s", args, wantHow, stderr)
		}
	}
	// --key with nothing after it gets the advice, not the warning.
	if _, _, stderr := run(t, "connect", "--key"); !strings.Contains(stderr, "there is no --key flag") || strings.Contains(stderr, "history") {
		t.Errorf("--key alone:\n%s", stderr)
	}
}

func TestALinkIsTakenAsTheValueOfNango(t *testing.T) {
	if err := secretArgs([]string{"connect", "--nango", typedLink, "--key-stdin"}); err != nil {
		t.Error(err)
	}
	if err := secretArgs([]string{"connect", "--nango=" + typedLink}); err != nil {
		t.Error(err)
	}
	if err := secretArgs([]string{"email", "--company", "Acme Inc.", "--tool", "nango", "--use-case", "sync goals"}); err != nil {
		t.Error(err)
	}
}

func TestMistypedCommandsSayWhatWasMeant(t *testing.T) {
	for word, want := range map[string]string{"version": "did you mean lattice-link --version?",
		"login": "did you mean lattice-link connect?", "stauts": "did you mean lattice-link status?"} {
		code, _, stderr := run(t, word)
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d\n%s", word, code, stderr)
		}
	}
}

func TestCompletionForAnUnknownShellIsAnError(t *testing.T) {
	if code, stdout, stderr := run(t, "completion", "tcsh"); code != exitUsage || !strings.Contains(stderr, "bash, zsh, fish or powershell") || stdout != "" {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "completion", "bash"); code != exitOK || !strings.Contains(stdout, "bash completion") {
		t.Errorf("completion bash: exit %d", code)
	}
}

func TestRotateDaysIsRefusedOnceWhenItIsNoNumberOfDays(t *testing.T) {
	for _, v := range []string{"0", "-5", "abc", "\x1b[2J"} {
		t.Setenv("LATTICE_LINK_ROTATE_DAYS", v)
		code, _, stderr := run(t, "status")
		if code != exitUsage || strings.Count(stderr, "LATTICE_LINK_ROTATE_DAYS") != 1 || strings.Contains(stderr, "\x1b") {
			t.Errorf("%q: exit %d\n%q", v, code, stderr)
		}
	}
	t.Setenv("LATTICE_LINK_ROTATE_DAYS", "30")
	if code, _, stderr := run(t, "status"); code != exitNoKey {
		t.Errorf("30: exit %d\n%s", code, stderr)
	}
}

func TestHelpReadsRightAndPipedHasNoTrailingSpaces(t *testing.T) {
	code, stdout, _ := run(t, "--help")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for i, line := range strings.Split(stdout, "\n") {
		if strings.TrimRight(line, " \t") != line {
			t.Errorf("line %d ends in spaces: %q", i+1, line)
		}
	}
	for _, want := range []string{"The US or EMEA region", `("default")`, "lattice-link --version", "man "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "(default)") || strings.Contains(stdout, "Us or") {
		t.Errorf("help reads wrong:\n%s", stdout)
	}
	if _, stdout, _ := run(t, "help", "connect"); strings.Contains(stdout, " \n") {
		t.Error("help connect ends lines in spaces")
	}
}

// Help fits an 80-column terminal, and a flag's default is said once, not
// after the environment variable's own parenthesis.
func TestHelpFitsEightyColumnsAndSaysDefaultsOnce(t *testing.T) {
	t.Setenv("LATTICE_API_URL", "http://127.0.0.1:39391")
	for _, c := range [][]string{{"--help"}, {"connect", "--help"}, {"status", "--help"}, {"token", "--help"}, {"logout", "--help"}} {
		_, stdout, _ := run(t, c...)
		for _, line := range strings.Split(stdout, "\n") {
			if n := len([]rune(line)); n > 80 {
				t.Errorf("%v: a line of %d columns: %q", c, n, line)
			}
			if strings.Contains(line, ") (") {
				t.Errorf("%v: two parentheses: %q", c, line)
			}
		}
	}
}

func TestManPage(t *testing.T) {
	code, stdout, _ := run(t, "man")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !regexp.MustCompile(`(?m)^\.TH LATTICE-LINK 1 "[^"]*" "lattice-link test" "User Commands"$`).MatchString(stdout) {
		t.Errorf("header: %q", strings.SplitN(stdout, "\n", 2)[0])
	}
	if strings.Contains(stdout, "--o ") || !strings.Contains(stdout, `\fB-o --out\fP`) {
		t.Error("-o is not written as -o")
	}
	if !strings.Contains(stdout, `through the guide "How do I link my account?": prerequisites`) {
		t.Errorf("the description is split into a paragraph per line:\n%s", stdout)
	}
	for _, section := range []string{".SH EXIT STATUS\n", ".SH ENVIRONMENT\n", ".SH FILES\n", "\\fB130\\fP", "\\fBLATTICE_LINK_CONFIG_DIR\\fP", "state.json"} {
		if !strings.Contains(stdout, section) {
			t.Errorf("no %q in the man page", section)
		}
	}
}

func TestEmailFlags(t *testing.T) {
	var got *EmailOptions
	cmd := NewCmdEmail(newFactory("test", nil), func(o *EmailOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--company", "Initech", "--tool", "none", "-o", "req.txt", "--copy"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := steps.Answers{Company: "Initech", Tool: "none"}
	if got == nil || got.Answers != want || got.OutFile != "req.txt" || !got.Copy || got.Sent {
		t.Fatalf("%+v", got)
	}
	if !got.Given["company"] || !got.Given["tool"] || got.Given["name"] {
		t.Errorf("given: %v", got.Given)
	}
}

func TestEmailExitCodes(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "email.txt")
	if code, _, stderr := run(t, "email", "--company", "Initech", "--out", out); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), "Initech") {
		t.Errorf("wrote %q", b)
	}
	if code, _, stderr := run(t, "email", "--out", out); code != exitUsage || !strings.Contains(stderr, "exists already") {
		t.Errorf("over an existing file: exit %d\n%s", code, stderr)
	}
	if code, stdout, _ := run(t, "email", "--name", "Peter Gibbons"); code != exitOK || !strings.Contains(stdout, "Peter Gibbons") {
		t.Errorf("to stdout: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := run(t, "email", "extra"); code != exitUsage || !strings.Contains(stderr, "takes no arguments") {
		t.Errorf("an argument: exit %d\n%s", code, stderr)
	}
}

func TestRootFlags(t *testing.T) {
	var got *RootOptions
	root := NewCmdRoot(newFactory("test", nil), func(o *RootOptions) error { got = o; return nil })
	root.SetArgs([]string{"--step", "scim"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Step != "scim" {
		t.Fatalf("%+v", got)
	}
	if code, _, stderr := run(t, "--step", "nowhere"); code != exitUsage || !strings.Contains(stderr, "connect") {
		t.Errorf("an unknown step: exit %d\n%s", code, stderr)
	}
	if code, _, _ := run(t, "--no-such-flag"); code != exitUsage {
		t.Errorf("an unknown flag: exit %d", code)
	}
	if code, _, _ := run(t, "--store", "vault", "status"); code != exitUsage {
		t.Errorf("an unknown store: exit %d", code)
	}
	if code, _, _ := run(t, "token"); code != exitNoKey {
		t.Errorf("token with no key: exit %d", code)
	}
}

func TestCommandFlags(t *testing.T) {
	f := newFactory("test", nil)
	var connect *ConnectOptions
	c := NewCmdConnect(f, func(o *ConnectOptions) error { connect = o; return nil })
	c.SetArgs([]string{"--key-stdin", "--stored"})
	if err := c.Execute(); err != nil || connect == nil || !connect.KeyStdin || !connect.Stored {
		t.Errorf("connect: %v %+v", err, connect)
	}
	var status *StatusOptions
	c = NewCmdStatus(f, func(o *StatusOptions) error { status = o; return nil })
	c.SetArgs([]string{"--json", "--scim", "--all"})
	if err := c.Execute(); err != nil || status == nil || *status != (StatusOptions{JSON: true, SCIM: true, All: true}) {
		t.Errorf("status: %v %+v", err, status)
	}
	// token and logout open nothing before their run function.
	t.Setenv("LATTICE_LINK_CONFIG_DIR", "relative/not/allowed")
	for name, build := range map[string]func() (*bool, *cobra.Command){
		"token": func() (*bool, *cobra.Command) {
			ran := new(bool)
			return ran, NewCmdToken(f, func(*TokenOptions) error { *ran = true; return nil })
		},
		"logout": func() (*bool, *cobra.Command) {
			ran := new(bool)
			return ran, NewCmdLogout(f, func(*LogoutOptions) error { *ran = true; return nil })
		},
	} {
		ran, c := build()
		c.SetArgs(nil)
		if err := c.Execute(); err != nil || !*ran || f.runner.failure != nil {
			t.Errorf("%s: %v, ran %v, failure %v", name, err, *ran, f.runner.failure)
		}
	}
}

func TestCommandExitCodes(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_API_URL", srv.URL)
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"logout"}, exitNoKey},
		{[]string{"token"}, exitNoKey},
		{[]string{"status"}, exitNoKey},
		{[]string{"connect", "--stored"}, exitUsage},
		{[]string{"connect", "--keep", "--key-stdin"}, exitUsage},
		{[]string{"status", "extra"}, exitUsage},
	} {
		if code, _, stderr := run(t, c.args...); code != c.want {
			t.Errorf("%q: exit %d, want %d\n%s", c.args, code, c.want, stderr)
		}
	}
	if code, _, stderr := runWith(t, latticedemo.KeyRevoked+"\n", "connect", "--key-stdin"); code != exitRejected {
		t.Errorf("a revoked key: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runWith(t, latticedemo.KeyAdmin+"\n", "connect", "--key-stdin"); code != exitOK {
		t.Fatalf("connect: exit %d\n%s", code, stderr)
	}
	// status says it is checking, as connect does, before a check that can be slow.
	code, stdout, stderr := run(t, "status")
	if code != exitOK || !strings.Contains(stderr, "Checking the key with Lattice (US)") || !strings.Contains(stdout, "valid") {
		t.Errorf("status: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "token"); code != exitOK || stdout != latticedemo.KeyAdmin+"\n" {
		t.Errorf("token: exit %d %q", code, stdout)
	}
	if code, _, _ := run(t, "logout"); code != exitOK {
		t.Errorf("logout: exit %d", code)
	}
}

// The shell completes "--key" towards "--key-stdin": that partial word is
// no key flag, but a key typed before it still ends the run unseen.
func TestCompletingAFlagThatStartsLikeAKeyFlag(t *testing.T) {
	code, stdout, stderr := run(t, "__complete", "connect", "--key")
	if code != 0 || !strings.Contains(stdout, "--key-stdin") {
		t.Errorf("__complete connect --key: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if code, _, _ := run(t, "__complete", "connect", "--key", "x", ""); code != exitUsage {
		t.Errorf("a --key with a value while completing: exit %d, want %d", code, exitUsage)
	}
}
