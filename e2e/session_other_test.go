//go:build !unix

package e2e

import "syscall"

// ownSession: there are no pseudo-terminal sessions here (pty.Open fails).
func ownSession() *syscall.SysProcAttr { return nil }
