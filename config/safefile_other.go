//go:build !unix

package config

import "os"

// There are no FIFOs or terminal devices to open by mistake here, and
// O_EXCL alone refuses an existing name, symlinks included.
const (
	readFlags    = os.O_RDONLY
	newFileFlags = 0
	lockFlags    = os.O_CREATE | os.O_RDONLY
)
