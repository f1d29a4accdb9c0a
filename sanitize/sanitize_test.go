package sanitize

import (
	"strings"
	"testing"
	"unicode"
)

func TestLineRemovesEscapesAndControls(t *testing.T) {
	cases := map[string]string{
		"plain":                         "plain",
		"\x1b[31mred\x1b[0m":            "red",
		"clip\x1b]52;c;aGVsbG8=\x07end": "clipend",
		"clear\x1b[2J\x1b[H":            "clear",
		"bell\x07 and nul\x00":          "bell and nul",
		"two\nlines\r\nhere":            "two lines here",
		"tab\there":                     "tab here",
		"c1\u009b31mcsi":                "c131mcsi",
		"bidi\u202eevil":                "bidievil",
		"bad\xffutf8":                   "bad\uFFFDutf8",
		"Ωmega café 日本":                 "Ωmega café 日本",
	}
	for in, want := range cases {
		if got := Line(in, 0); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextKeepsNewlines(t *testing.T) {
	if got := Text("a\r\nb\rc\x1b[1m\n", 0); got != "a\nb\nc\n" {
		t.Errorf("Text = %q", got)
	}
}

func TestLineCutsShort(t *testing.T) {
	got := Line(strings.Repeat("x", 50), 10)
	if got != strings.Repeat("x", 10)+"…" {
		t.Errorf("got %q", got)
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "\x1b[31mred", "\x1b]52;c;AA==\x07", "a\nb", "\xff\xfe", "\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Line(s, 0), Text(s, 0), Line(s, 20)} {
			for _, r := range out {
				if r == '\n' && out != Line(s, 0) && out != Line(s, 20) {
					continue
				}
				if unicode.IsControl(r) {
					t.Fatalf("control %U left in %q (from %q)", r, out, s)
				}
			}
		}
	})
}
