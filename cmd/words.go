package cmd

import (
	"context"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"

	"github.com/lattice-link/lattice-link/lattice"
)

// The command line's words for what link and lattice report as facts, each
// written once.

// withWaitLines returns a context whose calls to Lattice say each wait
// before a retry on w, as it starts.
func withWaitLines(ctx context.Context, w io.Writer) context.Context {
	return lattice.WithWaitHook(ctx, func(wait lattice.Wait) { fmt.Fprintln(w, waitLine(wait)) })
}

// waitLine is a wait before a retry, as a sentence: "The connection was
// refused: waiting 2 s, then trying again."
func waitLine(w lattice.Wait) string {
	return capitalised(w.Reason) + ": waiting " + lattice.HumanDuration(w.Duration) + ", then trying again."
}

// capitalised is s with its first letter in capitals.
func capitalised(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
