package wizard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// unwritable is a link whose state.json cannot be written: its folder
// would be inside a regular file (which no permission lets anyone do).
func unwritable(t *testing.T) *link.Link {
	t.Helper()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	client, _ := lattice.New(lattice.Options{Version: "test"})
	store := config.NewMemory()
	return link.New(link.Config{Profile: "default", Client: client, Folder: config.NewFolder(filepath.Join(file, "lattice-link")),
		OpenStore: func() (config.Store, error) { return store, nil }})
}

// TestTheSCIMBoxShowsWhatWasRemembered: the box shows the choice at once,
// from the screen's own pending value, while the wizard's copy of the
// profile waits for the state link wrote; a write that fails says so and
// shows the old value.
func TestTheSCIMBoxShowsWhatWasRemembered(t *testing.T) {
	const on, off = "(space to turn off)", "(space to turn on)"
	m := sized(Options{Start: steps.SCIM, Link: unwritable(t)}, 100, 30, true)
	_, save := m.Update(press("space"))
	if s := shown(m); !strings.Contains(s, on) || m.app.remembered.CheckSCIM {
		t.Errorf("before the write is back: copy %v\n%s", m.app.remembered.CheckSCIM, s)
	}
	run(m, save)
	if s := shown(m); !strings.Contains(s, off) || !strings.Contains(s, "Could not remember that") || m.app.remembered.CheckSCIM {
		t.Errorf("after a failed write:\n%s", s)
	} else if strings.Contains(strings.ToLower(s), "could not remember it") {
		t.Errorf("the failure is worded twice:\n%s", s)
	}

	m = sized(Options{Start: steps.SCIM, Link: testLink(nil, nil)}, 100, 30, true)
	_, first := m.Update(press("space"))
	_, second := m.Update(press("space"))
	_, third := m.Update(press("space"))
	run(m, first)
	run(m, second)
	if s := shown(m); !strings.Contains(s, on) {
		t.Errorf("a write still under way: the box no longer shows the last choice\n%s", s)
	}
	run(m, third)
	if s := shown(m); !strings.Contains(s, on) || !m.app.remembered.CheckSCIM {
		t.Errorf("after the writes: copy %v\n%s", m.app.remembered.CheckSCIM, s)
	}
}

// TestSentIsShownUntilItsWriteIsBack: "You sent this request" comes at
// once from the screen's own value, and goes again if it could not be
// remembered; the wizard's copy changes only to what link wrote.
func TestSentIsShownUntilItsWriteIsBack(t *testing.T) {
	m := sized(Options{Start: steps.RequestAccess, Link: unwritable(t)}, 100, 40, true)
	requestOf(m).ask()
	_, save := m.Update(press("y"))
	if s := shown(m); !strings.Contains(s, "You sent this request just now.") || !m.app.remembered.AccessRequestedAt.IsZero() {
		t.Errorf("before the write is back: copy %v\n%s", m.app.remembered.AccessRequestedAt, s)
	}
	run(m, save)
	if s := shown(m); strings.Contains(s, "You sent this request") || !strings.Contains(s, "Could not remember that") {
		t.Errorf("after a failed write:\n%s", s)
	}

	m = sized(Options{Start: steps.RequestAccess, Link: testLink(nil, nil)}, 100, 40, true)
	requestOf(m).ask()
	_, save = m.Update(press("y"))
	run(m, save)
	if s := shown(m); !strings.Contains(s, "You sent this request just now.") || m.app.remembered.AccessRequestedAt.IsZero() {
		t.Errorf("after the write:\n%s", s)
	}
}
