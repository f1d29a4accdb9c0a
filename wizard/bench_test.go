package wizard

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"

	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/steps"
)

// cells turns frames into what Bubble Tea writes to the terminal, as its
// renderer does on every frame it flushes (bubbletea v2's cursedRenderer,
// on the alternate screen): the frame is parsed into a buffer of cells
// (ultraviolet's StyledString.Draw, which measures every character), and
// ultraviolet's TerminalRenderer compares the cells with the last frame's
// and writes the escape sequences that change the screen. What is left out
// is the write to the terminal itself.
type cells struct {
	buf uv.ScreenBuffer
	scr *uv.TerminalRenderer
	out bytes.Buffer
}

func newCells(w, h int) *cells {
	c := &cells{buf: uv.NewScreenBuffer(w, h)}
	// xterm-256color without COLORTERM, as in the pseudo-terminal tests: the
	// renderer converts every colour to the 256-colour palette, which costs
	// more than passing true colour through.
	c.scr = uv.NewTerminalRenderer(&c.out, []string{"TERM=xterm-256color"})
	c.scr.SetColorProfile(colorprofile.ANSI256)
	c.scr.SetTabStops(-1)
	c.scr.SetScrollOptim(true)
	c.scr.SetFullscreen(true) // what entering the alternate screen does
	c.scr.SetRelativeCursor(false)
	c.scr.Erase()
	return c
}

// draw renders one frame and returns how many bytes it wrote.
func (c *cells) draw(frame string) int {
	c.buf.Clear()
	uv.NewStyledString(frame).Draw(c.buf, c.buf.Bounds())
	c.scr.Render(c.buf.RenderBuffer)
	_ = c.scr.Flush()
	n := c.out.Len()
	c.out.Reset()
	return n
}

// keystrokeCase is a screen and keys that change its frame every time,
// pressed in turn, over and over.
type keystrokeCase struct {
	name  string
	start steps.ID
	setup func(m *Model) // run once, untimed: reaches the screen
	keys  []tea.Msg
	what  string
}

var backspace = tea.KeyPressMsg{Code: tea.KeyBackspace}

// send returns a setup that sends msgs.
func send(msgs ...tea.Msg) func(*Model) {
	return func(m *Model) {
		for _, msg := range msgs {
			m.Update(msg)
		}
	}
}

// keystrokeCases cover every screen the wizard has, in the state where the
// user types or presses keys most.
func keystrokeCases() []keystrokeCase {
	typing := []tea.Msg{press("x"), backspace} // never reaches a length limit
	help := []tea.Msg{press("?")}
	stored := storedMsg{key: "demo-4f1e-admin-8c2d-7f3c"}
	connected := func(m *Model) link.Connected {
		res := link.Connected{Fingerprint: "••••7f3c", Old: "old-key-0123456789"}
		res.Identity = lattice.Identity{Endpoint: m.app.link.Client.Primary, User: lattice.User{Name: "Grace Hopper"}}
		return res
	}
	target := nango.Target{Integration: nango.Integration{UniqueKey: "lattice"}}
	withLink := func(m *Model) {
		nl, err := nango.ParseLink("https://connect.nango.dev/?session_token=nango_connect_session_"+strings.Repeat("0f", 32), "")
		if err != nil {
			panic(err)
		}
		m.app.handoff = &handoffState{Handoff: Handoff{Client: nango.New(nl, nango.Options{})}, target: &target}
	}
	return []keystrokeCase{
		{"prerequisites", steps.Prerequisites, nil, help,
			"? opens the help, ? closes it"},
		{"request-access", steps.RequestAccess, send(press("tab")), typing,
			"x typed into a field, then backspace: the live email preview is rebuilt"},
		{"request-access-asking", steps.RequestAccess, func(m *Model) { m.Update(copiedMsg{to: requestOf(m)}) }, help,
			"? opens the help over 'did you send it?', ? closes it"},
		{"generate-key", steps.GenerateKey, send(press("e")), typing,
			"x typed into the address, then backspace"},
		{"scim", steps.SCIM, nil, []tea.Msg{press("space")},
			"space turns the SCIM check on, then off"},
		{"connect", steps.Connect, nil, typing,
			"x typed into the masked key input, then backspace"},
		{"connect-for-an-app", steps.Connect, withLink, typing,
			"x typed under the Connect link's session, then backspace"},
		{"home", steps.GuideStart, send(stored), []tea.Msg{press("f"), press("x")},
			"f asks to forget the key, x keeps it"},
		{"home-with-a-link", steps.GuideStart, func(m *Model) { withLink(m); m.Update(stored) }, help,
			"? opens the help, ? closes it"},
		{"done", steps.Connect, func(m *Model) { m.show(newDone(m.app, connected(m))) }, help,
			"? opens the help on Done after a rotation, ? closes it"},
		{"handed-off", steps.Connect, func(m *Model) {
			m.show(&handedOffScreen{base: base{m.app}, finish: bind("q", "finish", "q")})
		}, help, "? opens the help, ? closes it"},
	}
}

// BenchmarkKeystroke is what a user waits for on every key, once the step's
// markdown is cached: Update and View, then Bubble Tea's own work of
// turning the frame into cells and the cells into escape sequences. Every
// key must change the frame (a key that changes nothing costs the renderer
// almost nothing and would flatter the figure); keys-changed counts them
// and the benchmark fails if one did not. model-µs and cells-µs split the
// time per key between the wizard and the renderer.
func BenchmarkKeystroke(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		for _, c := range keystrokeCases() {
			b.Run(fmt.Sprintf("%s/%dx%d", c.name, size[0], size[1]), func(b *testing.B) {
				w, h := size[0], size[1]
				m := sized(Options{Start: c.start, Link: testLink(nil, nil)}, w, h, true)
				if c.setup != nil {
					c.setup(m)
					m.sync()
				}
				out := newCells(w, h)
				prev := m.View().Content
				out.draw(prev)
				var changed, n int
				var model, render time.Duration
				b.ReportAllocs()
				for b.Loop() {
					t0 := time.Now()
					m.Update(c.keys[n%len(c.keys)])
					frame := m.View().Content
					t1 := time.Now()
					out.draw(frame)
					t2 := time.Now()
					model += t1.Sub(t0)
					render += t2.Sub(t1)
					if frame != prev {
						changed++
					}
					prev = frame
					n++
				}
				if changed != n {
					b.Fatalf("%d of %d keys changed the frame (%s)", changed, n, c.what)
				}
				b.ReportMetric(float64(changed), "keys-changed")
				b.ReportMetric(float64(model.Microseconds())/float64(n), "model-µs")
				b.ReportMetric(float64(render.Microseconds())/float64(n), "cells-µs")
			})
		}
	}
}

// BenchmarkCellsFloor is Bubble Tea's own cost for a frame of any program
// at that size: bench/minimal's three lines, one character changed each
// time. The renderer clears and compares every cell of the window whatever
// the frame holds, so this is the floor under every keystroke above.
func BenchmarkCellsFloor(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			out := newCells(size[0], size[1])
			frames := [2]string{
				"hello from a minimal Bubble Tea program\n\npress any key to quit",
				"hello from a minimal Bubble Tea program!\n\npress any key to quit",
			}
			n := 0
			for b.Loop() {
				out.draw(frames[n%2])
				n++
			}
		})
	}
}

// BenchmarkFirstRender is the first frame of each step: the glamour render
// that is then cached for the width and theme.
func BenchmarkFirstRender(b *testing.B) {
	for _, st := range steps.All() {
		b.Run(st.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m := sized(Options{Start: st.ID, Link: testLink(nil, nil)}, 80, 24, true)
				_ = m.View()
			}
		})
	}
}

// TestWarmWidthsBesideTheRenderer runs Init's warm-up of the width table
// while frames full of characters above U+02FF are turned into cells, as
// the program does on its first flush. It is first in the package so that
// the table is still unbuilt when it runs; with -race it shows that
// building the table on one goroutine while another measures is safe.
func TestWarmWidthsBesideTheRenderer(t *testing.T) {
	frame := strings.Repeat(strings.Repeat("●○─•✓", 16)+"\n", 24)
	var wg sync.WaitGroup
	wg.Go(func() { warmWidths() })
	for range 2 {
		wg.Go(func() {
			c := newCells(80, 24)
			for range 20 {
				c.draw(frame)
			}
			if got := c.buf.CellAt(0, 0); got == nil || got.Content != "●" || got.Width != 1 {
				t.Errorf("first cell: %+v, want ● one column wide", got)
			}
		})
	}
	wg.Wait()
}
