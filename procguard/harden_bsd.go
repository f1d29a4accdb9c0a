//go:build aix || darwin || dragonfly || freebsd || netbsd || openbsd || solaris

package procguard

import "golang.org/x/sys/unix"

// harden switches off core dumps, which would hold the key in clear. These
// systems have no portable PR_SET_DUMPABLE; macOS keeps cores off unless
// `ulimit -c` was raised, which this undoes.
func harden() (notes []string) {
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{}); err != nil {
		notes = append(notes, "Core dumps could not be switched off ("+err.Error()+"); a crash could write the API key to disk.")
	}
	return notes
}

// scrubInitialEnv is Linux-only. Here the environment block the process
// started with stays readable by the same user (on macOS through `ps eww`,
// KERN_PROCARGS2), with no portable way to reach it from Go.
func scrubInitialEnv([]string) error { return nil }
