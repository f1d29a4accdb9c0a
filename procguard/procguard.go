// Package procguard keeps the Lattice API key from leaking out of this
// process: through debug switches of the libraries we use, through core
// dumps, and through the environment that child processes inherit.
//
// cmd.Execute, which main() calls first, calls Prepare first, then
// TakeSecrets, before anything else reads the environment or starts a
// Bubble Tea program.
package procguard

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// The environment variables that can carry a credential into the program.
// NANGO_CONNECT_LINK is one because a Connect link embeds a session token.
const (
	APIKeyEnv    = "LATTICE_API_KEY"
	NangoLinkEnv = "NANGO_CONNECT_LINK"
)

// ErrHTTP2Debug is returned (wrapped) by Prepare when GODEBUG turns on the
// HTTP/2 debug log.
var ErrHTTP2Debug = errors.New("GODEBUG has http2debug set")

// Prepare removes the debug switches that would write the API key to a file,
// refuses to run when one that it cannot remove is on, and switches off core
// dumps. Call it first thing (cmd.Execute does). The notes are for the user
// (one line each, already worded); a non-nil error means: print it and exit
// non-zero.
func Prepare() (notes []string, err error) {
	notes = append(notes, dropTeaDebug()...)
	notes = append(notes, harden()...)
	if setting, on := http2Debug(os.Getenv("GODEBUG")); on {
		return notes, fmt.Errorf("%w (%s): Go's HTTP/2 client would log every request header, "+
			"the API key included, and it reads this before lattice-link starts; "+
			"unset GODEBUG's http2debug and run again", ErrHTTP2Debug, setting)
	}
	return notes, nil
}

// dropTeaDebug unsets Bubble Tea's debug switches. This is early enough
// because Bubble Tea reads them lazily, not at init
// (charm.land/bubbletea/v2@v2.1.1):
//   - TEA_TRACE in NewProgram (tea.go:654), which then opens that file and
//     logs every message to it, each key press and the pasted key included;
//   - TEA_DEBUG when it recovers a panic (tea.go:1329 and tea.go:1354), and
//     then writes the panic value and stack to bubbletea-panic-*.log in the
//     working directory, where a model holding the key can end up.
//
// NewProgram also copies os.Environ() into the program (tea.go:645), which is
// one more reason for TakeSecrets to run before it.
func dropTeaDebug() (notes []string) {
	if v, ok := os.LookupEnv("TEA_TRACE"); ok {
		_ = os.Unsetenv("TEA_TRACE")
		if v != "" {
			notes = append(notes, "TEA_TRACE is ignored: Bubble Tea would write everything typed or pasted, the API key included, to "+v+".")
		}
	}
	if v, ok := os.LookupEnv("TEA_DEBUG"); ok {
		_ = os.Unsetenv("TEA_DEBUG")
		if on, err := strconv.ParseBool(v); err == nil && on {
			notes = append(notes, "TEA_DEBUG is ignored: Bubble Tea would write crash reports, which can hold the API key, to the current folder.")
		}
	}
	return notes
}

// http2Debug reports whether a GODEBUG value turns on net/http's HTTP/2 debug
// log, and the setting that does.
//
// It has to refuse rather than unset: net/http reads GODEBUG for this in a
// package init function (GOROOT/src/net/http/h2_bundle.go:3498-3507 in
// go1.26.8), so the verbose flags are fixed before main() runs, and with
// http2debug=1 the client logs each header it sends, Authorization included
// (h2_bundle.go:9355-9358, "http2: Transport encoding header %q = %q").
//
// net/http looks for the substrings "http2debug=1" and "http2debug=2"
// anywhere in GODEBUG. This matches any http2debug=<v> with v other than 0
// or empty, so a future level is refused as well.
func http2Debug(godebug string) (setting string, on bool) {
	const key = "http2debug="
	for rest := godebug; ; {
		i := strings.Index(rest, key)
		if i < 0 {
			return "", false
		}
		rest = rest[i+len(key):]
		v := rest
		if j := strings.IndexByte(v, ','); j >= 0 {
			v = v[:j]
		}
		if v != "" && v != "0" {
			return key + v, true
		}
	}
}

// TakeSecrets reads LATTICE_API_KEY, NANGO_CONNECT_LINK and the extra names
// from the environment, removes them from it, and returns those that were
// set (an empty value included, so `v, ok := m[name]` works like LookupEnv).
//
// It exists because the clipboard helper (atotto/clipboard), xdg-open
// (cli/browser) and dbus-launch (go-keyring via godbus) are started by those
// libraries with this process's environment, and none of them lets us pass
// another. Once taken, the values live only in the program's memory.
//
// Call it once, early, and keep the map: a later call sees only what was set
// since. On Linux it also blanks the values in the copy of the environment
// that the kernel keeps for /proc/<pid>/environ (and ps e).
func TakeSecrets(extra ...string) map[string]string {
	names := append([]string{APIKeyEnv, NangoLinkEnv}, extra...)
	got := make(map[string]string)
	for _, n := range names {
		if v, ok := os.LookupEnv(n); ok {
			got[n] = v
			_ = os.Unsetenv(n)
		}
	}
	if len(got) > 0 {
		_ = scrubInitialEnv(names)
	}
	return got
}
