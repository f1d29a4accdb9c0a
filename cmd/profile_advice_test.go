package cmd

import (
	"errors"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// token's advice for a profile with no key opens that profile, not the
// default one (walk 3 G2); the default profile's advice names no --profile.
func TestTokenAdviceNamesTheProfile(t *testing.T) {
	t.Setenv("LATTICE_API_KEY", "")
	t.Setenv("LATTICE_PROFILE", "")
	for args, want := range map[string]string{
		"token --profile acme": "run lattice-link --profile acme to connect one",
		"token":                "run lattice-link to connect one",
	} {
		code, _, stderr := run(t, strings.Fields(args)...)
		if code != exitNoKey || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, want %d and %q:\n%s", args, code, exitNoKey, want, stderr)
		}
	}
}

// An empty pipe is told to pipe the key in, not to paste it (walk 3 G13).
func TestEmptyStdinIsToldToPipeTheKey(t *testing.T) {
	for _, stdin := range []string{"", " \n"} {
		code, _, stderr := runWith(t, stdin, "connect", "--key-stdin")
		if code != exitUsage || !strings.Contains(stderr, "stdin was empty. Pipe in the key") || strings.Contains(stderr, "paste") {
			t.Errorf("stdin %q: exit %d:\n%s", stdin, code, stderr)
		}
	}
}

// A copy through the terminal alone is said in the wizard's words, not in
// OSC 52's (walk 3 G11).
func TestCopiedThroughTheTerminalInPlainWords(t *testing.T) {
	msg, err := copiedWords(errors.New("no xclip"), true)
	if err != nil || strings.Contains(msg, "OSC") || !strings.Contains(msg, "the system clipboard did not answer") ||
		!strings.Contains(msg, "set -g set-clipboard on") {
		t.Errorf("%q, %v", msg, err)
	}
	if _, err := copiedWords(errors.New("no xclip"), false); !errors.Is(err, errNoClipboard) {
		t.Errorf("no clipboard at all: %v", err)
	}
}

// The man page's EXIT STATUS names every case the README gives exit 2
// and 4 (walk 3 G7, G20).
func TestManExitStatusAgreesWithTheREADME(t *testing.T) {
	_, page, _ := run(t, "man")
	words := strings.Join(strings.Fields(page), " ")
	for _, want := range []string{"without --allow-owner-change", "something other than Lattice answers", "(429)"} {
		if !strings.Contains(words, want) && !strings.Contains(strings.ReplaceAll(words, `\-`, "-"), want) {
			t.Errorf("the man page does not say %q", want)
		}
	}
}

// logout's line nests no parentheses (walk 3 G19).
func TestLogoutNestsNoParentheses(t *testing.T) {
	t.Setenv("LATTICE_API_KEY", "")
	t.Setenv("LATTICE_PROFILE", "")
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_API_URL", srv.URL)
	if code, _, stderr := runWith(t, latticedemo.KeyAdmin+"\n", "connect", "--key-stdin"); code != exitOK {
		t.Fatalf("connect: exit %d\n%s", code, stderr)
	}
	_, _, stderr := run(t, "logout")
	line := strings.SplitN(stderr, "\n", 2)[0]
	if !strings.HasPrefix(line, "Forgot the key ••••") || strings.Contains(line, "))") || !strings.Contains(line, " of profile default, from ") {
		t.Errorf("logout: %q", line)
	}
}

// --profile completes the profiles this machine knows of, not file names
// (walk 3 G22).
func TestProfileCompletesKnownProfiles(t *testing.T) {
	t.Setenv("LATTICE_API_KEY", "")
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_API_URL", srv.URL)
	if code, _, stderr := runWith(t, latticedemo.KeyAdmin+"\n", "connect", "--key-stdin", "--profile", "acme"); code != exitOK {
		t.Fatalf("connect: exit %d\n%s", code, stderr)
	}
	_, stdout, _ := run(t, "__complete", "status", "--profile", "")
	if !strings.Contains(stdout, "acme\n") || !strings.Contains(stdout, ":4\n") { // 4: no file completion
		t.Errorf("--profile completes:\n%s", stdout)
	}
}

// A shell's completion help shows no markdown (walk 3 G22).
func TestCompletionHelpShowsNoMarkdown(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		_, stdout, _ := run(t, "completion", shell, "--help")
		if strings.Contains(stdout, "####") || !strings.Contains(stdout, "lattice-link completion "+shell) {
			t.Errorf("completion %s --help:\n%s", shell, stdout)
		}
	}
}

// Help after a word that is no command is that word's refusal, as the word
// alone is, not the root's help with exit 0 (walk 3 G18).
func TestHelpAfterAnUnknownCommandIsRefused(t *testing.T) {
	code, stdout, stderr := run(t, "version", "--help")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, `unknown command "version": did you mean lattice-link --version?`) {
		t.Errorf("version --help: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, args := range [][]string{{"--help"}, {"connect", "--help"}, {"help", "connect"}, {"--profile", "b", "--help"}} {
		if code, stdout, _ := run(t, args...); code != exitOK || stdout == "" {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}
