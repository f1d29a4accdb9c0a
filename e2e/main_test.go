package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is lattice-link built once for the tests that run it as a user would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lattice-link-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "lattice-link")
	// -buildvcs=auto: the version comes from git when there is a checkout,
	// whatever GOFLAGS says.
	if out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", binary, "..").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
