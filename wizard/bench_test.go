package wizard

import (
	"fmt"
	"testing"

	"github.com/lattice-link/lattice-link/steps"
)

// BenchmarkKeystroke is one key press on each screen, Update and View, once
// the step's markdown is cached: what a user waits for on every key.
func BenchmarkKeystroke(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		for _, st := range steps.All() {
			b.Run(fmt.Sprintf("%s/%dx%d", st.Name, size[0], size[1]), func(b *testing.B) {
				m := sized(Options{Start: st.ID}, size[0], size[1], true)
				key := press("j") // scrolls, or types into the Connect input
				if st.ID == steps.RequestAccess {
					keys(m, "tab") // typing into a field rebuilds the live preview
					key = press("x")
				}
				b.ReportAllocs()
				for b.Loop() {
					m.Update(key)
					_ = m.View()
				}
			})
		}
	}
}

// BenchmarkFirstRender is the first frame of each step: the glamour render
// that is then cached for the width and theme.
func BenchmarkFirstRender(b *testing.B) {
	for _, st := range steps.All() {
		b.Run(st.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m := sized(Options{Start: st.ID}, 80, 24, true)
				_ = m.View()
			}
		})
	}
}
