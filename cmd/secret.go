package cmd

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
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
