package wizard

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

func TestConnectSuccessStoresTheKey(t *testing.T) {
	_, client := standIn(t)
	store := config.NewMemory()
	tm := program(t, New(Options{Start: steps.Connect, Link: testLink(client, store)}), 80, 24)
	tm.Type(latticedemo.KeyAdmin)
	tm.Send(press("enter"))
	var seen strings.Builder
	waitForScreen(t, tm, "Connected to Lattice", &seen)
	waitForScreen(t, tm, "Stored in", &seen)
	tm.Send(press("enter")) // not a way out: it only says how to leave
	waitForScreen(t, tm, "Press q to finish", &seen)
	tm.Send(press("q"))
	m := finalModel(t, tm)

	if got, err := store.Get("default"); err != nil || got != latticedemo.KeyAdmin {
		t.Errorf("stored %q, %v", got, err)
	}
	if !m.Result.Connected || m.Result.Cancelled {
		t.Errorf("result %+v", m.Result)
	}
	final := shown(m)
	for _, want := range []string{"Grace Hopper <grace@example.com>", "Admin", "••••7f3c", "lattice-link token"} {
		if !strings.Contains(final, want) {
			t.Errorf("Done screen lacks %q:\n%s", want, final)
		}
	}
	requireNoKey(t, seen.String()+m.View().Content, latticedemo.KeyAdmin)
}

func TestConnectFailures(t *testing.T) {
	cases := map[string]string{
		latticedemo.KeyRevoked:      "Lattice rejected this key (401)",
		latticedemo.KeyForbidden:    "(403)",
		"not-a-key-anyone-knows-12": "Lattice rejected this key",
	}
	for key, want := range cases {
		m, store := checkSync(t, key, nil)
		if s := shown(m); !strings.Contains(s, want) {
			t.Errorf("%s: no %q in\n%s", key, want, s)
		}
		if _, err := store.Get("default"); err != config.ErrNoKey {
			t.Errorf("%s: a rejected key was stored", key)
		}
		if m.step != steps.Connect || !connectOf(m).input.Focused() || connectOf(m).input.Value() != key {
			t.Errorf("%s: the key is not kept for editing", key)
		}
		requireNoKey(t, m.View().Content, key)
	}
}

func TestConnectUnreachable(t *testing.T) {
	srv := latticedemo.New()
	url := srv.URL
	srv.Close()
	client, _ := lattice.New(lattice.Options{APIURL: url})
	client.Backoff = time.Millisecond
	m, _ := checkSync(t, latticedemo.KeyAdmin, client)
	s := shown(m)
	// The host was given (--api-url): the advice names it, as the command line's does.
	if !strings.Contains(s, "Could not reach Lattice") || !strings.Contains(s, "is running") {
		t.Errorf("unreachable:\n%s", s)
	}
}

func TestConnectNonAdminWarns(t *testing.T) {
	m, _ := checkSync(t, latticedemo.KeyMember, nil)
	if s := shown(m); !strings.Contains(s, "Not an admin") || !strings.Contains(s, "Ada") {
		t.Errorf("no warning:\n%s", s)
	}
}

func TestConnectSCIM(t *testing.T) {
	for key, want := range map[string]string{
		latticedemo.KeyAdmin:   "enabled, and this key works with it",
		latticedemo.KeySCIMOff: "not available (403)",
	} {
		_, client := standIn(t)
		m := sized(Options{Start: steps.SCIM, Link: testLink(client, config.NewMemory())}, 100, 30, true)
		_, save := m.Update(press("space"))
		run(m, save) // Connect reads the choice as link wrote it
		keys(m, "enter")
		if m.step != steps.Connect || !m.app.remembered.CheckSCIM {
			t.Fatalf("step %d, scim %v", m.step, m.app.remembered.CheckSCIM)
		}
		run(m, typed(m, key))
		if s := shown(m); !strings.Contains(s, want) {
			t.Errorf("%s: no %q in\n%s", key, want, s)
		}
	}
}

func TestConnectWaitsAsLatticeAsks(t *testing.T) {
	_, client := standIn(t)
	tm := program(t, New(Options{Start: steps.Connect, Link: testLink(client, config.NewMemory())}), 80, 24)
	tm.Type(latticedemo.KeyRateLimited)
	tm.Send(press("enter"))
	var seen strings.Builder
	waitForScreen(t, tm, "Lattice asked to wait: waiting 1 s", &seen)
	waitForScreen(t, tm, "Connected to Lattice", &seen)
	tm.Send(press("q"))
	finalModel(t, tm)
}

func TestSlowCheckShowsSpinnerAndCancels(t *testing.T) {
	srv, client := standIn(t)
	srv.SetSlowDelay(time.Minute) // longer than the test: esc ends it
	store := config.NewMemory()
	tm := program(t, New(Options{Start: steps.Connect, Link: testLink(client, store)}), 80, 24)
	tm.Type(latticedemo.KeySlow)
	tm.Send(press("enter"))
	var seen strings.Builder
	waitForScreen(t, tm, "Asking Lattice (US) whose key this is…", &seen)
	// The check runs in its own goroutine: the spinner keeps turning while
	// it waits. Wait for four of its frames to be drawn; a spinner that
	// stops fails at the wait's limit, with no clock in the test itself.
	start := seen.Len()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen.Write(b)
		frames := 0
		for _, f := range []string{"⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"} {
			if strings.Contains(seen.String()[start:], f) {
				frames++
			}
		}
		return frames >= 4
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	waitForScreen(t, tm, "esc cancels", &seen)
	tm.Send(press("esc"))
	waitForScreen(t, tm, "Check cancelled", &seen)
	tm.Send(press("ctrl+c"))
	m := finalModel(t, tm)
	if _, err := store.Get("default"); err != config.ErrNoKey {
		t.Error("a cancelled check stored the key")
	}
	if !m.Result.Cancelled {
		t.Error("ctrl+c did not cancel")
	}
	requireNoKey(t, seen.String(), latticedemo.KeySlow)
}

func TestMultiLinePasteKeepsFirstLine(t *testing.T) {
	m := sized(Options{Start: steps.Connect}, 80, 24, true)
	m.Update(pasteMsg("\n  " + latticedemo.KeyAdmin + "  \nsomething else\r\n"))
	if connectOf(m).input.Value() != latticedemo.KeyAdmin {
		t.Errorf("value %q", connectOf(m).input.Value())
	}
	if s := shown(m); !strings.Contains(s, "the paste had 2 lines: kept the first") || !strings.Contains(s, "ending …7f3c") {
		t.Errorf("paste note:\n%s", s)
	}
}

func TestBadKeyIsExplainedBeforeSending(t *testing.T) {
	srv, client := standIn(t)
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil)}, 80, 24, true)
	m.Update(pasteMsg("two words"))
	_, cmd := m.Update(press("enter"))
	if cmd != nil && connectOf(m).running {
		t.Fatal("a key with a space was sent")
	}
	if s := shown(m); !strings.Contains(s, "spaces or line breaks inside it") {
		t.Errorf("no message:\n%s", s)
	}
	if len(srv.Requests()) != 0 {
		t.Error("Lattice was asked")
	}
}

// requireNoKey fails if the key, or any long piece of it, was drawn.
func requireNoKey(t *testing.T, output, key string) {
	t.Helper()
	plain := ansi.Strip(output)
	for _, s := range []string{output, plain} {
		if strings.Contains(s, key) || strings.Contains(s, key[:len(key)-4]) {
			t.Fatalf("the key reached the screen")
		}
	}
}

func TestHostileAnswersLeaveTheScreenClean(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=\"\xff\"")
		if r.URL.Path == "/v1/me" {
			_, _ = w.Write([]byte(`{"id":"x","name":"Mallory\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u001b[31m","email":"m@x.io\u009b1m",` +
				`"title":"` + "\xff\xfe" + `"}`))
			return
		}
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("\x1b]52;c;cHduZWQ=\x07"))
	}))
	defer srv.Close()
	client, _ := lattice.New(lattice.Options{APIURL: srv.URL})
	m := sized(Options{Start: steps.SCIM, Link: testLink(client, config.NewMemory())}, 100, 30, true)
	_, save := m.Update(press("space"))
	run(m, save) // Connect reads the choice as link wrote it
	keys(m, "enter")
	run(m, typed(m, "some-key-0123456789"))
	raw := m.View().Content
	for _, bad := range []string{"]52;", "[2J", "\x07", "\x9b", "\xff"} {
		if strings.Contains(raw, bad) {
			t.Errorf("the screen carries %q from Lattice's answer", bad)
		}
	}
	if s := shown(m); !strings.Contains(s, "Mallory") || !strings.Contains(s, "not available (418)") {
		t.Errorf("Done screen:\n%s", s)
	}
	// Still usable: q quits as it should.
	if _, cmd := m.Update(press("q")); cmd == nil || !m.Result.Connected {
		t.Error("q did not quit from the Done screen")
	}
}

func TestTheMaskAndTheCountDescribeTheKeySent(t *testing.T) {
	m := sized(Options{Start: steps.Connect}, 80, 24, true)
	keys(m, "enter") // nothing typed: an error
	if !strings.Contains(shown(m), "no key") && !strings.Contains(shown(m), "empty") {
		t.Fatalf("no error for an empty key:\n%s", shown(m))
	}
	m.Update(pasteMsg(`  "Bearer ` + latticedemo.KeyAdmin + `"  `))
	s := shown(m)
	if strings.Contains(s, "no key") || strings.Contains(s, "empty") {
		t.Errorf("the error about the empty input stayed:\n%s", s)
	}
	// The mask has one dot per character of the key that will be sent.
	if connectOf(m).input.Value() != latticedemo.KeyAdmin || !strings.Contains(s, "Key  "+strings.Repeat("•", 25)+" ") ||
		!strings.Contains(s, "received 25 characters") {
		t.Errorf("input %d chars, screen:\n%s", len(connectOf(m).input.Value()), s)
	}
	one := sized(Options{Start: steps.Connect}, 80, 24, true)
	keys(one, "x")
	if !strings.Contains(shown(one), "1 character so far") {
		t.Errorf("one character:\n%s", shown(one))
	}
}

// Walk 2 F7: esc while the check waited for SCIM said "Check cancelled"
// of a key Lattice had accepted (and that was stored all the same). Now
// esc skips SCIM: the key is connected, its SCIM not checked, and Done
// says how to check it later.
func TestEscWhileSCIMIsWaitedForSkipsIt(t *testing.T) {
	_, client := standIn(t)
	store := config.NewMemory()
	m := sized(Options{Start: steps.Connect, Link: testLink(client, store)}, 80, 24, true)
	m.app.remembered.CheckSCIM = true
	// esc once the check says it waits for SCIM.
	runWatching(m, typed(m, latticedemo.KeySCIMHang), func(msg tea.Msg) {
		if s, ok := msg.(stageMsg); ok && s.stage == link.StageSCIM {
			if l := lastLine(m); !strings.Contains(l, "esc skip SCIM") {
				t.Errorf("the help line while SCIM is waited for: %q", l)
			}
			keys(m, "esc")
		}
	})
	if got, err := store.Get("default"); err != nil || got != latticedemo.KeySCIMHang {
		t.Errorf("stored %q, %v", got, err)
	}
	s := strings.Join(strings.Fields(shown(m)), " ")
	if !strings.Contains(s, "Connected to Lattice") || !strings.Contains(s, "you stopped waiting for it") ||
		!strings.Contains(s, "lattice-link status --scim") {
		t.Errorf("Done:\n%s", shown(m))
	}
}
