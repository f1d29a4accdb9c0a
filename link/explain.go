package link

import (
	"errors"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/sanitize"
)

// Source is where the key being checked came from; messages differ: advice
// about typing is for a key the user typed, not for the stored one.
type Source = lattice.Source

// The sources a face names.
const (
	Typed  = lattice.Typed
	Piped  = lattice.Piped
	Stored = lattice.Stored
)

// Explain says what went wrong in an operation and what to do next, for
// any face. flags says whether the user can still give a command-line flag
// (a command can be run again with --region; a running wizard cannot).
func (l *Link) Explain(err error, src Source, flags bool) string {
	var ns *NotStoredError
	var two *config.TwoKeysError
	var unsure *UnsureError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, config.ErrLocked):
		return err.Error()
	case lattice.KindOf(err) != 0:
		return lattice.ExplainFor(err, l.Client, src, flags)
	case errors.Is(err, ErrConnectLink):
		return "That is an app's Nango Connect link, not a Lattice API key, and it was sent nowhere.\n" +
			"To give your key to that app, run lattice-link --nango with the link (or set NANGO_CONNECT_LINK); " +
			"here, paste the key you generated in Lattice."
	case errors.Is(err, ErrSameKey):
		return "That is the key already stored. Generate a new key in Lattice " +
			"(Admin › Settings › Platform › API keys) and use the new one."
	case errors.Is(err, config.ErrReplaced):
		return "Lattice accepted the key, but " + err.Error() + ". Run lattice-link status to see which key is stored."
	case errors.As(err, &two):
		return sanitize.Line(err.Error(), 600) + ".\nlattice-link will not pick one. Forget both (lattice-link logout " +
			"forgets every copy), revoke in Lattice the one you no longer use, then connect the key you keep."
	case errors.As(err, &unsure):
		return sanitize.Line(err.Error(), 600) + ".\nRun lattice-link status to see which key is stored now, " +
			"and do not revoke the old key in Lattice until it shows the new one."
	case errors.Is(err, ErrDirtyKey):
		return sanitize.Line(err.Error(), 400) + ". Forget it (lattice-link logout), then connect your key again."
	case errors.As(err, &ns):
		msg := sanitize.Line(err.Error(), 400) + "\nNothing was stored."
		if problem, ok := config.IsKeyring(err); ok && problem == config.KeyringAbsent && flags {
			msg += " To keep the key in a file instead, use --store file (or LATTICE_LINK_STORE=file)."
		}
		return msg
	}
	return sanitize.Line(err.Error(), 400)
}
