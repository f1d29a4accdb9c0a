package plain

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
)

// answering is a face over l that reads lines as its input.
func answering(l *link.Link, lines ...string) (*face, *strings.Builder) {
	var out strings.Builder
	return &face{Options: Options{Out: &out, Width: 80}, l: l,
		in: bufio.NewReader(strings.NewReader(strings.Join(lines, "\n") + "\n"))}, &out
}

// unwritable is a link whose state.json cannot be written: its folder
// would be inside a regular file (which no permission lets anyone do).
func unwritable(t *testing.T) *link.Link {
	t.Helper()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	client, err := lattice.New(lattice.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	store := config.NewMemory()
	return link.New(link.Config{Profile: "default", Client: client, Folder: config.NewFolder(filepath.Join(file, "lattice-link")),
		OpenStore: func() (config.Store, error) { return store, nil }})
}

// TestWhatIsRememberedIsWhatLinkWrote: plain mode's copy of the profile
// changes only to the state a save returned. A write that fails says so and
// keeps the old value, so nothing later in the run acts on a choice that was
// not kept; one that succeeds shows the new one.
func TestWhatIsRememberedIsWhatLinkWrote(t *testing.T) {
	f, out := answering(unwritable(t), "1", "acme.latticehq.com", "")
	if _, err := f.scim(); err != nil {
		t.Fatal(err)
	}
	if f.prof.CheckSCIM || !strings.Contains(out.String(), "Could not remember that: ") {
		t.Errorf("a failed SCIM write: CheckSCIM %v\n%s", f.prof.CheckSCIM, out)
	}
	if _, err := f.generateKey(); err != nil {
		t.Fatal(err)
	}
	if f.prof.Subdomain != "" {
		t.Errorf("a failed write kept the subdomain %q", f.prof.Subdomain)
	}
	out.Reset()
	f.markSent()
	if !f.prof.AccessRequestedAt.IsZero() || strings.Contains(out.String(), "Noted") ||
		!strings.Contains(out.String(), "Could not remember that: ") {
		t.Errorf("a failed write of 'sent': %v\n%s", f.prof.AccessRequestedAt, out)
	}

	l, _ := testLink(t)
	f, out = answering(l, "1", "acme.latticehq.com", "")
	if _, err := f.scim(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.generateKey(); err != nil {
		t.Fatal(err)
	}
	f.markSent()
	if !f.prof.CheckSCIM || f.prof.Subdomain != "acme" || f.prof.AccessRequestedAt.IsZero() ||
		!strings.Contains(out.String(), "Noted.") {
		t.Errorf("what was written is not what plain mode shows: %+v\n%s", f.prof, out)
	}
	if p, _, err := l.Remembered(); err != nil || p.CheckSCIM != f.prof.CheckSCIM || p.Subdomain != f.prof.Subdomain {
		t.Errorf("state.json has %+v (%v), plain mode %+v", p, err, f.prof)
	}
}
