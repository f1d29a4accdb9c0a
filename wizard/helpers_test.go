package wizard

import (
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// standIn starts the stand-in for Lattice and a client pinned to it.
func standIn(t testing.TB) (*latticedemo.Server, *lattice.Client) {
	t.Helper()
	srv := latticedemo.New()
	t.Cleanup(srv.Close)
	c, err := lattice.New(lattice.Options{APIURL: srv.URL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c.Backoff = 20 * time.Millisecond
	return srv, c
}

// press makes the key message a terminal sends for a key name.
func press(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}

// sized builds a model as a running program would see it: sized, and with
// the terminal's background known.
func sized(opts Options, w, h int, dark bool) *Model {
	m := New(opts)
	m.app.now = byHand()
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(background(dark))
	return m
}

// byHand is a clock on which every reading is a second after the one
// before: each key comes well after a paste, as a person's does. The
// tests of keys that come with a paste stop it.
func byHand() func() time.Time {
	var mu sync.Mutex
	t := time.Unix(1_800_000_000, 0)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func background(dark bool) tea.BackgroundColorMsg {
	if dark {
		return tea.BackgroundColorMsg{Color: color.Black}
	}
	return tea.BackgroundColorMsg{Color: color.White}
}

// keys sends key names to the model synchronously.
func keys(m *Model, names ...string) {
	for _, n := range names {
		m.Update(press(n))
	}
}

// screen is what the user reads: the frame without styles.
func shown(m *Model) string { return ansi.Strip(m.View().Content) }

// requireFits fails when the frame is larger than the window.
func requireFits(t *testing.T, m *Model, w, h int) {
	t.Helper()
	lines := strings.Split(m.View().Content, "\n")
	if len(lines) > h {
		t.Errorf("%d×%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("%d×%d: line %d is %d wide: %q", w, h, i, ansi.StringWidth(l), ansi.Strip(l))
		}
	}
}

// program runs the model in teatest with a pinned size and colour profile.
func program(t *testing.T, m *Model, w, h int) *teatest.TestModel {
	t.Helper()
	m.app.now = byHand()
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.TrueColor)))
}

// waitForScreen waits until the program has drawn text (styles stripped).
func waitForScreen(t *testing.T, tm *teatest.TestModel, text string, seen *strings.Builder) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen.Write(b)
		return strings.Contains(ansi.Strip(seen.String()), text)
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func finalModel(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
}

func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func pasteMsg(s string) tea.PasteMsg { return tea.PasteMsg{Content: s} }

// typed pastes key into the Connect input and presses enter, returning the
// command that starts the check.
func typed(m *Model, key string) tea.Cmd {
	m.Update(pasteMsg(key))
	_, cmd := m.Update(press("enter"))
	return cmd
}

// run executes cmd and feeds its messages back into the model until the
// work it started is done, as the program would (ticks are skipped).
func run(m *Model, cmd tea.Cmd) { runWatching(m, cmd, nil) }

// runWatching is run, with after called on each message once the model
// has taken it: where a test acts as the user would at that moment.
func runWatching(m *Model, cmd tea.Cmd, after func(tea.Msg)) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case spinner.TickMsg, nil:
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
			if after != nil {
				after(msg)
			}
		}
	}
}

// checkSync runs a whole check on the Connect step without a program.
func checkSync(t *testing.T, key string, client *lattice.Client) (*Model, *config.Memory) {
	t.Helper()
	if client == nil {
		_, client = standIn(t)
	}
	store := config.NewMemory()
	m := sized(Options{Start: steps.Connect, Link: testLink(client, store)}, 100, 30, true)
	run(m, typed(m, key))
	return m, store
}

// testLink is a link for profile "default" against client (nil: the
// public hosts, never asked), keeping keys in store (nil: a new memory
// store) and state in memory.
func testLink(client *lattice.Client, store config.Store) *link.Link {
	if client == nil {
		client, _ = lattice.New(lattice.Options{Version: "test"})
	}
	if store == nil {
		store = config.NewMemory()
	}
	return link.New(link.Config{Profile: "default", Client: client, Folder: config.NewMemoryFolder(),
		OpenStore: func() (config.Store, error) { return store, nil }})
}

func connectOf(m *Model) *connectScreen { return m.guide[steps.Connect].(*connectScreen) }
func requestOf(m *Model) *requestScreen { return m.guide[steps.RequestAccess].(*requestScreen) }
