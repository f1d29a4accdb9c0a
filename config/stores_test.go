package config

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// fakeKeyring is an OS keyring whose calls can fail or hang on demand.
type fakeKeyring struct {
	mu     sync.Mutex
	keys   map[string]string
	getErr error // every Get fails with it
	setErr error
	delErr error
	// setLate: Set stores the key but answers only after this long;
	// with setBlocks, nothing else answers meanwhile.
	setLate   time.Duration
	setBlocks bool
}

func newFakeKeyring() *fakeKeyring { return &fakeKeyring{keys: map[string]string{}} }

func (f *fakeKeyring) Get(_, user string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.getErr != nil {
		return "", f.getErr
	}
	k, ok := f.keys[user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return k, nil
}

func (f *fakeKeyring) Set(_, user, key string) error {
	f.mu.Lock()
	late, err := f.setLate, f.setErr
	if err == nil {
		f.keys[user] = key
	}
	if f.setBlocks {
		defer f.mu.Unlock()
	} else {
		f.mu.Unlock()
	}
	time.Sleep(late)
	return err
}

func (f *fakeKeyring) Delete(_, user string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.delErr != nil {
		return f.delErr
	}
	if _, ok := f.keys[user]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.keys, user)
	return nil
}

func (f *fakeKeyring) key(user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keys[user]
}

const (
	oldKey = "old-key-0123456789-0a11"
	newKey = "new-key-0123456789-b0b0"
)

// stores opens the stores as a run would, with state.json's hint.
func stores(t *testing.T, asked, hint string, folder *Folder, kr KeyringBackend) *Stores {
	t.Helper()
	s, err := OpenStore(asked, StoreKind(hint), folder, kr)
	if err != nil {
		t.Fatal(err)
	}
	return s.(*Stores)
}

func fileKey(t *testing.T, folder *Folder) string {
	t.Helper()
	k, err := NewFile(folder).Get("default")
	if err != nil && !errors.Is(err, ErrNoKey) {
		t.Fatal(err)
	}
	return k
}

// A rotation into another store leaves no copy in the first, both ways.
func TestChangingTheStoreMovesTheKey(t *testing.T) {
	for _, c := range []struct{ from, to string }{{"keyring", "file"}, {"file", "keyring"}} {
		t.Run(c.from+" to "+c.to, func(t *testing.T) {
			folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
			if _, err := (KeyChange{Profile: "default", Key: oldKey}).Commit(folder, stores(t, c.from, "", folder, kr)); err != nil {
				t.Fatal(err)
			}
			s := stores(t, c.to, c.from, folder, kr)
			if got, err := s.Get("default"); err != nil || got != oldKey {
				t.Fatalf("--store %s does not see the key in the %s: %q %v", c.to, c.from, got, err)
			}
			done, err := KeyChange{Profile: "default", Expected: oldKey, Key: newKey}.Commit(folder, s)
			if err != nil {
				t.Fatal(err)
			}
			if len(done.Cleared) != 1 || string(done.Cleared[0].Kind) != c.from {
				t.Errorf("cleared %+v", done.Cleared)
			}
			inFile, inKeyring := fileKey(t, folder), kr.key("default")
			want := map[string]string{"file": inFile, "keyring": inKeyring}
			if want[c.to] != newKey || want[c.from] != "" {
				t.Errorf("after the rotation: file %q, keyring %q", inFile, inKeyring)
			}
			if s.Kind() != StoreKind(c.to) {
				t.Errorf("Kind = %s", s.Kind())
			}
		})
	}
}

// state.json saying "file" neither hides the key in the keyring nor sends
// the next key to the file.
func TestTheHintNeverHidesNorDowngrades(t *testing.T) {
	folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
	kr.keys["default"] = oldKey
	s := stores(t, "auto", "file", folder, kr)
	if got, err := s.Get("default"); err != nil || got != oldKey || s.Kind() != KeyringStore {
		t.Fatalf("Get = %q, %v, in %s", got, err, s.Kind())
	}
	if _, err := (KeyChange{Profile: "default", Expected: oldKey, Key: newKey}).Commit(folder, s); err != nil {
		t.Fatal(err)
	}
	if kr.key("default") != newKey || fileKey(t, folder) != "" {
		t.Errorf("keyring %q, file %q", kr.key("default"), fileKey(t, folder))
	}
}

// A key in both stores is reported, never chosen; forgetting everywhere
// clears both and says where they were.
func TestAKeyInTwoStoresIsReported(t *testing.T) {
	folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
	kr.keys["default"] = oldKey
	if err := NewFile(folder).Set("default", newKey); err != nil {
		t.Fatal(err)
	}
	s := stores(t, "auto", "keyring", folder, kr)
	_, err := s.Get("default")
	var two *TwoKeysError
	if !errors.As(err, &two) || len(two.Places) != 2 || !strings.Contains(err.Error(), "••••0a11") ||
		!strings.Contains(err.Error(), "••••b0b0") || strings.Contains(err.Error(), oldKey) {
		t.Fatalf("Get: %v", err)
	}
	if _, err := (KeyChange{Profile: "default", Expected: newKey, Key: "third-key-0123456789"}).Commit(folder, s); !errors.As(err, &two) {
		t.Errorf("a change over two keys: %v", err)
	}
	done, err := KeyChange{Profile: "default", Everywhere: true}.Commit(folder, s)
	if err != nil || len(done.Cleared) != 2 {
		t.Fatalf("forget everywhere: %+v %v", done, err)
	}
	if kr.key("default") != "" || fileKey(t, folder) != "" {
		t.Errorf("left: keyring %q, file %q", kr.key("default"), fileKey(t, folder))
	}
}

// A locked keyring holding the key (by the hint) is an error, not "no key";
// one the hint does not point to is passed over, and auto uses the file.
func TestALockedKeyring(t *testing.T) {
	locked := errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")
	folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
	kr.getErr, kr.setErr = locked, locked
	_, err := stores(t, "auto", "keyring", folder, kr).Get("default")
	if p, ok := IsKeyring(err); !ok || p != KeyringLocked || strings.Contains(err.Error(), "/org/freedesktop") ||
		strings.Contains(err.Error(), "--store") || !strings.Contains(err.Error(), "Unlock it") {
		t.Errorf("hinted keyring, locked: %v", err)
	}
	s := stores(t, "auto", "", folder, kr)
	if _, err := s.Get("default"); !errors.Is(err, ErrNoKey) {
		t.Errorf("no hint, locked: %v", err)
	}
	if _, err := (KeyChange{Profile: "default", Key: newKey}).Commit(folder, s); err != nil {
		t.Fatal(err)
	}
	if fileKey(t, folder) != newKey || s.Fallback() == nil || s.Fallback().Problem != KeyringLocked {
		t.Errorf("auto with a locked keyring: file %q, fallback %v", fileKey(t, folder), s.Fallback())
	}
}

// Rotating out of a keyring that refuses to let go of the old key changes
// nothing: the old key stays where it was, the new one is nowhere.
func TestAMoveThatCannotFinishIsUndone(t *testing.T) {
	folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
	kr.keys["default"] = oldKey
	kr.delErr = errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'")
	s := stores(t, "file", "keyring", folder, kr)
	_, err := KeyChange{Profile: "default", Expected: oldKey, Key: newKey}.Commit(folder, s)
	var split *SplitError
	if !errors.As(err, &split) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("err = %v", err)
	}
	if kr.key("default") != oldKey || fileKey(t, folder) != "" {
		t.Errorf("keyring %q, file %q", kr.key("default"), fileKey(t, folder))
	}
}

// What is said after a failed write comes from reading the store again.
func TestAFailedWriteIsJudgedByReadingAgain(t *testing.T) {
	t.Run("keyring answers late", func(t *testing.T) {
		old := KeyringTimeout
		KeyringTimeout = 50 * time.Millisecond
		defer func() { KeyringTimeout = old }()
		folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
		kr.setLate = 80 * time.Millisecond
		done, err := KeyChange{Profile: "default", Key: newKey, Record: func(p *Profile) { p.Fingerprint = Fingerprint(newKey) }}.
			Commit(folder, stores(t, "keyring", "", folder, kr))
		if err != nil || done.Doubt == nil || done.State.Profile("default").Fingerprint != "••••b0b0" {
			t.Fatalf("the key landed: %+v, %v", done, err)
		}
	})
	t.Run("cannot tell", func(t *testing.T) {
		old := KeyringTimeout
		KeyringTimeout = 20 * time.Millisecond
		defer func() { KeyringTimeout = old }()
		folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
		kr.setLate, kr.setBlocks = 200*time.Millisecond, true
		_, err := KeyChange{Profile: "default", Key: newKey}.Commit(folder, stores(t, "keyring", "", folder, kr))
		var unsure *UnsureError
		if !errors.As(err, &unsure) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
		kr.setErr = errors.New("permission denied")
		kr.getErr = nil
		st := stores(t, "keyring", "", folder, kr)
		if _, err := (KeyChange{Profile: "default", Key: newKey}).Commit(folder, st); err == nil {
			t.Fatal("a refused write reported as done")
		}
	})
}

// A key read from a store shows only a cleaned tail.
func TestFingerprintIsCleaned(t *testing.T) {
	if got := Fingerprint("0123456789ab\x1b[2J"); strings.ContainsRune(got, 0x1b) {
		t.Errorf("Fingerprint = %q", got)
	}
	if got := Fingerprint("short"); got != "••••?" {
		t.Errorf("Fingerprint(short) = %q", got)
	}
}

// A config folder whose path would change the terminal when shown is
// refused, wherever the path came from: LATTICE_LINK_CONFIG_DIR, or
// XDG_CONFIG_HOME and HOME, from which the default folder is made.
func TestAConfigDirWithEscapesIsRefused(t *testing.T) {
	t.Setenv("LATTICE_LINK_CONFIG_DIR", "/tmp/x\x1b]0;owned\a")
	_, err := DefaultDir()
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\a") {
		t.Errorf("err = %q", err)
	}
	t.Setenv("LATTICE_LINK_CONFIG_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", "/tmp/x\x1b]0;owned\a")
	t.Setenv("HOME", "/tmp/y\u202e")
	t.Setenv("AppData", "/tmp/y\u202e")
	dir, err := DefaultDir()
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\a\u202e") {
		t.Errorf("from XDG_CONFIG_HOME: %q, %q", dir, err)
	}
}

// The hand-off record keeps only the newest MaxHandoffs.
func TestHandoffRecordIsCapped(t *testing.T) {
	folder := NewFolder(t.TempDir())
	if _, err := folder.Update("default", func(p *Profile) {
		for i := range MaxHandoffs + 5 {
			p.Handoffs = append(p.Handoffs, Handoff{Host: "api.nango.dev", Integration: "lattice", ConnectionID: "c" + string(rune('a'+i))})
		}
	}); err != nil {
		t.Fatal(err)
	}
	st, _, err := folder.LoadState()
	if err != nil {
		t.Fatal(err)
	}
	if h := st.Profile("default").Handoffs; len(h) != MaxHandoffs || h[0].ConnectionID != "c"+string(rune('a'+5)) {
		t.Errorf("%d hand-offs kept, first %+v", len(h), h[0])
	}
}

// No keyring here (no D-Bus bus): it holds nothing, so the look at the file
// is a full one (the record can be repaired from it); a locked keyring
// might hold the key, so the look is not.
func TestAnAbsentKeyringLeavesNothingUnread(t *testing.T) {
	folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
	if err := NewFile(folder).Set("default", newKey); err != nil {
		t.Fatal(err)
	}
	kr.getErr = errors.New(`exec: "dbus-launch": executable file not found in $PATH`)
	loc, err := stores(t, "auto", "file", folder, kr).Locate("default")
	if err != nil || loc.Key != newKey || loc.Unread != nil {
		t.Errorf("absent keyring: %+v, %v", loc, err)
	}
	kr.getErr = errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")
	loc, err = stores(t, "auto", "file", folder, kr).Locate("default")
	if err != nil || loc.Key != newKey || loc.Unread == nil {
		t.Errorf("locked keyring: %+v, %v", loc, err)
	}
}

// Asked for the file, with the hint edited to "file", the key in the
// keyring is still found, and the next key moves it out.
func TestStoreFileStillLooksInTheKeyring(t *testing.T) {
	folder, kr := NewFolder(t.TempDir()), newFakeKeyring()
	kr.keys["default"] = oldKey
	s := stores(t, "file", "file", folder, kr)
	if got, err := s.Get("default"); err != nil || got != oldKey {
		t.Fatalf("Get = %q, %v", got, err)
	}
	done, err := KeyChange{Profile: "default", Expected: oldKey, Key: newKey}.Commit(folder, s)
	if err != nil || len(done.Cleared) != 1 || done.Cleared[0].Kind != KeyringStore {
		t.Fatalf("Commit: %+v, %v", done, err)
	}
	if kr.key("default") != "" || fileKey(t, folder) != newKey {
		t.Errorf("keyring %q, file %q", kr.key("default"), fileKey(t, folder))
	}
}
