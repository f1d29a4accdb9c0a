package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is lattice-link built once for the tests that run it as a user would.
var binary string

// coverDir is where the binary writes its coverage, when
// LATTICE_LINK_COVERDIR names a folder (relative to the module root, or
// absolute): TestMain then builds it with -cover, every run in every test
// adds to that folder, and `go tool covdata percent -i=DIR` reports it per
// package. Empty, the binary is built as it ships.
var coverDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lattice-link-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "lattice-link")
	// -buildvcs=auto: the version comes from git when there is a checkout,
	// whatever GOFLAGS says.
	build := []string{"build", "-buildvcs=auto", "-o", binary}
	if coverDir, err = coverFolder(os.Getenv("LATTICE_LINK_COVERDIR")); err != nil {
		panic(err)
	} else if coverDir != "" {
		// Every package of the module, not only main.
		build = append(build, "-cover", "-coverpkg=github.com/lattice-link/lattice-link/...")
		// The sandboxes pass it on; this is for the runs that inherit the
		// test's environment, which would otherwise print a warning.
		os.Setenv("GOCOVERDIR", coverDir)
	}
	if out, err := exec.Command("go", append(build, "..")...).CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// coverFolder makes the folder named by LATTICE_LINK_COVERDIR and returns its
// absolute path: the tests run in e2e/, so a relative name is taken from the
// module root, where .ci/run and a developer type it.
func coverFolder(name string) (string, error) {
	if name == "" {
		return "", nil
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join("..", name)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return "", err
	}
	return abs, os.MkdirAll(abs, 0o755)
}
