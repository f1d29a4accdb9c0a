package link

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/lattice-link/lattice-link/config"
)

// EmailFileName is where the faces save the request-access email, in the
// current folder; a taken name gets a number.
const EmailFileName = "lattice-api-access-request.txt"

// SaveEmail writes the request-access email to a new file in the current
// folder, never over an existing file and never through a link, and returns
// the path it wrote. Both faces save it here.
func SaveEmail(text string) (string, error) {
	path, err := filepath.Abs(EmailFileName)
	if err != nil {
		return "", err
	}
	path = config.FreeName(path)
	err = config.WriteNewFile(path, []byte(text), 0o644)
	if errors.Is(err, os.ErrExist) { // taken between the look and the write
		path = config.FreeName(path)
		err = config.WriteNewFile(path, []byte(text), 0o644)
	}
	return path, err
}
