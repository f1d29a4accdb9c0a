//go:build linux

package e2e

import (
	"os"
	"syscall"
	"unsafe"
)

func init() { ttyEchoes = linuxTTYEchoes }

// linuxTTYEchoes reads the ECHO flag of the terminal behind a pty master: on
// Linux, TCGETS on the master returns the other side's settings, which are the
// ones the program changes.
func linuxTTYEchoes(master *os.File) (bool, error) {
	conn, err := master.SyscallConn()
	if err != nil {
		return false, err
	}
	var tio syscall.Termios
	var errno syscall.Errno
	if err := conn.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCGETS, uintptr(unsafe.Pointer(&tio)))
	}); err != nil {
		return false, err
	}
	if errno != 0 {
		return false, errno
	}
	return tio.Lflag&syscall.ECHO != 0, nil
}
