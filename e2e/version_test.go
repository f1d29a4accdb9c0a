package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// The binary TestMain builds from this checkout says which commit it is,
// marked -dirty exactly when Go recorded uncommitted changes, as the README
// promises.
func TestVersionNamesTheCheckoutsCommit(t *testing.T) {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout (%v): the binary is not stamped with a commit", err)
	}
	info, err := exec.Command("go", "version", "-m", binary).Output()
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]string{}
	for line := range strings.Lines(string(info)) {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "build" {
			if k, v, ok := strings.Cut(f[1], "="); ok {
				recorded[k] = v
			}
		}
	}
	if recorded["vcs.revision"] != strings.TrimSpace(string(head)) {
		t.Fatalf("the binary records commit %q, the checkout is at %s", recorded["vcs.revision"], head)
	}
	want := "lattice-link version " + recorded["vcs.revision"][:12]
	if recorded["vcs.modified"] == "true" {
		want += "-dirty"
	}
	want += " (git commit, " + recorded["vcs.time"]
	out, err := exec.Command(binary, "--version").Output()
	if err != nil {
		t.Fatalf("--version: %v", err)
	}
	if !strings.HasPrefix(string(out), want) {
		t.Errorf("--version says %q, want it to start %q", out, want)
	}
	if recorded["vcs.modified"] == "true" && !strings.Contains(string(out), "with uncommitted changes") {
		t.Errorf("--version of a build with changes does not say so: %q", out)
	}
}
