package wizard

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// bind makes a binding whose help says what it does.
func bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// KeyMap is every binding the root acts on for a screen that lists it,
// built once. A screen lists the ones it accepts in its Keys, so no key
// means two things on one screen.
type KeyMap struct {
	Help, Quit, CtrlC, Next, Back, Open key.Binding
	// Scroll moves the text with the arrows and letters; Arrows with the
	// arrow and page keys only, for screens whose own keys are letters and
	// for inputs, which take the letters as text.
	Scroll, Arrows Scrolling
}

// Scrolling are the four ways to move the text.
type Scrolling struct{ Up, Down, PageUp, PageDown key.Binding }

var keyMap = newKeyMap()

func newKeyMap() *KeyMap {
	km := &KeyMap{
		Help:  bind("?", "help", "?"),
		Quit:  bind("q", "quit", "q", "ctrl+c"),
		CtrlC: bind("ctrl+c", "quit", "ctrl+c"),
		Next:  bind("enter/→/n", "next", "enter", "right", "n"),
		Back:  bind("←/p", "back", "left", "p", "shift+tab"),
		Open:  bind("o", "open link", "o"),
		Scroll: Scrolling{
			Up:       bind("↑/k", "scroll up", "up", "k"),
			Down:     bind("↓/j", "scroll down", "down", "j"),
			PageUp:   bind("pgup/b", "page up", "pgup", "b"),
			PageDown: bind("pgdn/f", "page down", "pgdown", "f"),
		},
	}
	km.Arrows = km.Scroll.withoutLetters()
	return km
}

// withoutLetters is the same scrolling with only its first key, the one
// that is not a letter.
func (s Scrolling) withoutLetters() Scrolling {
	first := func(b key.Binding) key.Binding {
		k := b.Keys()[0]
		help := map[string]string{"up": "↑", "down": "↓", "pgup": "pgup", "pgdown": "pgdn"}[k]
		return bind(help, b.Help().Desc, k)
	}
	return Scrolling{first(s.Up), first(s.Down), first(s.PageUp), first(s.PageDown)}
}

// all lists the four, for a screen's full help.
func (s *Scrolling) all() []*key.Binding {
	return []*key.Binding{&s.Up, &s.Down, &s.PageUp, &s.PageDown}
}

// pages lists the page keys only: what an input leaves to the text.
func (s *Scrolling) pages() []*key.Binding { return []*key.Binding{&s.PageUp, &s.PageDown} }

// jumpKeys are 1…n, one per guide step.
func jumpKeys(n int) key.Binding {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = string(rune('1' + i))
	}
	return bind("1–"+keys[n-1], "go to step", keys...)
}

// relabel is b with other help: the same keys, doing the same, named for
// this screen (the root no longer knows it as the shared binding).
func relabel(b key.Binding, keys, desc string) *key.Binding {
	b.SetHelp(keys, desc)
	return &b
}

// paging says whether k pages the text: inputs leave these keys to it.
func paging(k tea.KeyPressMsg) bool {
	return key.Matches(k, keyMap.Arrows.PageUp, keyMap.Arrows.PageDown)
}

// bindings turns a list of bindings into what the help bubble takes.
func bindings(bs []*key.Binding) []key.Binding {
	out := make([]key.Binding, len(bs))
	for i, b := range bs {
		out[i] = *b
	}
	return out
}

// list is a short way to write a screen's list of bindings.
func list(bs ...*key.Binding) []*key.Binding { return bs }
