package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/sanitize"
)

// Exit codes, as the README's Commands section lists them for scripts.
const (
	exitOK          = 0
	exitRejected    = 1 // Lattice rejected the key
	exitUsage       = 2 // a usage error: bad flag, bad input, a local problem to fix
	exitNoKey       = 3 // no key is stored
	exitUnreachable = 4 // Lattice could not be reached or could not answer now (429, 5xx), or a local service (the clipboard)
	exitNango       = 5 // the Connect link or Nango failed; the message says whether Lattice saw the key
	exitCancelled   = 130
)

// exitError carries an exit code; quiet ones have already said what went wrong.
type exitError struct {
	code  int
	err   error
	quiet bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// exitCode is the code a command ends with for err.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	var ne *nango.Error
	if errors.As(err, &ne) {
		return exitNango
	}
	var le *lattice.Error
	if errors.As(err, &le) && le.Kind == lattice.Unexpected && !lattice.IsLatticeHost(le.Host) {
		// Something other than Lattice answered (a 404, a web page): the
		// address given is wrong, as the message says, and trying again
		// will not help.
		return exitUsage
	}
	switch lattice.KindOf(err) {
	case lattice.Rejected, lattice.Forbidden:
		return exitRejected
	case 0:
		return exitUsage // a local problem (a locked or changed store), or cobra's: unknown flag, bad argument
	default:
		return exitUnreachable
	}
}

// printError says what went wrong on stderr, keeping the message's own
// lines (wrapped at spaces on a terminal): the messages say what to do
// next, often over several lines. The
// label's colour is dropped where the terminal has none or NO_COLOR is set.
func printError(w io.Writer, err error) {
	var e *exitError
	if errors.As(err, &e) && e.quiet {
		return
	}
	if _, ok := w.(*colorprofile.Writer); !ok {
		// Not a terminal (a file, a pipe to a log) or NO_COLOR: the label
		// goes without its colour. Every caller gets this, not only those
		// that remember to wrap the writer.
		w = colorprofile.NewWriter(w, os.Environ())
	}
	label := lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#FF5F87")).Render("Error:")
	fmt.Fprintln(toTerminal(w), label, sanitize.Text(err.Error(), 2000))
}
