package wizard

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// scroller is the window on the body: which line is at the top, how many
// lines show, how many there are. The lines themselves stay in the model,
// cut to the width once per change of the body, so scrolling and typing
// never measure them again.
type scroller struct {
	top, height, total int
}

// resize sets the window's height and the body's length, keeping the top
// inside the body.
func (s *scroller) resize(height, total int) {
	s.height, s.total = max(height, 1), total
	s.scrollTo(s.top)
}

func (s *scroller) maxTop() int { return max(s.total-s.height, 0) }

// scrollTo puts line n at the top, or as near as the body allows.
func (s *scroller) scrollTo(n int) { s.top = min(max(n, 0), s.maxTop()) }

func (s *scroller) by(n int)       { s.scrollTo(s.top + n) }
func (s *scroller) pageUp()        { s.by(-s.height) }
func (s *scroller) pageDown()      { s.by(s.height) }
func (s *scroller) goTop()         { s.top = 0 }
func (s *scroller) atBottom() bool { return s.top >= s.maxTop() }

// overflows says the body is longer than the window.
func (s *scroller) overflows() bool { return s.total > s.height }

// fitter cuts a body's lines to the window's width. Most lines of a body
// that changes on every key (the email preview under its step's text) are
// the same as the last time, so the lines known to fit are remembered,
// per width, and not measured again.
type fitter struct {
	width int
	fits  map[string]bool
}

// fitterLimit bounds what is remembered: typing makes new lines each key.
const fitterLimit = 4096

// lines splits body and cuts each line that is too wide, ending it with
// tail. A line too wide only by the spaces that pad it (an ASCII terminal's
// "..." for "…" widens a padded block) loses spaces, not text.
func (f *fitter) lines(body string, width int, tail string) []string {
	if f.width != width || len(f.fits) > fitterLimit {
		f.width, f.fits = width, make(map[string]bool)
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		if f.fits[l] {
			continue
		}
		if w := ansi.StringWidth(l); w > width {
			end, plain := tail, ansi.Strip(l)
			if w-(len(plain)-len(strings.TrimRight(plain, " "))) <= width {
				end = "" // only padding is cut
			}
			lines[i] = ansi.Truncate(l, width, end)
			continue
		}
		f.fits[l] = true
	}
	return lines
}
