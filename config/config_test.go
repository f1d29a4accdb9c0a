package config

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

const key = "test-key-0123456789-7f3c"

// saveState writes st whole as state.json, through the same atomic write
// under the lock as Update, for a test that needs a given state on disk.
func saveState(f *Folder, st *State) error {
	return f.changing(func() error { return f.storeState(st) })
}

func TestFileStoreModesAndRoundTrip(t *testing.T) {
	folder := NewFolder(filepath.Join(t.TempDir(), "lattice-link"))
	f := NewFile(folder)
	if _, err := f.Get("default"); !errors.Is(err, ErrNoKey) {
		t.Fatalf("empty store: %v", err)
	}
	if err := f.Set("default", key); err != nil {
		t.Fatal(err)
	}
	if err := f.Set("acme", "other-key-abcdefgh"); err != nil {
		t.Fatal(err)
	}
	requireMode(t, folder.Path, 0o700)
	requireMode(t, filepath.Join(folder.Path, "credentials.json"), 0o600)
	if got, err := f.Get("default"); err != nil || got != key {
		t.Errorf("Get = %q, %v", got, err)
	}
	if err := f.Delete("default"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get("default"); !errors.Is(err, ErrNoKey) {
		t.Errorf("after Delete: %v", err)
	}
	if got, _ := f.Get("acme"); got != "other-key-abcdefgh" {
		t.Error("Delete took another profile's key")
	}
	if err := f.Delete("nobody"); !errors.Is(err, ErrNoKey) {
		t.Errorf("Delete of nothing: %v", err)
	}
	entries, _ := os.ReadDir(folder.Path)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left a temp file: %s", e.Name())
		}
	}
}

func requireMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s: mode %04o, want %04o", path, got, want)
	}
}

func TestFileStoreRefusesAReadableFile(t *testing.T) {
	folder := NewFolder(t.TempDir())
	f := NewFile(folder)
	if err := f.Set("default", key); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(folder.Path, "credentials.json")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := f.Get("default")
	if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), key) {
		t.Error("the error shows the key")
	}
}

func TestCrashBeforeRenameKeepsTheOldFile(t *testing.T) {
	folder := NewFolder(t.TempDir())
	f := NewFile(folder)
	if err := f.Set("default", key); err != nil {
		t.Fatal(err)
	}
	// A crash between writing the temp file and the rename leaves a stray
	// temp file; the credentials file must be untouched and readable.
	stray := filepath.Join(folder.Path, ".credentials.json12345")
	if err := os.WriteFile(stray, []byte(`{"version":1,"keys":{"default":"new-half-wri`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Get("default"); err != nil || got != key {
		t.Errorf("after a crash: %q, %v", got, err)
	}
	if err := f.Set("default", "next-key-0123456789"); err != nil {
		t.Fatalf("a write after a crash: %v", err)
	}
}

func TestWriteFailureKeepsTheOldKey(t *testing.T) {
	folder := NewFolder(t.TempDir())
	f := NewFile(folder)
	if err := f.Set("default", key); err != nil {
		t.Fatal(err)
	}
	// The rename cannot replace a folder: the write fails after the temp
	// file was written, as it would on a full disk or a read-only mount.
	path := filepath.Join(folder.Path, "credentials.json")
	aside := path + ".aside"
	_ = os.Rename(path, aside)
	_ = os.Mkdir(path, 0o700)
	_ = os.WriteFile(filepath.Join(path, "x"), nil, 0o600)
	err := writeAtomic(path, []byte("new"), 0o600)
	if err == nil {
		t.Fatal("the write did not fail")
	}
	_ = os.RemoveAll(path)
	_ = os.Rename(aside, path)
	if got, _ := f.Get("default"); got != key {
		t.Error("the old key was lost")
	}
	entries, _ := os.ReadDir(folder.Path)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".credentials") {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
}

func TestFolderThatCannotBeCreated(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	_ = os.WriteFile(blocker, nil, 0o600)
	err := NewFile(NewFolder(filepath.Join(blocker, "lattice-link"))).Set("default", key)
	if err == nil || !strings.Contains(err.Error(), "cannot") || !strings.Contains(err.Error(), blocker) {
		t.Errorf("err = %v", err)
	}
}

func TestStateRoundTripAndCorruptFile(t *testing.T) {
	folder := NewFolder(t.TempDir())
	st, warning, err := folder.LoadState()
	if err != nil || warning != "" || len(st.Profiles) != 0 {
		t.Fatalf("empty: %v %q", err, warning)
	}
	p := st.Profile("acme")
	p.Fingerprint, p.Owner.Name, p.CheckSCIM = "••••7f3c", "Grace", true
	p.Rotations = append(p.Rotations, Rotation{From: "••••aaaa", To: "••••7f3c", At: time.Now().UTC()})
	if err := saveState(folder, st); err != nil {
		t.Fatal(err)
	}
	requireMode(t, filepath.Join(folder.Path, "state.json"), 0o600)
	back, _, _ := folder.LoadState()
	if got := back.Profile("acme"); got.Owner.Name != "Grace" || !got.CheckSCIM || len(got.Rotations) != 1 {
		t.Errorf("loaded %+v", got)
	}

	if err := os.WriteFile(filepath.Join(folder.Path, "state.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, warning, err = folder.LoadState()
	if err != nil || !strings.Contains(warning, "moved to") || len(st.Profiles) != 0 {
		t.Fatalf("corrupt: %v %q", err, warning)
	}
	matches, _ := filepath.Glob(filepath.Join(folder.Path, "state.json.corrupt-*"))
	if len(matches) != 1 {
		t.Errorf("corrupt file not set aside: %v", matches)
	}
}

func TestStateHasNoKey(t *testing.T) {
	folder := NewFolder(t.TempDir())
	if _, err := (KeyChange{Profile: "default", Key: key, Record: func(p *Profile) {
		p.Connected("••••7f3c", Owner{Name: "Grace"}, "us", "memory", time.Now())
	}}).Commit(folder, NewMemory()); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(folder.Path, "state.json"))
	if strings.Contains(string(b), key) {
		t.Fatal("state.json holds the key")
	}
}

func TestKeyringWithMock(t *testing.T) {
	keyring.MockInit()
	k := NewKeyring(nil)
	if _, err := k.Get("default"); !errors.Is(err, ErrNoKey) {
		t.Fatalf("empty: %v", err)
	}
	if err := k.Set("default", key); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("default"); err != nil || got != key {
		t.Errorf("Get = %q, %v", got, err)
	}
	if err := k.Delete("default"); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete("default"); !errors.Is(err, ErrNoKey) {
		t.Errorf("second delete: %v", err)
	}
}

type hangingKeyring struct{ release chan struct{} }

func (h hangingKeyring) Get(string, string) (string, error) { <-h.release; return "", nil }
func (h hangingKeyring) Set(string, string, string) error   { <-h.release; return nil }
func (h hangingKeyring) Delete(string, string) error        { <-h.release; return nil }

func TestKeyringThatHangsTimesOut(t *testing.T) {
	old := KeyringTimeout
	KeyringTimeout = 100 * time.Millisecond
	defer func() { KeyringTimeout = old }()
	h := hangingKeyring{make(chan struct{})}
	defer close(h.release)

	start := time.Now()
	if err := NewKeyring(h).Set("default", key); err == nil || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("err = %v", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %v", time.Since(start))
	}

	// auto with a keyring that does not answer keeps the key in the file,
	// and says why.
	folder := NewFolder(t.TempDir())
	store, err := OpenStore("auto", "", folder, h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (KeyChange{Profile: "default", Key: key}).Commit(folder, store); err != nil {
		t.Fatal(err)
	}
	fb := store.(*Stores).Fallback()
	if store.Kind() != FileStore || fb == nil || fb.Problem != KeyringSilent {
		t.Errorf("auto with a hanging keyring: %v, %v", store.Kind(), fb)
	}
}

func TestOpenStore(t *testing.T) {
	keyring.MockInit()
	folder := NewFolder(t.TempDir())
	for kind, want := range map[string]StoreKind{"auto": KeyringStore, "keyring": KeyringStore, "file": FileStore, "": KeyringStore} {
		s, err := OpenStore(kind, "", folder, nil)
		if err != nil || s.Kind() != want {
			t.Errorf("%s: %v %v", kind, s, err)
		}
	}
	if _, err := OpenStore("vault", "", folder, nil); err == nil {
		t.Error("unknown store accepted")
	}
}

func TestLockBetweenGoroutines(t *testing.T) {
	folder := NewFolder(t.TempDir())
	unlock, err := folder.Lock(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := folder.Lock(150 * time.Millisecond); !errors.Is(err, ErrLocked) {
			t.Errorf("second lock: %v", err)
		}
	}()
	wg.Wait()
	unlock()
	again, err := folder.Lock(time.Second)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
}

// TestLockBetweenProcesses holds the lock in a child process (this test
// binary, re-run) and checks this one waits, then gives up.
func TestLockBetweenProcesses(t *testing.T) {
	if dir := os.Getenv("LOCK_HOLDER_DIR"); dir != "" {
		unlock, err := NewFolder(dir).Lock(time.Second)
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(700 * time.Millisecond)
		unlock()
		os.Exit(0)
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockBetweenProcesses$")
	cmd.Env = append(os.Environ(), "LOCK_HOLDER_DIR="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := out.Read(buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("child: %q %v", buf, err)
	}
	if _, err := NewFolder(dir).Lock(100 * time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Errorf("while the child holds it: %v", err)
	}
	unlock, err := NewFolder(dir).Lock(3 * time.Second)
	if err != nil {
		t.Fatalf("after the child let go: %v", err)
	}
	unlock()
	_ = cmd.Wait()
}

func TestStateFromOutsideIsCleaned(t *testing.T) {
	folder := NewFolder(t.TempDir())
	hostile := `{"version":1,"profiles":{"default":{"owner":{"name":"Eve\u001b[2J\u001b]52;c;QUFB\u0007"},` +
		`"answers":{"company":"Acme\u001b[31m","use_case":"line one\nline two\u0000"}},"nil":null,` +
		`"vault":{"store":"vault\u001b[2J"},"file":{"store":"file","fingerprint":"••••7f3c",` +
		`"rotations":[{"from":"revoke me","to":"••••7f3c"},{"from":"••••0a11","to":"••••7f3c"}]},` +
		`"planted":{"fingerprint":"••••\u001b[2J"}}}`
	if err := os.WriteFile(filepath.Join(folder.Path, "state.json"), []byte(hostile), 0o600); err != nil {
		t.Fatal(err)
	}
	st, warning, err := folder.LoadState()
	if err != nil || !strings.Contains(warning, `the fingerprint "••••" of profile "planted" is not one lattice-link writes`) {
		t.Fatal(err, warning)
	}
	p := st.Profile("default")
	if p.Owner.Name != "Eve" || p.Answers.Company != "Acme" || p.Answers.UseCase != "line one\nline two" {
		t.Errorf("not cleaned: %+v", p)
	}
	if _, ok := st.Profiles["nil"]; ok {
		t.Error("a null profile was kept")
	}
	// The store is only a hint, and one that names no store is none.
	if got, want := st.Profile("vault").Store, StoreKind(""); got != want {
		t.Errorf("a hint naming no store was kept: %q", got)
	}
	if got := st.Profile("file").Store; got != FileStore {
		t.Errorf("the file hint was lost: %q", got)
	}
	// A fingerprint is what lattice-link writes, or nothing.
	if fp := st.Profile("planted").Fingerprint; fp != "" {
		t.Errorf("a planted fingerprint was kept: %q", fp)
	}
	if f := st.Profile("file"); f.Fingerprint != "••••7f3c" || len(f.Rotations) != 1 || f.Rotations[0].From != "••••0a11" {
		t.Errorf("fingerprints: %q, rotations %+v", f.Fingerprint, f.Rotations)
	}
}

func FuzzLoadState(f *testing.F) {
	f.Add([]byte(`{"version":1,"profiles":{"default":{"fingerprint":"••••7f3c"}}}`))
	f.Add([]byte(`{"version":99}`))
	f.Add([]byte(`{not json`))
	f.Add([]byte(`{"profiles":{"x":null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		folder := NewFolder(t.TempDir())
		if err := os.WriteFile(filepath.Join(folder.Path, "state.json"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		st, _, err := folder.LoadState()
		if err != nil {
			t.Fatalf("LoadState failed: %v", err)
		}
		for _, p := range st.Profiles {
			if p == nil {
				t.Fatal("nil profile")
			}
			for _, s := range []string{p.Owner.Name, p.Answers.Company, p.Fingerprint} {
				if strings.ContainsAny(s, "\x1b\x07\x00") {
					t.Fatalf("control characters survived: %q", s)
				}
			}
		}
		if err := saveState(folder, st); err != nil {
			t.Fatalf("cannot save what was loaded: %v", err)
		}
	})
}

func TestKeyChangeIsACompareAndSwap(t *testing.T) {
	folder := NewFolder(t.TempDir())
	store := NewFile(folder)
	first := KeyChange{Profile: "default", Key: "first-key-0123456789", Record: func(p *Profile) { p.Fingerprint = "••••6789" }}
	if _, err := first.Commit(folder, store); err != nil {
		t.Fatal(err)
	}
	// Another run, which read no key at its start, must not overwrite it.
	stale := KeyChange{Profile: "default", Key: "second-key-0123456789", Record: func(p *Profile) { p.Fingerprint = "stale" }}
	if _, err := stale.Commit(folder, store); !errors.Is(err, ErrReplaced) {
		t.Fatalf("stale change: %v", err)
	}
	if got, _ := store.Get("default"); got != "first-key-0123456789" {
		t.Errorf("stored %q", got)
	}
	// A change that expected the stored key goes through, on top of the
	// state as it is now (the other profile's details are kept).
	if _, err := folder.Update("acme", func(p *Profile) { p.Fingerprint = "••••acme" }); err != nil {
		t.Fatal(err)
	}
	next, err := KeyChange{Profile: "default", Expected: "first-key-0123456789", Key: "third-key-0123456789",
		Record: func(p *Profile) { p.Fingerprint = "••••third" }}.Commit(folder, store)
	if err != nil {
		t.Fatal(err)
	}
	if next.State.Profile("acme").Fingerprint != "••••acme" || next.State.Profile("default").Fingerprint != "••••third" {
		t.Errorf("state after the change: %+v %+v", next.State.Profile("acme"), next.State.Profile("default"))
	}
	// Forgetting is a change to no key.
	if _, err := (KeyChange{Profile: "default", Expected: "third-key-0123456789", Record: (*Profile).Forgotten}).Commit(folder, store); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Get("default"); !errors.Is(err, ErrNoKey) {
		t.Errorf("after forgetting: %v", err)
	}
}
