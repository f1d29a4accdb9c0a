package wizard

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// fillIn types answers into the Request access fields; the command it
// returns remembers them.
func fillIn(m *Model, answers ...string) tea.Cmd {
	keys(m, "tab")
	for _, a := range answers {
		m.Update(pasteMsg(a))
		keys(m, "tab")
	}
	_, cmd := m.Update(press("esc"))
	return cmd
}

func TestTypingUpdatesThePreview(t *testing.T) {
	m := sized(Options{Start: steps.RequestAccess}, 100, 40, true)
	if !strings.Contains(shown(m), "[your company]") {
		t.Fatalf("no placeholder:\n%s", shown(m))
	}
	keys(m, "tab")
	for _, r := range "Initech" {
		m.Update(press(string(r)))
	}
	if s := shown(m); !strings.Contains(s, "API access request: Initech") || !strings.Contains(s, "admin at Initech.") {
		t.Errorf("preview not updated:\n%s", s)
	}
	// While typing, letters are text: n did not move on.
	if m.step != steps.RequestAccess {
		t.Errorf("step %d", m.step)
	}
}

func TestToolChoicesCycle(t *testing.T) {
	m := sized(Options{Start: steps.RequestAccess}, 100, 40, true)
	keys(m, "tab", "tab", "tab", "tab", "down", "down")
	if got := requestOf(m).answers().Tool; got != steps.ToolChoices[1] {
		t.Errorf("tool %q", got)
	}
}

func TestCopyEmitsOSC52WithTheEmail(t *testing.T) {
	var native string
	m := New(Options{Start: steps.RequestAccess, CopyNative: func(s string) error { native = s; return nil }})
	tm := program(t, m, 100, 40)
	tm.Send(press("tab"))
	tm.Send(pasteMsg("Initech"))
	tm.Send(press("esc"))
	tm.Send(press("c"))
	var seen strings.Builder
	waitForScreen(t, tm, "Copied the email", &seen)
	tm.Send(press("q"))
	final := finalModel(t, tm)

	match := regexp.MustCompile(`\x1b\]52;c;([A-Za-z0-9+/=]+)\x07`).FindStringSubmatch(seen.String())
	if match == nil {
		t.Fatal("no OSC 52 sequence in the output")
	}
	payload, err := base64.StdEncoding.DecodeString(match[1])
	if err != nil {
		t.Fatal(err)
	}
	want := steps.ComposeEmail(steps.Answers{Company: "Initech"}).Text()
	if string(payload) != want || native != want {
		t.Errorf("clipboard got %q / native %q, want %q", payload, native, want)
	}
	if !final.app.remembered.AccessRequestedAt.IsZero() {
		t.Error("copying marked access as requested: copying is not sending")
	}
}

// Without a system clipboard the email went through the terminal (OSC
// 52): the note says so in an admin's words ("OSC 52" was a developer's),
// with the way out (s) and tmux's setting.
func TestCopyWithoutNativeClipboardExplainsOSC52(t *testing.T) {
	m := sized(Options{Start: steps.RequestAccess}, 100, 40, true)
	m.Update(copiedMsg{to: requestOf(m), nativeErr: os.ErrNotExist})
	s := shown(m)
	for _, want := range []string{"through your terminal", "Press s to save it instead", "set -g set-clipboard on"} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q in\n%s", want, s)
		}
	}
	if strings.Contains(s, "OSC 52") {
		t.Errorf("a developer's word on screen:\n%s", s)
	}
}

func TestSaveWritesTheFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	m := sized(Options{Start: steps.RequestAccess}, 100, 40, true)
	fillIn(m, "Initech", "Peter Gibbons")
	_, cmd := m.Update(press("s"))
	run(m, cmd)
	b, err := os.ReadFile(filepath.Join(dir, SaveFileName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "To: request-api-access@lattice.com\nSubject: API access request: Initech\n") {
		t.Errorf("file:\n%s", b)
	}
	if s := shown(m); !strings.Contains(s, "Saved "+SaveFileName+" in "+dir) {
		t.Errorf("no confirmation:\n%s", s)
	}
}

func TestSaveFailureKeepsTheEmail(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if err := os.Remove(dir); err != nil { // the current folder is gone: nothing can be written
		t.Fatal(err)
	}
	m := sized(Options{Start: steps.RequestAccess}, 100, 40, true)
	_, cmd := m.Update(press("s"))
	run(m, cmd)
	s := shown(m)
	if !strings.Contains(s, "Could not save the email") || !strings.Contains(s, "To:      request-api-access@lattice.com") {
		t.Errorf("after a failed save:\n%s", s)
	}
	if !m.app.remembered.AccessRequestedAt.IsZero() {
		t.Error("a failed save marked access as requested")
	}
}

func TestAnswersSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	linkAt := func() *link.Link {
		client, _ := lattice.New(lattice.Options{Version: "test"})
		folder := config.NewFolder(dir)
		return link.New(link.Config{Profile: "default", Client: client, Folder: folder,
			OpenStore: func() (config.Store, error) { return config.NewFile(folder), nil }})
	}
	m := sized(Options{Start: steps.RequestAccess, Link: linkAt()}, 100, 40, true)
	run(m, fillIn(m, "Initech", "Peter Gibbons", "Export TPS reports", "", "ASAP"))
	t.Chdir(t.TempDir())
	_, cmd := m.Update(press("s"))
	run(m, cmd)
	if !strings.Contains(shown(m), "Did you send the email") {
		t.Fatalf("saving did not ask whether the email was sent:\n%s", shown(m))
	}
	_, cmd = m.Update(press("y"))
	run(m, cmd)

	again := sized(Options{Link: linkAt()}, 100, 40, true)
	if got := requestOf(again).answers(); got.Company != "Initech" || got.UseCase != "Export TPS reports" || got.Timeline != "ASAP" {
		t.Errorf("answers after restart: %+v", got)
	}
	if s := shown(again); !strings.Contains(s, "Has Lattice approved your API access request? You asked just now.") {
		t.Errorf("re-run question:\n%s", s)
	}
	keys(again, "n")
	if again.step != steps.RequestAccess || !strings.Contains(shown(again), "You sent this request just now") {
		t.Errorf("not yet:\n%s", shown(again))
	}
	b, _ := os.ReadFile(filepath.Join(dir, "state.json"))
	if !strings.Contains(string(b), `"access_requested_at"`) {
		t.Errorf("state.json:\n%s", b)
	}
}

func TestCopyAndSaveAreNotSending(t *testing.T) {
	t.Chdir(t.TempDir())
	m := sized(Options{Start: steps.RequestAccess}, 100, 40, true)
	_, cmd := m.Update(press("s"))
	run(m, cmd)
	if !strings.Contains(shown(m), "Did you send the email") {
		t.Fatalf("no question:\n%s", shown(m))
	}
	keys(m, "n")
	if !m.app.remembered.AccessRequestedAt.IsZero() {
		t.Error("saving the email marked it as sent")
	}
	if p, _, _ := m.app.link.Remembered(); !p.AccessRequestedAt.IsZero() {
		t.Error("saving the email remembered it as sent")
	}
}

// The help line of Request access says how to go on (walk F1): at 80×24 it
// had edit, copy, save, help and quit, and no enter/→/n.
func TestRequestHelpLineSaysHowToGoOn(t *testing.T) {
	m := sized(Options{Start: steps.RequestAccess}, 80, 24, true)
	m.Update(fillIn(m, "Initech", "Peter"))
	m.sync()
	if line := ansi.Strip(m.shortHelpView()); !strings.Contains(line, "enter/→/n next") {
		t.Errorf("the help line does not say how to go on: %q", line)
	}
}

// At 40 columns too the help line says how to go on, with ? help: it kept
// only "? help • q quit".
func TestRequestHelpLineSaysHowToGoOnAtFortyColumns(t *testing.T) {
	m := sized(Options{Start: steps.RequestAccess}, 40, 10, true)
	if l := lastLine(m); !strings.Contains(l, "enter/→/n next") || !strings.Contains(l, "? help") {
		t.Errorf("the help line at 40 columns: %q", l)
	}
}

// The address to write to is a mailto: link (OSC 8) again, at every width,
// and still on one line; the help article's link goes to the whole address
// (glamour ended it at the first hyphen kept from breaking the line).
func TestAddressesAreLinksToTheWholeAddress(t *testing.T) {
	for _, c := range []struct {
		step    steps.ID
		address string
		target  string
	}{{steps.RequestAccess, steps.AccessEmail, "mailto:" + steps.AccessEmail},
		{steps.Prerequisites, steps.HelpArticle, steps.HelpArticle}} {
		for _, w := range []int{40, 50, 80, 120} {
			m := sized(Options{Start: c.step}, w, 40, true)
			body := m.current.Body(w)
			link := ansi.SetHyperlink(c.target) + shownAddress(c.address, w) + ansi.ResetHyperlink()
			if !strings.Contains(body, link) {
				t.Errorf("%d columns: no link %q in\n%q", w, link, body)
			}
			if strings.Contains(body, "\x1b]8;id=") {
				t.Errorf("%d columns: glamour's own link is still there:\n%q", w, body)
			}
		}
	}
}

// In a short window, once every answer is in, the note says how to send
// the email instead of "e: fill in the answers".
func TestAShortWindowSaysHowToSendOnceAnswered(t *testing.T) {
	m := sized(Options{Start: steps.RequestAccess}, 40, 10, true)
	if s := shown(m); !strings.Contains(s, "e: fill in the answers") {
		t.Fatalf("before the answers:\n%s", s)
	}
	m.Update(fillIn(m, "Initech", "Peter", "sync goals", "none", "this month"))
	if s := shown(m); strings.Contains(s, "fill in the answers") || !strings.Contains(s, "c copies the email") {
		t.Errorf("once answered:\n%s", s)
	}
}

// Typing after ↑/↓ picked a tool replaces the choice: it ran on after it,
// "WorkatoWorkday Extend" (walk 2 F38). Other keys keep it, to be edited.
func TestTypingOverAPickedToolReplacesIt(t *testing.T) {
	m := sized(Options{Start: steps.RequestAccess}, 100, 40, true)
	keys(m, "tab", "tab", "tab", "tab", "down")
	m.Update(pasteMsg("Workday Extend"))
	if got := requestOf(m).answers().Tool; got != "Workday Extend" {
		t.Errorf("pasted over a choice: %q", got)
	}
	keys(m, "down", "W", "x")
	if got := requestOf(m).answers().Tool; got != "Wx" {
		t.Errorf("typed over a choice: %q", got)
	}
	keys(m, "down", "left", "X")
	if got, want := requestOf(m).answers().Tool, steps.ToolChoices[0]; got != want[:len(want)-1]+"X"+want[len(want)-1:] {
		t.Errorf("edited a choice: %q", got)
	}
}

// `?` on "Did you send the email?" opens the help over the question, which
// stays asked (walk 3 G1: it was thrown away, and y did nothing after).
func TestTheSentQuestionStaysOverTheHelp(t *testing.T) {
	t.Chdir(t.TempDir())
	m := sized(Options{Start: steps.RequestAccess}, 80, 24, true)
	_, cmd := m.Update(press("s"))
	run(m, cmd)
	keys(m, "?")
	if !m.showHelp {
		t.Fatalf("? did not open the help:\n%s", shown(m))
	}
	keys(m, "?")
	if s := shown(m); m.showHelp || !strings.Contains(s, "Did you send the email") {
		t.Fatalf("after the help the question is gone:\n%s", s)
	}
	_, cmd = m.Update(press("y"))
	run(m, cmd)
	if m.app.remembered.AccessRequestedAt.IsZero() && !strings.Contains(shown(m), "Noted") {
		t.Errorf("y after the help was not taken:\n%s", shown(m))
	}
}

// The saved email's file name is whole at 40 and 50 columns (walk 3 G4: the
// note cut it, and it is the file the user must now find).
func TestTheSavedEmailsNameIsWhole(t *testing.T) {
	for _, size := range [][2]int{{40, 10}, {50, 16}} {
		t.Chdir(t.TempDir())
		m := sized(Options{Start: steps.RequestAccess}, size[0], size[1], true)
		_, cmd := m.Update(press("s"))
		run(m, cmd)
		if !strings.Contains(shown(m), "Saved "+SaveFileName) {
			t.Errorf("%dx%d: the file's name is cut:\n%s", size[0], size[1], shown(m))
		}
		requireFits(t, m, size[0], size[1])
	}
}
