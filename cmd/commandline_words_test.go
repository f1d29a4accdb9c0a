package cmd

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// status --all writes a failing profile's "Error:" as every other error is
// written: without colour where stderr is no terminal (a file, a log, a
// cron mail) (walk 2 F43).
func TestStatusAllWritesErrorsWithoutColourToAFile(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_API_URL", srv.URL)
	for _, p := range []struct{ profile, key string }{{"a", latticedemo.KeyAdmin}, {"b", latticedemo.KeyRotated}} {
		if code, _, stderr := runWith(t, p.key+"\n", "connect", "--key-stdin", "--profile", p.profile); code != exitOK {
			t.Fatalf("connect %s: exit %d\n%s", p.profile, code, stderr)
		}
	}
	srv.Revoke(latticedemo.KeyAdmin)
	code, _, stderr := run(t, "status", "--all")
	if code != exitRejected || !strings.Contains(stderr, "Error: This key no longer works") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if strings.ContainsRune(stderr, '\x1b') {
		t.Errorf("an escape sequence went to a file: %q", stderr)
	}
}

// A URL from LATTICE_API_URL and a key from LATTICE_API_KEY are named as
// what the user set, not as a flag that was never given; the note that the
// environment's key is used comes before the check.
func TestStatusNamesTheEnvironmentThatGaveTheURLAndTheKey(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_LINK_CONFIG_DIR", filepath.Join(t.TempDir(), "cfg"))
	status := func(args ...string) (int, string) {
		var stderr bytes.Buffer
		code := execute(newFactory("test", map[string]string{"LATTICE_API_KEY": latticedemo.KeyRevoked}), append([]string{"status"}, args...),
			strings.NewReader(""), io.Discard, &stderr)
		return code, stderr.String()
	}
	t.Setenv("LATTICE_API_URL", srv.URL)
	code, stderr := status()
	for _, want := range []string{"(LATTICE_API_URL)", "run again with the right LATTICE_API_URL", "set LATTICE_API_KEY to it"} {
		if code != exitRejected || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, no %q in\n%s", code, want, stderr)
		}
	}
	if strings.Contains(stderr, "--api-url") || strings.Contains(stderr, "give it to the command again") {
		t.Errorf("names what was not given:\n%s", stderr)
	}
	if u, c := strings.Index(stderr, "Using LATTICE_API_KEY"), strings.Index(stderr, "Checking the key"); u < 0 || u > c {
		t.Errorf("the environment's key is said after the check starts:\n%s", stderr)
	}
	if code, stderr := status("--api-url", srv.URL); code != exitRejected || !strings.Contains(stderr, "(--api-url)") {
		t.Errorf("the flag given is not named: exit %d\n%s", code, stderr)
	}
	t.Setenv("LATTICE_API_URL", "http://lattice.example")
	if code, stderr := status(); code != exitUsage || !strings.HasPrefix(stderr, "Error: LATTICE_API_URL must use https") {
		t.Errorf("a bad LATTICE_API_URL: exit %d\n%s", code, stderr)
	}
	if code, stderr := status("--api-url", "http://lattice.example"); code != exitUsage || !strings.HasPrefix(stderr, "Error: --api-url must use https") {
		t.Errorf("a bad --api-url: exit %d\n%s", code, stderr)
	}
}

// status --scim says what it waits on once Lattice accepted the key (its
// SCIM API can take 10 s), and SCIM's failure stays in the table: "SCIM"
// once, every line under the value.
func TestStatusSCIMSaysWhatItWaitsOnAndKeepsItsRow(t *testing.T) {
	demo := latticedemo.New()
	t.Cleanup(demo.Close)
	target, _ := url.Parse(demo.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/scim/") {
			w.WriteHeader(http.StatusUnauthorized) // an error of SCIM alone, over two lines
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_API_URL", srv.URL)
	t.Setenv("LATTICE_LINK_CONFIG_DIR", filepath.Join(t.TempDir(), "cfg"))
	var stdout, stderr bytes.Buffer
	code := execute(newFactory("test", map[string]string{"LATTICE_API_KEY": latticedemo.KeyAdmin}), []string{"status", "--scim"},
		strings.NewReader(""), &stdout, &stderr)
	if code != exitOK || !strings.Contains(stderr.String(), "Lattice accepted the key; waiting for its SCIM API to answer…") {
		t.Errorf("exit %d\n%s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	var row []string
	for i, l := range lines {
		if strings.HasPrefix(l, "  SCIM     ") {
			row = lines[i:]
		}
	}
	if len(row) < 2 || strings.Contains(row[0], "SCIM     SCIM") || !strings.HasPrefix(row[1], "           Make sure SCIM is enabled") {
		t.Errorf("the SCIM row:\n%s", stdout.String())
	}
}

// A command's help lists only the shared flags that do something for it:
// no region or host where nothing asks Lattice (token, logout, email, man),
// no store where no key is read (email, man), none for man and completion
// (walk 2 F22).
func TestHelpListsOnlyTheFlagsThatDoSomething(t *testing.T) {
	for _, c := range []struct {
		cmd    []string
		listed []string
	}{
		{[]string{"status"}, []string{"--region", "--api-url", "--store", "--profile"}},
		{[]string{"connect"}, []string{"--region", "--api-url", "--store", "--profile"}},
		{[]string{"token"}, []string{"--store", "--profile"}},
		{[]string{"logout"}, []string{"--store", "--profile"}},
		{[]string{"email"}, []string{"--profile"}},
		{[]string{"man"}, nil},
		{[]string{"completion", "bash"}, nil},
	} {
		_, stdout, _ := run(t, append(c.cmd, "--help")...)
		for _, f := range []string{"--region", "--api-url", "--store", "--profile"} {
			want := slices.Contains(c.listed, f)
			if got := regexp.MustCompile(`(?m)^\s+` + f + `\s`).MatchString(stdout); got != want {
				t.Errorf("%q lists %s: %v, want %v\n%s", c.cmd, f, got, want, stdout)
			}
		}
	}
	// Given anyway, a hidden flag still works: token reads the profile's store.
	if code, _, stderr := run(t, "token", "--region", "emea"); code != exitNoKey {
		t.Errorf("token --region emea: exit %d\n%s", code, stderr)
	}
}

// The shell completes the values of --step, --region and --store; the man
// page's synopsis takes a command, not an argument, its options read as
// --help's (a capital first) and it lists lattice-link's commands, not
// completion's shells in cobra's words (walk 2 F22).
func TestCompletionOffersValuesAndTheManPageReadsAsHelp(t *testing.T) {
	for _, c := range [][]string{{"--step", "generate-key"}, {"status", "--region", "emea"}, {"connect", "--store", "keyring"}} {
		args := append([]string{"__complete"}, c[:len(c)-1]...)
		if _, stdout, _ := run(t, append(args, "")...); !strings.Contains(stdout, c[len(c)-1]+"\n") {
			t.Errorf("%q completes to:\n%s", c[:len(c)-1], stdout)
		}
	}
	_, page, _ := run(t, "man")
	for _, bad := range []string{`[\fIargument`, "Generate the autocompletion script", "\n" + `a stand-in for Lattice`} {
		if strings.Contains(page, bad) {
			t.Errorf("the man page has %q", bad)
		}
	}
	if !strings.Contains(page, `[\fIcommand\fP]`) || !strings.Contains(page, "\nA stand-in for Lattice") {
		t.Errorf("the man page's synopsis or options:\n%s", page)
	}
	if _, stdout, _ := run(t, "completion", "--help"); strings.Contains(stdout, "autocompletion") || !strings.Contains(stdout, "--step, --region, --store") {
		t.Errorf("completion --help:\n%s", stdout)
	}
}

// Command-line wording: help on a command there is not is an error with
// the same hint as the command, every "did you mean" names the whole
// command, an unknown flag points at the command's help, a file that
// cannot be written is said in words, and an address with no Lattice API
// (404) is the usage error its message says it is (walk 2 F21).
func TestCommandLineWordsAreConsistent(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		says []string
	}{
		{[]string{"help", "version"}, exitUsage, []string{"did you mean lattice-link --version?", "Run lattice-link --help"}},
		{[]string{"help", "conect"}, exitUsage, []string{"did you mean lattice-link connect?"}},
		{[]string{"conect"}, exitUsage, []string{"did you mean lattice-link connect?"}},
		{[]string{"token", "--json"}, exitUsage, []string{"unknown flag: --json", "Run lattice-link token --help to see what it takes"}},
		{[]string{"email", "-o", filepath.Join(t.TempDir(), "none", "x.txt")}, exitUsage, []string{"there is no folder", "Nothing was written"}},
	} {
		code, _, stderr := run(t, c.args...)
		for _, want := range c.says {
			if code != c.code || !strings.Contains(stderr, want) {
				t.Errorf("%q: exit %d, no %q in\n%s", c.args, code, want, stderr)
			}
		}
		if strings.Contains(stderr, "no such file or directory") {
			t.Errorf("%q: Go's words:\n%s", c.args, stderr)
		}
	}
	if code, stdout, _ := run(t, "help", "token"); code != exitOK || !strings.Contains(stdout, "Print the stored key") {
		t.Errorf("help token: exit %d\n%s", code, stdout)
	}
	notLattice := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notLattice.Close)
	code := execute(newFactory("test", map[string]string{"LATTICE_API_KEY": typedKey}), []string{"status", "--api-url", notLattice.URL},
		strings.NewReader(""), io.Discard, io.Discard)
	if code != exitUsage {
		t.Errorf("status at an address with no Lattice API: exit %d, want %d", code, exitUsage)
	}
}

// --help in a narrow terminal: a command or flag row wider than the
// terminal is wrapped at spaces, under its description's column, or under
// its name where that column leaves too little room; never inside a word
// or a flag, as the terminal's own wrapping did (walk 2 F26).
func TestNarrowHelpRowsWrapAtWords(t *testing.T) {
	row := "    --nango               A Connect link; $NANGO_CONNECT_LINK keeps it out of ps"
	styled := "    \x1b[1m--nango\x1b[m               A Connect link; $NANGO_CONNECT_LINK keeps it out of ps"
	for _, c := range []struct {
		line  string
		width int
		under string // how each line after the first starts
	}{
		{row, 60, strings.Repeat(" ", 26)},
		{row, 40, strings.Repeat(" ", 8)},
		{styled, 40, strings.Repeat(" ", 8)},
		{"  A paragraph that fang leaves as it is because it fits.", 80, ""},
	} {
		got := hangWrap(c.line, c.width)
		lines := strings.Split(got, "\n")
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > c.width {
				t.Errorf("%d columns: %q is %d wide", c.width, l, w)
			}
			if i > 0 && !strings.HasPrefix(l, c.under) {
				t.Errorf("%d columns: %q is not under %d spaces", c.width, l, len(c.under))
			}
		}
		if strings.Join(strings.Fields(ansi.Strip(got)), " ") != strings.Join(strings.Fields(ansi.Strip(c.line)), " ") {
			t.Errorf("%d columns: words changed:\n%s", c.width, got)
		}
	}
	if got := hangWrap(row, 0); got != row {
		t.Errorf("not a terminal, yet wrapped: %q", got)
	}
}
