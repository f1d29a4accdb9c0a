package wizard

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// bind makes a binding whose help says what it does.
func bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// The shared bindings. A screen lists the ones it accepts in its Keys, so
// no key means two things on one screen: a screen whose own keys take
// letters scrolls with the arrows only.
var (
	keyHelp     = bind("?", "help", "?")
	keyQuit     = bind("q", "quit", "q", "ctrl+c")
	keyCtrlC    = bind("ctrl+c", "quit", "ctrl+c")
	keyNext     = bind("enter/→/n", "next", "enter", "right", "n")
	keyBack     = bind("←/p", "back", "left", "p", "shift+tab")
	keyOpen     = bind("o", "open link", "o")
	keyUp       = bind("↑/k", "scroll up", "up", "k")
	keyDown     = bind("↓/j", "scroll down", "down", "j")
	keyPageUp   = bind("pgup/b", "page up", "pgup", "b")
	keyPageDown = bind("pgdn/f", "page down", "pgdown", "f")
	keyArrowUp  = bind("↑", "scroll up", "up")
	keyArrowDn  = bind("↓", "scroll down", "down")
	keyPgUp     = bind("pgup", "page up", "pgup")
	keyPgDn     = bind("pgdn", "page down", "pgdown")
	keyEsc      = bind("esc", "leave input", "esc")
)

// scrollKeys are the letter-and-arrow scrolling keys; arrowScroll leaves
// the letters to the screen.
var (
	scrollKeys  = []key.Binding{keyUp, keyDown, keyPageUp, keyPageDown}
	arrowScroll = []key.Binding{keyArrowUp, keyArrowDn, keyPgUp, keyPgDn}
)

// jumpKeys are 1…n, one per guide step.
func jumpKeys(n int) key.Binding {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = string(rune('1' + i))
	}
	return bind("1–"+keys[n-1], "go to step", keys...)
}

func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// paging says whether k pages the text: inputs leave these keys to it.
func paging(k tea.KeyPressMsg) bool { return key.Matches(k, keyPgUp, keyPgDn) }
