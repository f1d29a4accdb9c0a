package wizard

import (
	"encoding/base64"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/steps"
)

// everyScreenState builds each screen in each of its states, as the user
// can reach them, named for the failure message.
func everyScreenState(t *testing.T) map[string]*Model {
	t.Helper()
	states := map[string]*Model{}
	for _, st := range steps.All() {
		m := sized(Options{Start: st.ID}, 80, 24, true)
		states[st.Name] = m
		focused := sized(Options{Start: st.ID}, 80, 24, true)
		keys(focused, "e")
		if focused.current.Focused() {
			states[st.Name+" (typing)"] = focused
		}
	}
	blurred := sized(Options{Start: steps.Connect}, 80, 24, true)
	keys(blurred, "esc")
	states["connect (input left)"] = blurred
	asking := sized(Options{Start: steps.RequestAccess}, 80, 24, true)
	asking.Update(copiedMsg{to: requestOf(asking)})
	states["request-access (did you send it?)"] = asking

	home := sized(Options{}, 80, 24, true)
	home.Update(storedMsg{key: "demo-4f1e-admin-8c2d-7f3c"})
	states["home"] = home
	forget := sized(Options{}, 80, 24, true)
	forget.Update(storedMsg{key: "demo-4f1e-admin-8c2d-7f3c"})
	keys(forget, "f")
	states["home (forget?)"] = forget

	done := sized(Options{}, 80, 24, true)
	res := link.Connected{Fingerprint: "••••7f3c", Old: "old-key-0123456789"}
	res.Identity = lattice.Identity{Endpoint: done.app.link.Client.Primary}
	done.show(newDone(done.app, res))
	done.sync()
	states["done (rotated)"] = done

	// The Connect link's questions, on Connect and on home.
	nl, err := nango.ParseLink("https://connect.nango.dev/?session_token=nango_connect_session_"+
		strings.Repeat("0f", 32)+"&apiURL=https://nango.example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	several := &nango.Error{Kind: nango.SeveralIntegrations, Choices: []nango.Integration{{UniqueKey: "lattice-a"}, {UniqueKey: "lattice-b"}}}
	for _, q := range []string{"approving", "choosing"} {
		connect := sized(Options{Start: steps.Connect, Nango: &Handoff{Client: nango.New(nl, nango.Options{})}}, 80, 24, true)
		home := sized(Options{Nango: &Handoff{Client: nango.New(nl, nango.Options{})}}, 80, 24, true)
		home.Update(storedMsg{key: "demo-4f1e-admin-8c2d-7f3c"})
		for name, m := range map[string]*Model{"connect": connect, "home": home} {
			if q == "choosing" {
				m.app.handoff.Client.ApproveHost()
				m.app.handoff.noteChoices(several)
			}
			m.sync()
			states[name+" (link: "+q+")"] = m
		}
	}
	return states
}

func TestNoScreenBindsAKeyTwice(t *testing.T) {
	for name, m := range everyScreenState(t) {
		_, full := m.current.Keys()
		seen := map[string]string{}
		for _, g := range full {
			g := bindings(g)
			for _, b := range g {
				for _, k := range b.Keys() {
					if other, ok := seen[k]; ok && other != b.Help().Desc {
						t.Errorf("%s: %q is both %q and %q", name, k, other, b.Help().Desc)
					}
					seen[k] = b.Help().Desc
				}
			}
		}
	}
}

func TestHintsNameNoKeyTheFocusedInputTakes(t *testing.T) {
	for name, m := range everyScreenState(t) {
		if !m.current.Focused() {
			continue
		}
		short, full := m.current.Keys()
		for _, b := range append(bindings(short), flatten(full)...) {
			for _, k := range b.Keys() {
				if utf8.RuneCountInString(k) == 1 {
					t.Errorf("%s: the help offers %q, which the input takes as text", name, k)
				}
			}
		}
		// The scroll hint too: a long body on a short window shows it.
		m.Update(sizeMsg(50, 12))
		for _, line := range strings.Split(shown(m), "\n") {
			if strings.Contains(line, "more below") && strings.Contains(line, "j") {
				t.Errorf("%s: the scroll hint offers j while typing: %q", name, line)
			}
		}
	}
}

func flatten(groups [][]*key.Binding) []key.Binding {
	var all []key.Binding
	for _, g := range groups {
		all = append(all, bindings(g)...)
	}
	return all
}

func TestHomeLettersDoOneThing(t *testing.T) {
	m := sized(Options{}, 80, 12, true)
	m.Update(storedMsg{key: "demo-4f1e-admin-8c2d-7f3c"})
	h := m.current.(*homeScreen)
	top := m.vp.top
	keys(m, "k", "j")
	if h.running && h.id > 1 {
		t.Error("k started a second check")
	}
	before := h.id
	keys(m, "c")
	if h.id != before+1 {
		t.Error("c did not check the key again")
	}
	keys(m, "f")
	if !h.confirmForget || m.vp.top != top {
		t.Errorf("f: confirm %v, scrolled %d→%d", h.confirmForget, top, m.vp.top)
	}
}

func TestTooSmallWhileTypingDoesNotQuitOnQ(t *testing.T) {
	m := sized(Options{Start: steps.Connect}, 80, 24, true)
	m.Update(sizeMsg(30, 8))
	keys(m, "q")
	if m.Result.Cancelled {
		t.Error("q quit while the key input had focus")
	}
	if strings.Contains(shown(m), "q quits") {
		t.Errorf("the small screen offers q while typing:\n%s", shown(m))
	}
	keys(m, "ctrl+c")
	if !m.Result.Cancelled {
		t.Error("ctrl+c did not quit")
	}
}

func TestPageDownScrollsWhileTyping(t *testing.T) {
	tried := 0
	for name, m := range everyScreenState(t) {
		if !m.current.Focused() {
			continue
		}
		m.Update(sizeMsg(50, 12))
		if !strings.Contains(shown(m), "more below") {
			continue
		}
		if !strings.Contains(shown(m), "more below: pgdn to scroll") {
			t.Errorf("%s: the hint names keys the input takes:\n%s", name, shown(m))
		}
		tried++
		before := m.vp.top
		m.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
		if m.vp.top == before || !m.current.Focused() {
			t.Errorf("%s: pgdn did not scroll while typing", name)
		}
	}
	if tried == 0 {
		t.Error("no screen with an input had more text than fits")
	}
}

func TestTypingWhileTooSmallIsKept(t *testing.T) {
	m := sized(Options{Start: steps.Connect}, 80, 24, true)
	keys(m, "a", "b")
	m.Update(sizeMsg(30, 8))
	keys(m, "c", "q")
	m.Update(sizeMsg(80, 24))
	if v := connectOf(m).input.Value(); v != "abcq" || m.Result.Cancelled {
		t.Errorf("input %q, cancelled %v", v, m.Result.Cancelled)
	}
}

// Over SSH, o shows the link on a line of its own and copies it through
// the terminal (OSC 52): at 40 columns the link was cut, and on no other
// line, so it could be neither read nor selected (walk 2 F30).
func TestOOverSSHShowsAndCopiesTheLink(t *testing.T) {
	tm := program(t, New(Options{Start: steps.GenerateKey, SSH: true}), 40, 10)
	tm.Send(press("e"))
	tm.Send(pasteMsg("acme"))
	tm.Send(press("enter"))
	tm.Send(press("o"))
	copied := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(steps.KeysPageURL("acme")))
	var seen strings.Builder
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen.Write(b)
		return strings.Contains(seen.String(), copied) &&
			strings.Contains(ansi.Strip(seen.String()), "Open it on your computer (copied too):")
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	tm.Send(press("q"))
	finalModel(t, tm)
}

// When no browser opens, the link is shown on a line of its own and copied.
func TestNoBrowserShowsAndCopiesTheLink(t *testing.T) {
	m := sized(Options{Start: steps.Prerequisites}, 80, 24, true)
	cmd := m.noteOpened(openedMsg{url: steps.HelpArticle, err: os.ErrNotExist})
	m.sync()
	own := false
	for _, l := range strings.Split(shown(m), "\n") {
		own = own || strings.TrimSpace(l) == steps.HelpArticle
	}
	if cmd == nil || !own || !strings.Contains(shown(m), "No browser opened (link copied too):") {
		t.Errorf("copy %v:\n%s", cmd != nil, shown(m))
	}
}
