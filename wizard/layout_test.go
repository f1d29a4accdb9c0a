package wizard

import (
	"errors"
	"image/color"
	"math"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/steps"
)

// lastLine is the frame's last line as the user reads it.
func lastLine(m *Model) string {
	lines := strings.Split(shown(m), "\n")
	return lines[len(lines)-1]
}

func TestARejectedKeyKeepsTheHelpLineAndTheAdvice(t *testing.T) {
	_, client := standIn(t)
	m := sized(Options{Start: steps.Connect, Link: testLink(client, nil)}, 40, 10, true)
	run(m, typed(m, latticedemo.KeyRevoked))
	requireFits(t, m, 40, 10)
	requireFrame(t, m)
	s := shown(m)
	if !strings.Contains(s, "Lattice rejected") || !strings.Contains(lastLine(m), "esc") {
		t.Errorf("the rejection or the help line is missing:\n%s", s)
	}
	// A short window gives the note's line to the advice, which is whole.
	if !strings.Contains(s, "paste it here.") {
		t.Errorf("the advice is cut:\n%s", s)
	}
}

func TestTheHelpLineNamesHelpAtFortyColumns(t *testing.T) {
	for _, st := range steps.All() {
		m := sized(Options{Start: st.ID}, 40, 10, true)
		if l := lastLine(m); !m.current.Focused() && !strings.Contains(l, "? help") {
			t.Errorf("%s: %q", st.Name, l)
		}
	}
	m := sized(Options{Start: steps.Connect}, 40, 10, true) // the input has focus
	if l := lastLine(m); !strings.Contains(l, "esc") {
		t.Errorf("Connect's input: %q", l)
	}
}

func TestCutTextEndsInAnEllipsisAndKeepsWhatToDo(t *testing.T) {
	// A field's example text cut by the input's width.
	m := sized(Options{Start: steps.RequestAccess}, 50, 16, true)
	keys(m, "e", "tab", "tab") // Use case
	for _, l := range strings.Split(shown(m), "\n") {
		if strings.Contains(l, "Use case") && !strings.HasSuffix(strings.TrimRight(l, " "), "…") {
			t.Errorf("the use case's example is cut without a mark: %q", l)
		}
	}
	// The copy note in a short window keeps the key to press.
	m = sized(Options{Start: steps.RequestAccess}, 40, 10, true)
	m.Update(copiedMsg{to: requestOf(m), nativeErr: errors.New("no clipboard")})
	if s := shown(m); !strings.Contains(s, "Press s to save it") {
		t.Errorf("the copy note lost what to do:\n%s", s)
	}
	// Generate's one-line address in a short window keeps its keys whole.
	m = sized(Options{Start: steps.GenerateKey}, 50, 16, true)
	keys(m, "e")
	m.Update(pasteMsg("acme"))
	keys(m, "enter")
	if s := shown(m); !strings.Contains(s, "https://acme.latticehq.com") || !strings.Contains(s, "e edits · o opens") {
		t.Errorf("Generate's address line:\n%s", s)
	}
	m = sized(Options{Start: steps.GenerateKey}, 40, 10, true) // the address whole rather than its label
	if s := shown(m); !strings.Contains(s, "https://yourcompany.latticehq.com") {
		t.Errorf("Generate's address at 40 columns:\n%s", s)
	}
}

func TestAddressesAreNeverBrokenAcrossLines(t *testing.T) {
	for _, w := range []int{40, 50, 80} {
		for _, st := range steps.All() {
			m := sized(Options{Start: st.ID}, w, 60, true)
			lines := strings.Split(shown(m), "\n")
			if i, broken := brokenAddress(lines); broken {
				t.Errorf("%s at %d: line %d breaks an address:\n%s\n%s", st.Name, w, i, lines[i], lines[i+1])
			}
		}
	}
	// A path too long for its column goes under its label, whole or ending
	// in "…", never broken at a hyphen or a slash.
	m := New(Options{})
	res := link.Connected{Fingerprint: "••••a1b2", Where: "/home/u/.config/lattice-link/creds.json"}
	m.show(newDone(m.app, res))
	m.Update(sizeMsg(50, 30))
	lines := strings.Split(shown(m), "\n")
	if i, broken := brokenAddress(lines); broken {
		t.Errorf("Done at 50: line %d breaks the path:\n%s\n%s", i, lines[i], lines[i+1])
	}
	if !strings.Contains(shown(m), "/home/u/.config/lattice-link/creds.json") {
		t.Errorf("the path is not whole though it fits the width:\n%s", shown(m))
	}
}

func TestTheDemoKeyListIsAligned(t *testing.T) {
	m := sized(Options{Start: steps.Connect, DemoKeys: []link.DemoKey{
		{Key: "demo-short", What: "first"}, {Key: "demo-much-longer-key", What: "second"}}}, 80, 40, true)
	col := -1
	for _, l := range strings.Split(shown(m), "\n") {
		for _, what := range []string{"first", "second"} {
			if i := strings.Index(l, what); i >= 0 && strings.Contains(l, "demo-") {
				if col >= 0 && i != col {
					t.Errorf("the descriptions start at columns %d and %d:\n%s", col, i, shown(m))
				}
				col = i
			}
		}
	}
	if col < 0 {
		t.Fatalf("no demo keys on screen:\n%s", shown(m))
	}
	// In a narrow window each description goes under its key, whole.
	narrow := sized(Options{Start: steps.Connect, DemoKeys: []link.DemoKey{
		{Key: "demo-4f1e-admin-8c2d-7f3c", What: "works: an admin, SCIM on"}}}, 40, 60, true)
	if s := shown(narrow); !strings.Contains(s, "works: an admin, SCIM on") {
		t.Errorf("the description is cut at 40 columns:\n%s", s)
	}
}

func TestWithoutColourAPlaceholderIsMarked(t *testing.T) {
	m := sized(Options{Start: steps.Connect, NoColor: true}, 80, 24, true)
	if s := shown(m); !strings.Contains(s, "<paste your Lattice API key>") {
		t.Errorf("the placeholder reads as typed text:\n%s", s)
	}
	m = sized(Options{Start: steps.Connect}, 80, 24, true)
	if s := shown(m); strings.Contains(s, "<paste") {
		t.Errorf("with colours the placeholder needs no brackets:\n%s", s)
	}
}

func TestASCIISaysMoreBelowInWords(t *testing.T) {
	m := sized(Options{Start: steps.GenerateKey, ASCII: true}, 50, 16, true)
	s := shown(m)
	if strings.Contains(s, "down more below") || !strings.Contains(s, "(more below)") {
		t.Errorf("the scroll line:\n%s", s)
	}
}

func TestATinyWindowStillSaysHowToQuit(t *testing.T) {
	for _, size := range [][2]int{{20, 5}, {30, 8}, {12, 3}} {
		m := sized(Options{}, size[0], size[1], true)
		requireFits(t, m, size[0], size[1])
		if s := shown(m); !strings.Contains(s, "q quits.") {
			t.Errorf("%v: %q", size, s)
		}
	}
}

func TestQClosesTheHelp(t *testing.T) {
	m := sized(Options{Start: steps.GenerateKey}, 80, 24, true)
	keys(m, "?")
	if !m.showHelp {
		t.Fatal("? did not open the help")
	}
	keys(m, "q")
	if m.showHelp || m.Result.Cancelled {
		t.Errorf("q in the help: open=%v cancelled=%v", m.showHelp, m.Result.Cancelled)
	}
	if l := lastLine(m); !strings.Contains(l, "? help") {
		t.Errorf("after the help: %q", l)
	}
}

func TestTheForgetQuestionsHelpLineFitsFortyColumns(t *testing.T) {
	m, _ := homeWithKey(t, latticedemo.KeyAdmin)
	m.Update(sizeMsg(40, 10))
	keys(m, "f")
	if l := lastLine(m); !strings.Contains(l, "y forget") || !strings.Contains(l, "keep it") || !strings.Contains(l, "? help") {
		t.Errorf("the question's help line: %q", l)
	}
}

func TestFitMessageKeepsWhatToDoAndUsesTheLinesItHas(t *testing.T) {
	what := "an address cannot start or end with a dash: type the first part of your company's Lattice address."
	todo := "Fix it and press enter, or esc to leave it."
	for lines := 1; lines <= 6; lines++ {
		got := strings.Split(fitMessage(what+"\n"+todo, 36, lines), "\n")
		if len(got) > lines {
			t.Errorf("%d lines: %d used", lines, len(got))
		}
		if want := min(lines, 5); len(got) < want { // the whole message takes 5
			t.Errorf("%d lines: only %d used:\n%s", lines, len(got), strings.Join(got, "\n"))
		}
		if l := got[len(got)-1]; lines >= 3 && !strings.HasSuffix(l, "leave it.") {
			t.Errorf("%d lines: what to do is cut: %q", lines, l)
		}
		for _, l := range got {
			if w := len([]rune(l)); w > 36 {
				t.Errorf("%d lines: %q is %d wide", lines, l, w)
			}
		}
	}
}

// Between the golden sizes too: every screen keeps its help line and its
// addresses whole, at every width from 40 and a few heights.
func TestEveryFrameAtManySizes(t *testing.T) {
	for name, build := range goldenScreens() {
		for _, ascii := range []bool{false, true} {
			m := build(Options{ASCII: ascii})
			for w := 40; w <= 130; w += 9 {
				for _, h := range []int{10, 13, 19, 30} {
					m.Update(sizeMsg(w, h))
					requireFits(t, m, w, h)
					if t.Failed() {
						t.Fatalf("%s at %d×%d (ascii %v)", name, w, h, ascii)
					}
					requireFrame(t, m)
					if t.Failed() {
						t.Fatalf("%s at %d×%d (ascii %v)", name, w, h, ascii)
					}
				}
			}
		}
	}
}

// At the smallest window an expired link's panel still says what happened,
// that the key went nowhere and who can fix it; it cut "Ask the app for a
// new Connect link" and dropped that the link had expired.
func TestAnExpiredLinkSaysWhoFixesItAtFortyByTen(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		m := goldenLinkScreens()["connect-link-expired"](Options{ASCII: ascii})
		m.Update(sizeMsg(40, 10))
		s := shown(m)
		for _, want := range []string{"The Connect link has expired", "The key was not sent anywhere.",
			"Ask the app for a new Connect link.", "x no app", "? help"} {
			if !strings.Contains(s, want) {
				t.Errorf("ascii %v: no %q in\n%s", ascii, want, s)
			}
		}
	}
}

// At 40 columns the question before a hand-off keeps its yes on the help
// line (it lost "h yes, hand it over"), and its panel names the host the
// key goes to (it was cut before it).
func TestTheHandOverQuestionFitsFortyColumns(t *testing.T) {
	m := goldenLinkScreens()["home-link-ask"](Options{})
	m.Update(sizeMsg(40, 10))
	if l := lastLine(m); !strings.Contains(l, "h send it") || !strings.Contains(l, "other keys keep it") || !strings.Contains(l, "? help") {
		t.Errorf("the question's help line: %q", l)
	}
	if panel := ansi.Strip(m.panelView); !strings.Contains(panel, "api.nango.dev") || !strings.Contains(panel, "Ada Lovelace") {
		t.Errorf("the question does not name for whom and where:\n%s", shown(m))
	}
}

// A line wider than the window only by the spaces that pad it loses
// spaces, not text: on an ASCII terminal "…" becomes "...", and a padded
// row ended in "..." as if it were cut.
func TestAPaddedLineLosesOnlyItsPadding(t *testing.T) {
	var f fitter
	got := f.lines("done...   \nabcdefghij", 8, "…")
	if got[0] != "done... " || got[1] != "abcdefg…" {
		t.Errorf("cut to 8: %q", got)
	}
}

// At 40×10 a refused address still says what to type: the two lines of
// "Fix it and press enter, or esc to leave it." left one for the refusal,
// cut at "type only the first part of your La…".
func TestARefusedAddressSaysWhatToTypeAtFortyByTen(t *testing.T) {
	m := sized(Options{Start: steps.GenerateKey}, 40, 10, true)
	keys(m, "e")
	m.Update(pasteMsg("acme.emea.latticehq.com"))
	keys(m, "enter")
	requireFits(t, m, 40, 10)
	if s := shown(m); !strings.Contains(s, "such as acme") || !strings.Contains(s, "esc to leave it") {
		t.Errorf("the refusal does not say what to type, or how to leave:\n%s", s)
	}
}

// A menu path's " › " stays with the word before it when that costs no
// line: "Copy it again from Admin › Settings › Platform" / "› API keys …"
// read as a lost piece of the path (walk 2 F35).
func TestAMenuPathBreaksAfterItsArrows(t *testing.T) {
	advice := "Copy it again from " + link.KeysPage + " (or generate a new one) and paste it here."
	if got := wrap(advice, 46); strings.Contains(got, "\n›") { // 50 columns, less the margins
		t.Errorf("a line starts with ›:\n%s", got)
	}
	// When keeping it costs a line, the line is kept: at 36 columns (40,
	// less the margins) the advice keeps to three lines.
	if n := strings.Count(wrap(advice, 36), "\n") + 1; n > 3 {
		t.Errorf("36 columns: %d lines", n)
	}
}

// A " · " between facts stays with the fact before it: a line that starts
// with "·" ("-" on an ASCII terminal) reads as a list's item.
func TestNoLineStartsWithTheFactsSeparator(t *testing.T) {
	facts := "Nango: for Ada Lovelace <ada@example.com> at Acme · integration lattice-hr at api.nango.dev · not stored here"
	for width := 20; width <= 80; width++ {
		for _, l := range strings.Split(wrap(facts, width), "\n") {
			if strings.HasPrefix(l, "·") || strings.Contains(l, "\u00a0") {
				t.Errorf("%d columns: %q", width, l)
			}
		}
	}
}

// Every failure of a Connect link keeps, in three lines, what happened,
// who can fix it and that the key went nowhere (an advice of two lines
// pushed what happened out of a small window).
func TestALinksFailureInThreeLinesSaysWhatWhoAndWhere(t *testing.T) {
	for _, k := range nango.Kinds() {
		e := &nango.Error{Kind: k, Call: nango.CallSession, Host: "api.nango.dev", Code: "some_code", Status: 500}
		what, _, _ := strings.Cut(link.ExplainNango(e, false), "\n")
		got := strings.Split(fitNango(e, 36, 3), "\n")
		if len(got) != 3 || !strings.HasPrefix(got[0], what[:20]) || got[2] != "The key was not sent anywhere." {
			t.Errorf("%v:\n%s", k, strings.Join(got, "\n"))
		}
		if strings.Contains(link.ExplainNango(e, false), "Ask the app for") && !strings.HasPrefix(got[1], "Ask the app for") {
			t.Errorf("%v: who can fix it is not said:\n%s", k, strings.Join(got, "\n"))
		}
	}
}

// At 40 columns each step's help line keeps the way on and both answers
// of a question: SCIM kept "space check SCIM too" and lost next,
// Prerequisites and Request's "did you send it?" lost "n not yet".
func TestNarrowHelpLinesKeepTheWayOnAndBothAnswers(t *testing.T) {
	scim := sized(Options{Start: steps.SCIM}, 40, 10, true)
	prereq := sized(Options{Start: steps.Prerequisites}, 40, 10, true)
	sent := sized(Options{Start: steps.RequestAccess}, 40, 10, true)
	sent.Update(copiedMsg{to: requestOf(sent)})
	for _, c := range []struct {
		m     *Model
		wants []string
	}{{scim, []string{"enter/→/n next", "? help"}}, {prereq, []string{"y yes", "n not yet", "? help"}},
		{sent, []string{"y sent", "n not yet", "? help"}}} {
		l := lastLine(c.m)
		for _, want := range c.wants {
			if !strings.Contains(l, want) {
				t.Errorf("%s: no %q in %q", c.m.current.Title(), want, l)
			}
		}
	}
}

// Generate's help line says what e and o do now: "type your Lattice
// address" once one was typed, and no o at 80 columns, though the text
// says o opens the API keys page (walk 2 F4).
func TestGenerateHelpLineSaysWhatEAndODoNow(t *testing.T) {
	m := sized(Options{Start: steps.GenerateKey}, 80, 24, true)
	if l := lastLine(m); !strings.Contains(l, "o open the article") || !strings.Contains(l, "e/tab type your address") {
		t.Errorf("before an address: %q", l)
	}
	keys(m, "e")
	m.Update(pasteMsg("acme"))
	keys(m, "enter")
	if l := lastLine(m); !strings.Contains(l, "e/tab edit the address") || !strings.Contains(l, "o open API keys") ||
		!strings.Contains(l, "enter/→/n next") || !strings.Contains(l, "? help") {
		t.Errorf("with an address: %q", l)
	}
}

// At 40 columns a hand-off's connection id (36 characters) is whole on a
// line of its own, and an advice's indented header keeps its indent on
// the line it wraps onto (walk 2 F29: the id was cut, the header's value
// sat left of its name).
func TestAnIDAndAnIndentedHeaderStayWholeAt40Columns(t *testing.T) {
	st := NewStyles(true)
	const id = "c5ea5dae-cb10-49f2-8bbb-84bcb6ce3667"
	if r := ansi.Strip(row(st, "Connection", id+" (created)", 36)); !strings.Contains(r, "\n"+id) {
		t.Errorf("the id is not whole:\n%s", r)
	}
	got := wrap("The app must call Nango's proxy with the header\n  Base-Url-Override: https://api.emea.latticehq.com\nor it fails.", 34)
	if !strings.Contains(got, "\n  Base-Url-Override:\n  https://api.emea.latticehq.com\n") {
		t.Errorf("the header lost its indent:\n%s", got)
	}
}

// The help line is as readable as the text's muted lines: its keys,
// descriptions and separators reach 4.5:1 against the background (WCAG
// AA); bubbles' defaults gave the descriptions about 2.5:1 on black and
// 2.1:1 on white (walk 2 F32).
func TestTheHelpLineIsReadable(t *testing.T) {
	luminance := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		lin := func(v uint32) float64 {
			x := float64(v) / 0xffff
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	}
	contrast := func(a, b color.Color) float64 {
		la, lb := luminance(a), luminance(b)
		return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
	}
	for _, dark := range []bool{true, false} {
		bg := color.Color(color.White)
		if dark {
			bg = color.Black
		}
		h := NewStyles(dark).Help
		for name, st := range map[string]lipgloss.Style{"key": h.ShortKey, "description": h.ShortDesc, "separator": h.ShortSeparator} {
			if c := contrast(st.GetForeground(), bg); c < 4.5 {
				t.Errorf("dark %v: the help line's %s is %.1f:1", dark, name, c)
			}
		}
	}
}

// A refused address reads as a sentence, as the wizard's other messages
// do: "an address cannot start…" began lower case with no full stop
// (walk 2 F39).
func TestARefusedAddressReadsAsASentence(t *testing.T) {
	m := sized(Options{Start: steps.GenerateKey}, 100, 30, true)
	keys(m, "e")
	m.Update(pasteMsg("-acme-"))
	keys(m, "enter")
	s := strings.Join(strings.Fields(shown(m)), " ")
	if !strings.Contains(s, "An address cannot start or end with a dash: type the first part of your company's Lattice address, e.g. acme for acme.latticehq.com. Fix it") {
		t.Errorf("the refusal:\n%s", shown(m))
	}
}

// Closing the help returns the body to where it was scrolled (walk 3 G9:
// it went back to the top).
func TestClosingTheHelpKeepsTheScroll(t *testing.T) {
	m := sized(Options{Start: steps.Prerequisites}, 40, 10, true)
	keys(m, "j", "j", "j")
	top := m.vp.top
	if top == 0 {
		t.Fatalf("j did not scroll:\n%s", shown(m))
	}
	before := shown(m)
	keys(m, "?", "?")
	if m.showHelp || m.vp.top != top || shown(m) != before {
		t.Errorf("after the help the body is at line %d, not %d:\n%s", m.vp.top, top, shown(m))
	}
}
