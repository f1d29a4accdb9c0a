package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The tests of install.sh run it with sh against a release served from a
// loopback HTTP server. fakeRelease makes a small release in GoReleaser's
// layout, so `go test` needs no GoReleaser; TestInstallScriptOnTheSnapshot
// serves the real snapshot that scripts/release-check builds.

const fakeVersion = "1.2.3"

// release is what the server serves, by file name, and what was asked for.
type release struct {
	mu        sync.Mutex
	files     map[string][]byte
	requested []string
}

func (r *release) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	name := strings.TrimPrefix(req.URL.Path, "/")
	r.mu.Lock()
	r.requested = append(r.requested, name)
	body, ok := r.files[name]
	r.mu.Unlock()
	if !ok {
		http.NotFound(w, req)
		return
	}
	_, _ = w.Write(body) // the client hung up: the test that asked fails on its own
}

func (r *release) wasRequested(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.requested, name)
}

// serve starts the loopback server; the URL is the release's base URL.
func (r *release) serve(t *testing.T) string {
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv.URL
}

// archiveName is GoReleaser's name for a platform's archive (.goreleaser.yaml).
func archiveName(version, goos, goarch string) string {
	ext := ".tar.gz"
	if goos == "windows" {
		ext = ".zip"
	}
	return fmt.Sprintf("lattice-link_%s_%s_%s%s", version, goos, goarch, ext)
}

// fakeRelease has an archive for every platform lattice-link ships on, each
// holding a "binary" (a shell script) that says which platform it is for,
// and checksums.txt listing them all.
func fakeRelease(t *testing.T) *release {
	r := &release{files: map[string][]byte{}}
	var sums strings.Builder
	for _, goos := range []string{"darwin", "linux", "windows"} {
		for _, goarch := range []string{"amd64", "arm64"} {
			name := archiveName(fakeVersion, goos, goarch)
			r.files[name] = tarGz(t, map[string]string{
				"lattice-link":               "#!/bin/sh\necho fake lattice-link " + goos + "/" + goarch + "\n",
				"README.md":                  "# lattice-link\n",
				"LICENSE":                    "MIT License\n",
				"manpages/lattice-link.1.gz": "not really gzip",
			})
			sum := sha256.Sum256(r.files[name])
			fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
		}
	}
	r.files["checksums.txt"] = []byte(sums.String())
	return r
}

func tarGz(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(files[name])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	return buf.Bytes()
}

// hostArchive is the name of the fake release's archive for this machine.
func hostArchive() string { return archiveName(fakeVersion, runtime.GOOS, runtime.GOARCH) }

// toolsPath makes a folder of links to the commands install.sh uses, and to
// the downloaders named, and returns it as the only PATH: the script then
// finds exactly those.
func toolsPath(t *testing.T, downloaders ...string) string {
	dir := t.TempDir()
	tools := []string{"uname", "mktemp", "rm", "grep", "wc", "cut", "sed", "tar", "gzip", "mkdir", "cp", "chmod", "mv", "sha256sum"}
	for _, tool := range append(tools, downloaders...) {
		path, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s is not installed here: %v", tool, err)
		}
		if err := os.Symlink(path, filepath.Join(dir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type installRun struct {
	out, errOut string
	err         error
	prefix      string
}

// installed is the binary install.sh left, if any.
func (r installRun) installed() string { return filepath.Join(r.prefix, "bin", "lattice-link") }

// runInstall runs `sh install.sh --base-url BASE --prefix DIR ARGS…` with the
// given PATH and an empty HOME.
func runInstall(t *testing.T, path, base string, args ...string) installRun {
	t.Helper()
	shell, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh here")
	}
	prefix := filepath.Join(t.TempDir(), "prefix")
	script, err := filepath.Abs(filepath.Join("..", "install.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(shell, append([]string{script, "--base-url", base, "--prefix", prefix}, args...)...)
	cmd.Env = []string{"PATH=" + path, "HOME=" + t.TempDir(), "LC_ALL=C"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	return installRun{out: stdout.String(), errOut: stderr.String(), err: err, prefix: prefix}
}

func TestInstallScriptInstallsTheArchiveForThisMachine(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("install.sh is for macOS and Linux; Windows installs with Scoop or winget")
	}
	for _, downloader := range []string{"curl", "wget"} {
		t.Run(downloader, func(t *testing.T) {
			rel := fakeRelease(t)
			base := rel.serve(t)
			r := runInstall(t, toolsPath(t, downloader), base)
			if r.err != nil {
				t.Fatalf("install.sh failed: %v\nstdout:\n%s\nstderr:\n%s", r.err, r.out, r.errOut)
			}
			got, err := exec.Command(r.installed()).Output()
			if err != nil {
				t.Fatalf("the installed binary does not run: %v", err)
			}
			if want := "fake lattice-link " + runtime.GOOS + "/" + runtime.GOARCH + "\n"; string(got) != want {
				t.Errorf("installed the wrong archive: the binary says %q, want %q", got, want)
			}
			if info, err := os.Stat(r.installed()); err != nil || info.Mode().Perm() != 0o755 {
				t.Errorf("the binary's mode: %v (%v), want 0755", info.Mode(), err)
			}
			if _, err := os.Stat(filepath.Join(r.prefix, "share", "man", "man1", "lattice-link.1.gz")); err != nil {
				t.Errorf("no man page installed: %v", err)
			}
			for _, want := range []string{
				"Installed lattice-link " + fakeVersion + " (" + runtime.GOOS + "/" + runtime.GOARCH + ") to " + r.installed(),
				"as listed in " + base + "/checksums.txt",
				"is not on your PATH yet",
				`export PATH="` + filepath.Join(r.prefix, "bin") + `:$PATH"`,
			} {
				if !strings.Contains(r.out, want) {
					t.Errorf("install.sh did not say %q; it said:\n%s", want, r.out)
				}
			}
			for name := range rel.files {
				if name != "checksums.txt" && name != hostArchive() && rel.wasRequested(name) {
					t.Errorf("downloaded %s, which is not this machine's archive", name)
				}
			}
		})
	}
}

func TestInstallScriptRefusesATamperedArchive(t *testing.T) {
	rel := fakeRelease(t)
	tampered := bytes.Clone(rel.files[hostArchive()])
	tampered[len(tampered)/2] ^= 0xff
	rel.files[hostArchive()] = tampered
	r := runInstall(t, toolsPath(t, "curl"), rel.serve(t))
	if r.err == nil {
		t.Fatalf("install.sh installed a tampered archive:\n%s", r.out)
	}
	if want := "checksum mismatch for " + hostArchive() + ": nothing installed"; !strings.Contains(r.errOut, want) {
		t.Errorf("stderr does not say %q:\n%s", want, r.errOut)
	}
	if _, err := os.Stat(r.installed()); err == nil {
		t.Error("a binary was installed all the same")
	}
}

func TestInstallScriptRefusesAnArchiveWithoutAChecksum(t *testing.T) {
	t.Run("not listed", func(t *testing.T) {
		rel := fakeRelease(t)
		var kept []string
		for line := range strings.Lines(string(rel.files["checksums.txt"])) {
			if !strings.Contains(line, hostArchive()) {
				kept = append(kept, line)
			}
		}
		rel.files["checksums.txt"] = []byte(strings.Join(kept, ""))
		r := runInstall(t, toolsPath(t, "curl"), rel.serve(t))
		if r.err == nil {
			t.Fatalf("install.sh installed an archive without a checksum:\n%s", r.out)
		}
		want := "lists no checksum for a " + runtime.GOOS + "/" + runtime.GOARCH + " archive: refusing to install anything unchecked"
		if !strings.Contains(r.errOut, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.errOut)
		}
		if rel.wasRequested(hostArchive()) {
			t.Error("the unlisted archive was downloaded")
		}
		if _, err := os.Stat(r.installed()); err == nil {
			t.Error("a binary was installed all the same")
		}
	})
	t.Run("no checksums.txt", func(t *testing.T) {
		rel := fakeRelease(t)
		delete(rel.files, "checksums.txt")
		base := rel.serve(t)
		r := runInstall(t, toolsPath(t, "wget"), base)
		if r.err == nil {
			t.Fatalf("install.sh installed without checksums.txt:\n%s", r.out)
		}
		want := "could not download " + base + "/checksums.txt: without it the archive cannot be checked, so nothing was installed"
		if !strings.Contains(r.errOut, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.errOut)
		}
		if _, err := os.Stat(r.installed()); err == nil {
			t.Error("a binary was installed all the same")
		}
	})
}

func TestInstallScriptWithoutCurlOrWget(t *testing.T) {
	rel := fakeRelease(t)
	r := runInstall(t, toolsPath(t), rel.serve(t))
	if r.err == nil {
		t.Fatalf("install.sh succeeded without a downloader:\n%s", r.out)
	}
	if want := "needs curl or wget to download lattice-link, and found neither on PATH."; !strings.Contains(r.errOut, want) {
		t.Errorf("stderr does not say %q:\n%s", want, r.errOut)
	}
	if rel.wasRequested("checksums.txt") {
		t.Error("checksums.txt was downloaded, with what?")
	}
}

// Plain http is refused except to this machine: checksums fetched over it
// prove nothing.
func TestInstallScriptRefusesPlainHTTPToAnotherHost(t *testing.T) {
	r := runInstall(t, toolsPath(t, "curl"), "http://example.com/releases")
	if r.err == nil || !strings.Contains(r.errOut, "refusing http://example.com/releases: give an https:// URL") {
		t.Errorf("install.sh took a plain-http URL to another host: %v\nstdout:\n%s\nstderr:\n%s", r.err, r.out, r.errOut)
	}
}

// TestInstallScriptOnTheSnapshot installs the real snapshot release that
// scripts/release-check builds (LATTICE_LINK_SNAPSHOT_DIR: GoReleaser's dist
// folder) and runs what it installed.
func TestInstallScriptOnTheSnapshot(t *testing.T) {
	dist := os.Getenv("LATTICE_LINK_SNAPSHOT_DIR")
	if dist == "" {
		t.Skip("LATTICE_LINK_SNAPSHOT_DIR is not set: scripts/release-check runs this against a snapshot release")
	}
	var meta struct{ Version string }
	data, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
	if err == nil {
		err = json.Unmarshal(data, &meta)
	}
	if err != nil {
		t.Fatalf("the snapshot's metadata.json: %v", err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dist)))
	t.Cleanup(srv.Close)
	r := runInstall(t, toolsPath(t, "curl"), srv.URL)
	if r.err != nil {
		t.Fatalf("install.sh failed on the snapshot: %v\nstdout:\n%s\nstderr:\n%s", r.err, r.out, r.errOut)
	}
	out, err := exec.Command(r.installed(), "--version").Output()
	if err != nil {
		t.Fatalf("the installed binary: %v", err)
	}
	if want := "lattice-link version " + meta.Version + " (commit "; !strings.HasPrefix(string(out), want) {
		t.Errorf("the installed binary says %q, want it to start %q", out, want)
	}
}
