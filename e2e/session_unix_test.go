//go:build unix

package e2e

import "syscall"

// ownSession starts the program as a user's shell would: in its own
// session, the pseudo-terminal its controlling terminal.
func ownSession() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: true, Setctty: true}
}
