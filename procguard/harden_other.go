//go:build !linux && !aix && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd && !solaris

package procguard

// harden does nothing on Windows and the rest. Windows Error Reporting keeps
// a full memory dump only where an administrator set up LocalDumps, and
// changing that is the machine owner's call, not this program's.
func harden() []string { return nil }

func scrubInitialEnv([]string) error { return nil }
