//go:build unix

package config

import (
	"os"
	"syscall"
)

// readFlags: O_NONBLOCK so that opening a FIFO returns at once (the fstat
// that follows refuses it), O_NOCTTY so that a terminal device named in
// place of a file never becomes the controlling terminal, O_NOFOLLOW so
// that a symlink put there after the Lstat is not followed.
const readFlags = os.O_RDONLY | syscall.O_NONBLOCK | syscall.O_NOCTTY | syscall.O_NOFOLLOW

// newFileFlags: never follow a symlink at the name being created.
const newFileFlags = syscall.O_NOFOLLOW

// lockFlags open the lock file: never through a symlink, never blocking on
// a FIFO put there.
const lockFlags = os.O_CREATE | os.O_RDWR | syscall.O_NONBLOCK | syscall.O_NOFOLLOW | syscall.O_NOCTTY
