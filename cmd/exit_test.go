package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
)

// The exit codes are a contract with scripts (README, --help): each kind
// of failure has its code.
func TestExitCodes(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{&lattice.Error{Kind: lattice.Rejected}, exitRejected},
		{fmt.Errorf("wrapped: %w", &lattice.Error{Kind: lattice.Forbidden}), exitRejected},
		{&lattice.Error{Kind: lattice.Unreachable}, exitUnreachable},
		{&lattice.Error{Kind: lattice.ServerError}, exitUnreachable},
		{&lattice.Error{Kind: lattice.RateLimited}, exitUnreachable},
		{&lattice.Error{Kind: lattice.Unexpected, Host: "api.latticehq.com", Status: 200}, exitUnreachable},
		{&lattice.Error{Kind: lattice.Unexpected, Host: "127.0.0.1:36811", Status: 200}, exitUsage},
		{&lattice.Error{Kind: lattice.Unexpected, Host: "127.0.0.1:36811", Status: 404}, exitUsage},
		{&nango.Error{Kind: nango.SessionExpired}, exitNango},
		{withCode(exitNoKey, errors.New("none")), exitNoKey},
		{usageError("bad"), exitUsage},
		{errors.New("unknown flag: --bogus"), exitUsage},
		{cancelled(), exitCancelled},
	} {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
	for _, c := range []struct {
		err  error
		want int
	}{
		{context.Canceled, exitCancelled},
		{&nango.Error{Kind: nango.InvalidLink}, exitUsage},
		{&link.NotStoredError{Err: errors.New("disk full")}, exitUsage},
		{&nango.Error{Kind: nango.SessionExpired}, exitNango},
		{&lattice.Error{Kind: lattice.Rejected}, exitRejected},
	} {
		if got := nangoExit(c.err); got != c.want {
			t.Errorf("nangoExit(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

func TestQuietErrorsPrintNothingAndOthersAreCleaned(t *testing.T) {
	var b bytes.Buffer
	printError(&b, cancelled())
	if b.Len() != 0 {
		t.Errorf("a quiet error printed %q", b.String())
	}
	// Straight to the buffer: the colour writer would strip escapes itself.
	printError(&b, errors.New("bad \x1b]0;title\x07 value"))
	if strings.Contains(b.String(), "\x1b]") || strings.ContainsRune(b.String(), '\a') || !strings.Contains(b.String(), "Error:") {
		t.Errorf("printed %q", b.String())
	}
}

func TestTheWizardWithoutATerminalNamesTheCommandsThatFit(t *testing.T) {
	if term.IsTerminal(int(os.Stdin.Fd())) {
		t.Skip("stdin is a terminal here: the wizard would start")
	}
	code, _, stderr := run(t)
	if code != exitUsage || !strings.Contains(stderr, "connect --key-stdin") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

func TestASCIIOnlyFollowsTheLocale(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"LANG": "en_US.UTF-8"}, false},
		{map[string]string{"LANG": "C"}, true},
		{map[string]string{"LC_ALL": "C", "LANG": "en_US.UTF-8"}, true},
		{map[string]string{"LC_CTYPE": "de_DE.utf8", "LANG": "C"}, false},
		{map[string]string{"LATTICE_LINK_ASCII": "1", "LANG": "en_US.UTF-8"}, true},
		{map[string]string{"TERM": "linux", "LANG": "en_US.UTF-8"}, true},
	} {
		for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG", "LATTICE_LINK_ASCII", "TERM"} {
			t.Setenv(name, c.env[name])
		}
		if got := asciiOnly(); got != c.want {
			t.Errorf("%v: asciiOnly() = %v", c.env, got)
		}
	}
}

// The numbers themselves are the contract: scripts test for them.
func TestExitCodeNumbers(t *testing.T) {
	for got, want := range map[int]int{exitOK: 0, exitRejected: 1, exitUsage: 2, exitNoKey: 3, exitUnreachable: 4,
		exitNango: 5, exitCancelled: 130} {
		if got != want {
			t.Errorf("exit code %d, documented as %d", got, want)
		}
	}
}
