package config

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// bump adds one to a counter kept in a string field: a lost update shows as
// a count short of the number of updates made.
func bump(field *string) {
	n, _ := strconv.Atoi(*field)
	*field = strconv.Itoa(n + 1)
}

func slowLockWait(t *testing.T) {
	old := LockWait
	LockWait = 20 * time.Second
	t.Cleanup(func() { LockWait = old })
}

func TestUpdatesFromGoroutinesAreAllKept(t *testing.T) {
	slowLockWait(t)
	dir := t.TempDir()
	const n = 30
	var wg sync.WaitGroup
	for _, field := range []func(*Profile) *string{
		func(p *Profile) *string { return &p.Answers.Company },
		func(p *Profile) *string { return &p.Answers.Tool },
	} {
		for _, folder := range []*Folder{NewFolder(dir), NewFolder(dir)} { // two values of one folder too
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range n {
					if _, err := folder.Update("default", func(p *Profile) { bump(field(p)) }); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	st, _, _ := NewFolder(dir).LoadState()
	if p := st.Profile("default"); p.Answers.Company != strconv.Itoa(2*n) || p.Answers.Tool != strconv.Itoa(2*n) {
		t.Errorf("after %d updates of each field: company %s, tool %s", 2*n, p.Answers.Company, p.Answers.Tool)
	}
}

// TestUpdatesFromProcessesAreAllKept runs Update in a child process (this
// test binary, re-run) on one field while this process updates another.
func TestUpdatesFromProcessesAreAllKept(t *testing.T) {
	const n = 40
	if dir := os.Getenv("UPDATE_CHILD_DIR"); dir != "" {
		LockWait = 20 * time.Second
		for range n {
			if _, err := NewFolder(dir).Update("default", func(p *Profile) { bump(&p.Answers.Company) }); err != nil {
				fmt.Println(err)
				os.Exit(3)
			}
		}
		os.Exit(0)
	}
	slowLockWait(t)
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestUpdatesFromProcessesAreAllKept$")
	cmd.Env = append(os.Environ(), "UPDATE_CHILD_DIR="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := NewFolder(dir).Update("default", func(p *Profile) { bump(&p.Answers.Tool) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	st, _, _ := NewFolder(dir).LoadState()
	if p := st.Profile("default"); p.Answers.Company != strconv.Itoa(n) || p.Answers.Tool != strconv.Itoa(n) {
		t.Errorf("company %s, tool %s; want %d each", p.Answers.Company, p.Answers.Tool, n)
	}
}

func TestCommitRacingUpdateKeepsBoth(t *testing.T) {
	slowLockWait(t)
	for _, folder := range []*Folder{NewFolder(t.TempDir()), NewMemoryFolder()} {
		store := NewFile(folder)
		const n = 15
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if _, err := folder.Update("default", func(p *Profile) { bump(&p.Subdomain) }); err != nil {
					t.Error(err)
				}
			}
		}()
		expected := ""
		for i := range n {
			next := fmt.Sprintf("key-0123456789-%04d", i)
			fp := "••••" + next[len(next)-4:]
			st, err := KeyChange{Profile: "default", Expected: expected, Key: next, Record: func(p *Profile) {
				p.Connected(fp, Owner{Name: "Grace"}, "us", "file", time.Now())
			}}.Commit(folder, store)
			if err != nil {
				t.Fatal(err)
			}
			if st.State.Profile("default").Fingerprint != fp {
				t.Errorf("Commit returned %+v", st.State.Profile("default"))
			}
			expected = next
		}
		wg.Wait()
		st, _, _ := folder.LoadState()
		p := st.Profile("default")
		if p.Subdomain != strconv.Itoa(n) || p.Fingerprint != "••••"+expected[len(expected)-4:] || len(p.Rotations) != n-1 {
			t.Errorf("%q: subdomain %s (want %d), fingerprint %s, %d rotations", folder.Path, p.Subdomain, n, p.Fingerprint, len(p.Rotations))
		}
		if got, _ := store.Get("default"); got != expected {
			t.Errorf("stored %q, want %q", got, expected)
		}
	}
}

func TestCommitIsACompareAndSwap(t *testing.T) {
	folder := NewFolder(t.TempDir())
	store := NewFile(folder)
	if _, err := (KeyChange{Profile: "default", Key: "first-key-0123456789"}).Commit(folder, store); err != nil {
		t.Fatal(err)
	}
	stale := KeyChange{Profile: "default", Key: "second-key-0123456789", Record: func(p *Profile) { p.Fingerprint = "stale" }}
	if _, err := stale.Commit(folder, store); !errors.Is(err, ErrReplaced) {
		t.Fatalf("stale change: %v", err)
	}
	if got, _ := store.Get("default"); got != "first-key-0123456789" {
		t.Errorf("stored %q", got)
	}
	if st, _, _ := folder.LoadState(); st.Profile("default").Fingerprint == "stale" {
		t.Error("a refused change was recorded")
	}
	// Commit takes the lock itself: one held elsewhere makes it wait, then give up.
	unlock, err := NewFolder(folder.Path).Lock(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	old := LockWait
	LockWait = 100 * time.Millisecond
	_, err = KeyChange{Profile: "default", Expected: "first-key-0123456789"}.Commit(NewFolder(folder.Path), store)
	LockWait = old
	unlock()
	if !errors.Is(err, ErrLocked) {
		t.Errorf("while locked: %v", err)
	}
	if _, err := (KeyChange{}).Commit(nil, store); err == nil {
		t.Error("Commit without a folder")
	}
}

// TestStateWriteFailureAfterTheKey: the key is changed, and the error says
// only the state could not be written.
func TestStateWriteFailureAfterTheKey(t *testing.T) {
	folder := NewFolder(t.TempDir())
	store := NewMemory()
	statePath := filepath.Join(folder.Path, "state.json")
	beforeRename = func(string) { // a non-empty folder where state.json goes: the rename fails
		_ = os.MkdirAll(filepath.Join(statePath, "x"), 0o700)
	}
	defer func() { beforeRename = nil }()
	done, err := KeyChange{Profile: "default", Key: key, Record: func(p *Profile) { p.Fingerprint = "••••7f3c" }}.Commit(folder, store)
	if err != nil || done.StateErr == nil || !strings.Contains(done.StateErr.Error(), "state.json") {
		t.Fatalf("err = %v, %v", err, done.StateErr)
	}
	if got, _ := store.Get("default"); got != key {
		t.Errorf("the key was not stored: %q", got)
	}
	entries, _ := os.ReadDir(folder.Path)
	for _, e := range entries {
		if isOurTemp(e.Name()) {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
}

func TestMemoryFolderNeverTouchesTheDisk(t *testing.T) {
	t.Chdir(t.TempDir())
	folder := NewMemoryFolder()
	if folder.Path != "" {
		t.Errorf("Path = %q", folder.Path)
	}
	st, warning, err := folder.LoadState()
	if err != nil || warning != "" || len(st.Profiles) != 0 {
		t.Fatal(st, warning, err)
	}
	if _, err := folder.Update("default", func(p *Profile) { p.Subdomain = "acme" }); err != nil {
		t.Fatal(err)
	}
	file := NewFile(folder)
	if _, err := (KeyChange{Profile: "default", Key: key, Record: func(p *Profile) { p.Fingerprint = "••••7f3c" }}).Commit(folder, file); err != nil {
		t.Fatal(err)
	}
	if got, err := file.Get("default"); err != nil || got != key {
		t.Errorf("file store over memory: %q, %v", got, err)
	}
	written, err := folder.Update("default", func(p *Profile) { p.Region = "emea" })
	if err != nil {
		t.Fatal(err)
	}
	if again, _, _ := folder.LoadState(); again.Profile("default").Region != "emea" ||
		again.Profile("default").Fingerprint != "••••7f3c" || again.Profile("default").Subdomain != "acme" {
		t.Errorf("the memory folder did not keep every change: %+v", again.Profile("default"))
	}
	written.Profile("default").Region = "changed after saving"
	st.Profile("default").Region = "changed after loading"
	if again, _, _ := folder.LoadState(); again.Profile("default").Region != "emea" {
		t.Error("the memory folder shares the caller's state")
	}

	unlock, err := folder.Lock(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := folder.Lock(50 * time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Errorf("second lock: %v", err)
	}
	unlock()
	unlock() // a second call does nothing
	again, err := folder.Lock(0)
	if err != nil {
		t.Fatal(err)
	}
	again()

	entries, _ := os.ReadDir(".")
	if len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
	if !strings.Contains(file.Where(), "memory") {
		t.Errorf("Where = %q", file.Where())
	}
}

func TestLeftoverTempFilesAreRemovedOnTheNextRun(t *testing.T) {
	folder := NewFolder(t.TempDir())
	if err := NewFile(folder).Set("default", key); err != nil {
		t.Fatal(err)
	}
	ours := []string{".credentials.json123", ".state.json4567890"}
	theirs := []string{".credentials.json.bak", ".credentials.json", "credentials.json1", ".state.jsonx1", "notes"}
	for _, name := range append(ours, theirs...) {
		if err := os.WriteFile(filepath.Join(folder.Path, name), []byte(key), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := NewFolder(folder.Path).LoadState(); err != nil {
		t.Fatal(err)
	}
	for _, name := range ours {
		if _, err := os.Lstat(filepath.Join(folder.Path, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was kept", name)
		}
	}
	for _, name := range theirs {
		if _, err := os.Lstat(filepath.Join(folder.Path, name)); err != nil {
			t.Errorf("%s was removed", name)
		}
	}

	// While another run holds the lock, its temp files are left alone.
	stray := filepath.Join(folder.Path, ".state.json99")
	_ = os.WriteFile(stray, nil, 0o600)
	unlock, err := NewFolder(folder.Path).Lock(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(stray, nil, 0o600) // written after the holder's own clean-up
	_, _, _ = NewFolder(folder.Path).LoadState()
	if _, err := os.Stat(stray); err != nil {
		t.Error("a temp file was removed while the lock was held")
	}
	unlock()
}

func TestCorruptCredentialsSaysWhatIsWrong(t *testing.T) {
	folder := NewFolder(t.TempDir())
	path := filepath.Join(folder.Path, "credentials.json")
	for content, want := range map[string]string{
		`{"version":1,"keys":{"default":"` + key:        "ends too early",
		`{"version":1,"keys":{"default":` + key + `"}}`: "a syntax error at byte",
		`{"version":1,"keys":["` + key + `"]}`:          "array where another kind of value belongs",
		``:                                              "it is empty",
		`{"version":1,"keys":{}} trailing`:              "syntax error",
	} {
		// Written as the store writes it, owner-only on Windows too, so
		// that what is refused is the content.
		if err := writeAtomic(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := NewFile(folder).Get("default")
		if err == nil {
			t.Errorf("%q: no error", content)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, path+" is not valid JSON") || !strings.Contains(msg, want) ||
			!strings.Contains(msg, moveAsideAdvice(runtime.GOOS, path)) || strings.Contains(msg, "<nil>") || strings.Contains(msg, "0123") {
			t.Errorf("%q: %v", content, err)
		}
	}
	if err := writeAtomic(path, []byte(`{"version":2,"keys":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewFile(folder).Get("default"); err == nil || !strings.Contains(err.Error(), "newer lattice-link") {
		t.Errorf("a newer file: %v", err)
	}
}

func TestOversizedFilesAreNotRead(t *testing.T) {
	folder := NewFolder(t.TempDir())
	big := []byte(`{"version":1,"profiles":{"default":{"subdomain":"` + strings.Repeat("a", 2<<20) + `"}}}`)
	creds, state := filepath.Join(folder.Path, "credentials.json"), filepath.Join(folder.Path, "state.json")
	for _, p := range []string{creds, state} {
		if err := os.WriteFile(p, big, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := NewFile(folder).Get("default"); err == nil || !strings.Contains(err.Error(), creds+" is larger than 1 MiB") {
		t.Errorf("credentials: %v", err)
	}
	st, warning, err := folder.LoadState()
	if err != nil || len(st.Profiles) != 0 || !strings.Contains(warning, state+" is larger than 1 MiB") {
		t.Errorf("state: %v %q", err, warning)
	}
	if matches, _ := filepath.Glob(state + ".corrupt-*"); len(matches) != 1 {
		t.Errorf("not set aside: %v", matches)
	}
	// Update sets it aside in the same way, and writes afresh.
	if err := os.WriteFile(state, big, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := folder.Update("default", func(p *Profile) { p.Subdomain = "acme" }); err != nil {
		t.Fatal(err)
	}
	if matches, _ := filepath.Glob(state + "*.corrupt-*"); len(matches) != 2 {
		t.Errorf("two set aside in one second: %v", matches)
	}
	if st, _, _ := folder.LoadState(); st.Profile("default").Subdomain != "acme" {
		t.Error("Update did not write")
	}
}

func TestAnUnknownRegionIsDropped(t *testing.T) {
	folder := NewFolder(t.TempDir())
	state := filepath.Join(folder.Path, "state.json")
	content := `{"version":1,"profiles":{"default":{"region":"mars\u001b[2J","fingerprint":"••••7f3c"},` +
		`"eu":{"region":"emea"},"us":{"region":"us"},"none":{}}}`
	if err := os.WriteFile(state, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	st, warning, err := folder.LoadState()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warning, state) || !strings.Contains(warning, `"mars"`) || !strings.Contains(warning, `"default"`) ||
		strings.Contains(warning, "\x1b") {
		t.Errorf("warning = %q", warning)
	}
	if p := st.Profile("default"); p.Region != "" || p.Fingerprint != "••••7f3c" {
		t.Errorf("default: %+v", p)
	}
	if st.Profile("eu").Region != "emea" || st.Profile("us").Region != "us" {
		t.Error("a good region was dropped")
	}
	if _, err := folder.Update("eu", func(p *Profile) { p.Subdomain = "acme" }); err != nil {
		t.Fatal(err)
	}
	if _, warning, _ := folder.LoadState(); warning != "" {
		t.Errorf("the next write kept the bad region: %q", warning)
	}
}

func TestWriteNewFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "email.txt")
	if err := WriteNewFile(path, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "hello" {
		t.Errorf("wrote %q", b)
	}
	if err := WriteNewFile(path, []byte("again"), 0o600); !errors.Is(err, os.ErrExist) {
		t.Errorf("an existing file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "hello" {
		t.Errorf("overwritten: %q", b)
	}
	if got := FreeName(path); got != filepath.Join(dir, "email (2).txt") {
		t.Errorf("FreeName = %q", got)
	}
	_ = os.WriteFile(filepath.Join(dir, "email (2).txt"), nil, 0o600)
	if got := FreeName(path); got != filepath.Join(dir, "email (3).txt") {
		t.Errorf("FreeName = %q", got)
	}
	if got := FreeName(filepath.Join(dir, "free.txt")); got != filepath.Join(dir, "free.txt") {
		t.Errorf("FreeName of a free name = %q", got)
	}
	_ = os.WriteFile(filepath.Join(dir, ".env"), nil, 0o600)
	if got := FreeName(filepath.Join(dir, ".env")); got != filepath.Join(dir, ".env (2)") {
		t.Errorf("FreeName(.env) = %q", got)
	}
}

func TestWriteNewFileNeverFollowsASymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	planted, dangling := filepath.Join(dir, "email.txt"), filepath.Join(dir, "other.txt")
	if err := os.Symlink(target, planted); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink(filepath.Join(dir, "created-through-link"), dangling); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{planted, dangling} {
		if err := WriteNewFile(p, []byte("attacker wins"), 0o600); !errors.Is(err, os.ErrExist) {
			t.Errorf("%s: %v", p, err)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "precious" {
		t.Errorf("the link's target now holds %q", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, "created-through-link")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a file was created through a dangling link")
	}
	if got := FreeName(dangling); got != filepath.Join(dir, "other (2).txt") {
		t.Errorf("FreeName of a dangling link = %q", got)
	}
}

func TestValidProfile(t *testing.T) {
	for _, good := range []string{"default", "acme", "acme-eu", "Acme_2", "a.b", "x", "-", strings.Repeat("a", 64), "..."} {
		if err := ValidProfile(good); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "a/b", `a\b`, "a b", "é", "a\x00", "\x1b[2J", strings.Repeat("a", 65), "a:b"} {
		err := ValidProfile(bad)
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		if !strings.Contains(err.Error(), "letters") || !strings.Contains(err.Error(), "64") || strings.Contains(err.Error(), "\x1b") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestOpenStoreOverAMemoryFolder(t *testing.T) {
	for _, kind := range []string{"auto", "keyring", "file", ""} {
		s, err := OpenStore(kind, "", NewMemoryFolder(), hangingKeyring{}) // any keyring call would hang
		if err != nil || !strings.Contains(s.Where(), "memory") {
			t.Errorf("%q: %v %v", kind, s, err)
		}
	}
	if _, err := OpenStore("vault", "", NewMemoryFolder(), nil); err == nil {
		t.Error("unknown store accepted")
	}
}
