package cmd

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// statusJSONOf runs status --json and decodes what it printed.
func statusJSONOf(t *testing.T) map[string]any {
	t.Helper()
	_, stdout, stderr := run(t, "status", "--json")
	var j map[string]any
	if err := json.Unmarshal([]byte(stdout), &j); err != nil {
		t.Fatalf("status --json: %v\n%s%s", err, stdout, stderr)
	}
	return j
}

// After a rotation, status --json lists the replaced key that may still
// work, as status's text does: scripts are told what to revoke too.
func TestStatusJSONListsTheKeysStillToRevoke(t *testing.T) {
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_API_URL", srv.URL)

	if j := statusJSONOf(t); j["to_revoke"] == nil || len(j["to_revoke"].([]any)) != 0 {
		t.Errorf("with no key, to_revoke is %v, want []", j["to_revoke"])
	}
	if code, _, stderr := runWith(t, latticedemo.KeyAdmin+"\n", "connect", "--key-stdin"); code != exitOK {
		t.Fatalf("connect: exit %d\n%s", code, stderr)
	}
	if j := statusJSONOf(t); j["to_revoke"] == nil || len(j["to_revoke"].([]any)) != 0 {
		t.Errorf("before a rotation, to_revoke is %v, want []", j["to_revoke"])
	}
	before := time.Now().Add(-time.Second)
	if code, _, stderr := runWith(t, latticedemo.KeyRotated+"\n", "connect", "--key-stdin"); code != exitOK {
		t.Fatalf("rotate: exit %d\n%s", code, stderr)
	}
	j := statusJSONOf(t)
	list, _ := j["to_revoke"].([]any)
	if len(list) != 1 {
		t.Fatalf("after a rotation, to_revoke is %v, want the replaced key", j["to_revoke"])
	}
	old, _ := list[0].(map[string]any)
	since, err := time.Parse(time.RFC3339Nano, fmtAny(old["since"]))
	if old["fingerprint"] != "••••7f3c" || err != nil || since.Before(before) || since.After(time.Now()) {
		t.Errorf("to_revoke[0] = %v", old)
	}
	if _, stdout, _ := run(t, "status"); !strings.Contains(stdout, "Revoke   ••••7f3c") {
		t.Errorf("status's text does not name the key either:\n%s", stdout)
	}
}

func fmtAny(v any) string {
	s, _ := v.(string)
	return s
}

// lockedBuffer is stderr shared with a test server's handler.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// status says it is checking before it waits on Lattice, as connect does:
// a slow key no longer leaves the terminal silent for seconds (issue 21,
// item 10). What stderr holds when the request reaches Lattice proves the
// order without timing anything.
func TestStatusSaysItIsCheckingBeforeLatticeAnswers(t *testing.T) {
	var stderr lockedBuffer
	var seen atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/me" && seen.Load() == nil {
			seen.Store(stderr.String())
		}
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("LATTICE_API_URL", srv.URL)
	t.Setenv("LATTICE_LINK_CONFIG_DIR", filepath.Join(t.TempDir(), "cfg"))
	code := execute(newFactory("test", map[string]string{"LATTICE_API_KEY": typedKey}), []string{"status"},
		strings.NewReader(""), io.Discard, &stderr)
	before, _ := seen.Load().(string)
	if code != exitRejected || !strings.Contains(before, "Checking the key with Lattice (US)…") {
		t.Errorf("exit %d; stderr when Lattice was asked: %q\nat the end: %q", code, before, stderr.String())
	}
}
