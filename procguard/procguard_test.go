package procguard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
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

	tea "charm.land/bubbletea/v2"
)

// Prepare and TakeSecrets change process-wide state (the environment, and on
// Linux the dumpable flag), so their tests run them in a fresh copy of the
// test binary: helperEnv names the helper, and the parent checks its output.
const helperEnv = "PROCGUARD_TEST_HELPER"

// The test binary, copied under this name, is the fake clipboard tool: it
// writes the environment it was given to the file named by its argument.
const envDumpName = "procguard-envdump"

// Values that must not survive anywhere they are looked for.
const (
	fakeKey   = "lattice-test-key-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	fakeLink  = "https://connect.nango.dev/?session_token=nango-test-token-5e6f7a8b"
	fakeExtra = "extra-test-secret-31415926"
)

func TestMain(m *testing.M) {
	if strings.HasPrefix(filepath.Base(os.Args[0]), envDumpName) {
		if err := os.WriteFile(os.Args[1], []byte(strings.Join(os.Environ(), "\n")), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	if name := os.Getenv(helperEnv); name != "" {
		h, ok := helpers[name]
		if !ok {
			fmt.Fprintln(os.Stderr, "no helper", name)
			os.Exit(2)
		}
		if err := h(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helpers run in the child process; each prints a JSON report on stdout.
var helpers = map[string]func() error{
	"prepare": func() error {
		notes, err := Prepare()
		_, traceSet := os.LookupEnv("TEA_TRACE")
		_, debugSet := os.LookupEnv("TEA_DEBUG")
		// This is where main() creates its program; the trace file must not
		// appear.
		_ = tea.NewProgram(nil)
		return report(prepareReport{Notes: notes, Err: errString(err), IsHTTP2: errors.Is(err, ErrHTTP2Debug),
			TraceSet: traceSet, DebugSet: debugSet})
	},
	"tea-unguarded": func() error {
		_ = tea.NewProgram(nil)
		return nil
	},
	"http2-unset-late": http2UnsetLate,
	"take": func() error {
		got := TakeSecrets("PROCGUARD_EXTRA")
		r := takeReport{Got: got, Left: os.Environ()}
		// Started the way atotto/clipboard and cli/browser start theirs: a
		// name looked up on PATH, and no Env, so the process's own.
		cmd := exec.Command(envDumpName, os.Getenv("PROCGUARD_DUMP"))
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("envdump: %v: %s", err, out)
		}
		if runtime.GOOS == "linux" {
			b, err := os.ReadFile("/proc/self/environ")
			if err != nil {
				return err
			}
			r.ProcEnviron = string(b)
		}
		return report(r)
	},
}

type prepareReport struct {
	Notes              []string
	Err                string
	IsHTTP2            bool
	TraceSet, DebugSet bool
}

type takeReport struct {
	Got         map[string]string
	Left        []string
	ProcEnviron string
}

func report(v any) error { return json.NewEncoder(os.Stdout).Encode(v) }

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// runHelper runs the named helper in a copy of the test binary with env added
// to a clean copy of this environment, and decodes its report into v.
func runHelper(t *testing.T, name string, env []string, v any) {
	t.Helper()
	cmd := helperCmd(name, env)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper %s: %v\n%s", name, err, stderr.String())
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			t.Fatalf("helper %s: %v in %q", name, err, out)
		}
	}
}

func helperCmd(name string, env []string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	// Under -race each exit otherwise waits a second for stray reports.
	cmd.Env = append(testEnv(), "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0", helperEnv+"="+name)
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// testEnv is this process's environment without anything the tests set
// themselves, so a developer's own LATTICE_API_KEY or GODEBUG cannot skew
// them. Names are compared ignoring case, as Windows does; elsewhere that
// only drops a little more.
func testEnv() []string {
	drop := []string{APIKeyEnv, NangoLinkEnv, "PROCGUARD_EXTRA", "TEA_TRACE", "TEA_DEBUG", "GODEBUG", "GORACE", helperEnv}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.ContainsFunc(drop, func(n string) bool { return strings.EqualFold(n, name) }) {
			env = append(env, kv)
		}
	}
	return env
}

func TestPrepareDropsTeaDebug(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "tea.trace")

	// Without Prepare, Bubble Tea opens the trace file in NewProgram: the
	// test below would prove nothing if this stopped being true.
	runHelper(t, "tea-unguarded", []string{"TEA_TRACE=" + trace}, nil)
	if _, err := os.Stat(trace); err != nil {
		t.Fatalf("unguarded NewProgram did not create the trace file: %v", err)
	}
	os.Remove(trace)

	var r prepareReport
	runHelper(t, "prepare", []string{"TEA_TRACE=" + trace, "TEA_DEBUG=true"}, &r)
	if r.Err != "" {
		t.Fatalf("Prepare: %s", r.Err)
	}
	if r.TraceSet || r.DebugSet {
		t.Errorf("still set after Prepare: TEA_TRACE %v, TEA_DEBUG %v", r.TraceSet, r.DebugSet)
	}
	if _, err := os.Stat(trace); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("NewProgram after Prepare created the trace file (stat: %v)", err)
	}
	joined := strings.Join(r.Notes, "\n")
	for _, want := range []string{"TEA_TRACE is ignored", trace, "TEA_DEBUG is ignored", "API key"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes %q lack %q", r.Notes, want)
		}
	}
}

func TestPrepareQuietWithoutDebugSwitches(t *testing.T) {
	var r prepareReport
	// TEA_DEBUG=0 has no effect in Bubble Tea, so it earns no note either.
	runHelper(t, "prepare", []string{"TEA_DEBUG=0", "GODEBUG=http2debug=0,gctrace=0"}, &r)
	if r.Err != "" || len(r.Notes) != 0 || r.DebugSet {
		t.Errorf("got err %q, notes %q, TEA_DEBUG still set %v; want nothing", r.Err, r.Notes, r.DebugSet)
	}
}

func TestPrepareRefusesHTTP2Debug(t *testing.T) {
	for _, godebug := range []string{"http2debug=1", "http2debug=2", "gctrace=1,http2debug=1", "http2debug=0,http2debug=2"} {
		var r prepareReport
		runHelper(t, "prepare", []string{"GODEBUG=" + godebug}, &r)
		if !r.IsHTTP2 {
			t.Errorf("GODEBUG=%s: err %q does not wrap ErrHTTP2Debug", godebug, r.Err)
		}
		if !strings.Contains(r.Err, "unset GODEBUG's http2debug") || !strings.Contains(r.Err, "API key") {
			t.Errorf("GODEBUG=%s: err %q does not say what to do and why", godebug, r.Err)
		}
	}
}

func TestHTTP2DebugParsing(t *testing.T) {
	for godebug, want := range map[string]string{
		"":                            "",
		"http2debug=0":                "",
		"http2debug=":                 "",
		"http2client=0,http2server=0": "",
		"http2debug=1":                "http2debug=1",
		"x509sha1=1,http2debug=2":     "http2debug=2",
		"http2debug=0,http2debug=1":   "http2debug=1",
		"http2debug=3":                "http2debug=3",
	} {
		got, on := http2Debug(godebug)
		if got != want || on != (want != "") {
			t.Errorf("http2Debug(%q) = %q, %v; want %q", godebug, got, on, want)
		}
	}
}

// http2UnsetLate shows why Prepare refuses instead of unsetting: with
// GODEBUG=http2debug=1 in the starting environment, unsetting it at the top
// of main() (here: of the helper) still leaves net/http logging the
// Authorization header.
func http2UnsetLate() error {
	os.Unsetenv("GODEBUG")
	logged := &lockedBuffer{}
	log.SetOutput(logged)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Authorization", "Bearer "+fakeKey)
	resp, err := srv.Client().Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return report(map[string]string{"proto": resp.Proto, "log": logged.String()})
}

// lockedBuffer is the log's output: net/http's connection goroutines may
// still be logging while the helper reads what they wrote.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestHTTP2DebugIsReadBeforeMain(t *testing.T) {
	var r map[string]string
	runHelper(t, "http2-unset-late", []string{"GODEBUG=http2debug=1"}, &r)
	if r["proto"] != "HTTP/2.0" {
		t.Fatalf("request went over %s, not HTTP/2", r["proto"])
	}
	if !strings.Contains(r["log"], fakeKey) {
		t.Errorf("net/http no longer logs the key after GODEBUG is unset in main(); " +
			"Prepare could unset http2debug instead of refusing to start")
	}
}

func TestTakeSecretsKeepsThemFromChildren(t *testing.T) {
	bin := t.TempDir()
	dump := filepath.Join(t.TempDir(), "env.txt")
	exe := envDumpName
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	copyFile(t, os.Args[0], filepath.Join(bin, exe))

	var r takeReport
	runHelper(t, "take", []string{
		APIKeyEnv + "=" + fakeKey,
		NangoLinkEnv + "=" + fakeLink,
		"PROCGUARD_EXTRA=" + fakeExtra,
		"PROCGUARD_DUMP=" + dump,
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
	}, &r)

	want := map[string]string{APIKeyEnv: fakeKey, NangoLinkEnv: fakeLink, "PROCGUARD_EXTRA": fakeExtra}
	for k, v := range want {
		if r.Got[k] != v {
			t.Errorf("TakeSecrets()[%s] = %q, want %q", k, r.Got[k], v)
		}
	}
	childEnv, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(childEnv), "PROCGUARD_DUMP=") {
		t.Fatalf("the fake tool's environment looks wrong:\n%s", childEnv)
	}
	for where, text := range map[string]string{
		"the child's environment":        string(childEnv),
		"os.Environ() after TakeSecrets": strings.Join(r.Left, "\n"),
		"/proc/self/environ":             r.ProcEnviron,
	} {
		for _, secret := range []string{fakeKey, fakeLink, fakeExtra} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds %.20s…", where, secret)
			}
		}
	}
}

func TestTakeSecretsReportsEmptyButSet(t *testing.T) {
	t.Setenv(APIKeyEnv, "")
	t.Setenv(NangoLinkEnv, "") // so that it is restored after the test
	os.Unsetenv(NangoLinkEnv)
	got := TakeSecrets()
	if v, ok := got[APIKeyEnv]; !ok || v != "" {
		t.Errorf("TakeSecrets()[%s] = %q, %v; want present and empty", APIKeyEnv, v, ok)
	}
	if _, ok := got[NangoLinkEnv]; ok {
		t.Errorf("TakeSecrets() has %s, which was not set", NangoLinkEnv)
	}
	if _, ok := os.LookupEnv(APIKeyEnv); ok {
		t.Errorf("%s still set", APIKeyEnv)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}
