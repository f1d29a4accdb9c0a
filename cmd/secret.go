package cmd

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/lattice-link/lattice-link/link"
)

// readSecret reads one line from the terminal f with echo off. The prompt
// is printed only once echo is off: printed before, a key pasted the moment
// it appeared would be echoed.
func readSecret(f *os.File, prompt string, out io.Writer) (string, error) {
	restore, err := echoOff(f)
	if err != nil { // no way to turn echo off first: x/term does it while reading
		fmt.Fprint(out, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(out)
		return string(b), err
	}
	defer restore()
	fmt.Fprint(out, prompt)
	line, err := bufio.NewReaderSize(f, maxStdin).ReadString('\n')
	fmt.Fprintln(out)
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// keyFlags are flags people reach for to give a key; lattice-link has none.
var keyFlags = []string{"key", "api-key", "apikey", "token", "lattice-api-key", "secret"}

// secretArgs refuses a credential given as an argument, wherever it is:
// the shell keeps it in its history and other users may have seen it in
// the process list. The message never repeats it, says where it now is and
// how to give it instead. A Connect link is taken only as --nango's value
// (N's connect --nango says what that exposes).
func secretArgs(args []string) error {
	// While the shell completes, the last word is only partly typed:
	// "--key" on its way to "--key-stdin" is no key flag yet.
	completing := len(args) > 0 && strings.HasPrefix(args[0], "__complete")
	for i, a := range args {
		name, value, hasValue := strings.Cut(a, "=")
		partial := completing && i == len(args)-1 && !hasValue
		if !partial && strings.HasPrefix(name, "-") && slices.Contains(keyFlags, strings.TrimLeft(name, "-")) {
			given := hasValue || i+1 < len(args) && !strings.HasPrefix(args[i+1], "-")
			return keyFlagError(name, given)
		}
		if strings.HasPrefix(a, "-") {
			if !hasValue {
				continue
			}
			a = value
		}
		nangoValue := name == "--nango" || i > 0 && args[i-1] == "--nango"
		switch link.LooksSecret(a) {
		case link.LatticeKey:
			return keyArgError
		case link.ConnectLink:
			if !nangoValue {
				return linkArgError
			}
		}
	}
	return nil
}

const (
	revokeTyped = "revoke it in Lattice (" + link.KeysPage + ") and generate a new one."
	passOnStdin = "lattice-link never takes a key as an argument. Give it on stdin:\n" +
		"  lattice-link connect --key-stdin                       (paste it at the prompt; it is not shown)\n" +
		"  pass show lattice | lattice-link connect --key-stdin"
)

var (
	keyArgError = usageError("%s", "that looks like a Lattice API key, given as an argument: it was not used, and it is not shown here.\n"+
		"It is now in your shell's history (and other users of this machine may have seen it in the process list): "+
		revokeTyped+"\n"+passOnStdin)
	linkArgError = usageError("%s", "that looks like an app's Nango Connect link, given as an argument: it was not used, and it is not shown here.\n"+
		"It is now in your shell's history: if others can read that, ask the app for a new link.\n"+
		"Give a link in NANGO_CONNECT_LINK, which keeps it out of the process list and, set this way, out of the history:\n"+
		"  read -rs NANGO_CONNECT_LINK && export NANGO_CONNECT_LINK   (paste it; it is not shown)\n"+
		"  lattice-link connect")
)

func keyFlagError(flag string, given bool) error {
	msg := "there is no " + flag + " flag. "
	if given {
		msg += "The key after it was not used, and it is not shown here; but it is now in your shell's history: " + revokeTyped + "\n"
	}
	return usageError("%s", msg+passOnStdin)
}
