package link

import (
	"errors"
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// noBus is the OS keyring of a machine without a D-Bus session bus.
type noBus struct{}

var errNoBus = errors.New(`exec: "dbus-launch": executable file not found in $PATH`)

func (noBus) Get(string, string) (string, error) { return "", errNoBus }
func (noBus) Set(string, string, string) error   { return errNoBus }
func (noBus) Delete(string, string) error        { return errNoBus }

// On a machine with no keyring, --store keyring says what is missing and
// the way on (the file), in every face, not the keyring library's words;
// auto keeps the key in the file and does not advise insisting on a
// keyring that is not there (walk 2 F36).
func TestNoKeyringSaysWhatIsMissingAndTheWayOn(t *testing.T) {
	f := newFixture(t)
	for _, kind := range []string{"keyring", "auto"} {
		folder := config.NewFolder(t.TempDir() + "/cfg")
		store, err := config.OpenStore(kind, "", folder, noBus{})
		if err != nil {
			t.Fatal(err)
		}
		l := New(Config{Profile: "acme", Client: f.l.Client, Folder: folder, OpenStore: func() (config.Store, error) { return store, nil }})
		res, err := l.Connect(t.Context(), latticedemo.KeyAdmin, "", false)
		if kind == "auto" {
			if err != nil || !strings.HasPrefix(res.StoreNote, "The OS keyring is not available (there is none here)") ||
				strings.Contains(res.StoreNote, "--store keyring") {
				t.Errorf("auto: %v, note %q", err, res.StoreNote)
			}
			continue
		}
		for _, flags := range []bool{true, false} {
			s := l.Explain(err, Typed, flags)
			for _, want := range []string{"there is no OS keyring on this machine", "Nothing was stored.", "--store file"} {
				if !strings.Contains(s, want) {
					t.Errorf("flags %v: no %q in %q", flags, want, s)
				}
			}
			for _, noise := range []string{"reading the OS keyring:", "not available here:", "exec:", "$PATH"} {
				if strings.Contains(s, noise) {
					t.Errorf("flags %v: %q in %q", flags, noise, s)
				}
			}
		}
		_, err = l.Stored()
		if s := l.Explain(err, Stored, true); !strings.HasPrefix(s, "There is no OS keyring on this machine (") ||
			!strings.Contains(s, "--store file") {
			t.Errorf("reading: %q", s)
		}
	}
}
