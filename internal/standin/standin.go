// Package standin runs lattice-link against the stand-ins for Lattice and
// Nango (latticedemo, nangodemo) on loopback, as the checks of the built
// binary do: the e2e tests' sandboxes and the Wine check of the Windows
// binary (scripts/wine/commands) start them and run the binary through here,
// so that both mean the same by a stand-in and by a run's result.
package standin

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
)

// Servers are the stand-ins one sandbox runs the binary against.
type Servers struct {
	Lattice *latticedemo.Server
	Nango   *nangodemo.Server // nil until StartNango
}

// Start starts the stand-in for Lattice on loopback, both its regions.
// Close stops it, and the one for Nango if that was started.
func Start() *Servers {
	return &Servers{Lattice: latticedemo.New()}
}

// StartNango starts the stand-in for an app's Nango too.
func (s *Servers) StartNango() {
	s.Nango = nangodemo.New()
}

// Env is the environment that points lattice-link at the stand-ins:
// LATTICE_API_URL, and NANGO_SERVER_URL when Nango runs. Naming the Nango
// stand-in there is what trusts its host with a key, as naming a
// self-hosted Nango does.
func (s *Servers) Env() []string {
	env := []string{"LATTICE_API_URL=" + s.Lattice.URL}
	if s.Nango != nil {
		env = append(env, "NANGO_SERVER_URL="+s.Nango.URL)
	}
	return env
}

// Close stops the stand-ins.
func (s *Servers) Close() {
	s.Lattice.Close()
	if s.Nango != nil {
		s.Nango.Close()
	}
}

// Result is how one run of a program ended and what it printed.
type Result struct {
	Code           int // the exit code; -1 when a signal ended it
	Stdout, Stderr string
}

func (r Result) String() string {
	return fmt.Sprintf("exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
}

// Run runs cmd, stdin on its standard input (never the key in its
// arguments), and returns how it ended. An exit code other than 0 is a
// Result, not an error: the error is for a program that could not be run
// (or whose output could not be read), and then the Result holds what it
// printed so far.
func Run(cmd *exec.Cmd, stdin string) (Result, error) {
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := Result{Stdout: out.String(), Stderr: errOut.String()}
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		r.Code = exit.ExitCode()
		return r, nil
	}
	return r, err
}
