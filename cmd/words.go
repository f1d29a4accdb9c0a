package cmd

import (
	"context"
	"fmt"
	"io"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
)

// The command line's words for what link and lattice report as facts, each
// written once.

// withWaitLines returns a context whose calls to Lattice say each wait
// before a retry on w, as it starts.
func withWaitLines(ctx context.Context, w io.Writer) context.Context {
	return lattice.WithWaitHook(ctx, func(wait lattice.Wait) { fmt.Fprintln(w, link.WaitLine(wait)) })
}
