package wizard

import "charm.land/bubbles/v2/key"

// keyMap is every key binding of the wizard; the help view is built from it,
// so what the help says is what the keys do.
type keyMap struct {
	Next, Back, Jump, Open, Help, Quit key.Binding
	Up, Down, PageUp, PageDown         key.Binding

	Yes, No    key.Binding // Prerequisites: is API access approved?
	ToggleSCIM key.Binding // SCIM: check it at Connect
	Copy, Save key.Binding // Request access: the email
	Edit       key.Binding // focus the step's input again
	Leave      key.Binding // leave an input
	Submit     key.Binding // Connect: check the key
	Cancel     key.Binding // Connect: stop a running check
	NextField  key.Binding
	PrevField  key.Binding

	Rotate, Recheck, Guide, Forget, VerifyRevoked key.Binding // home screen
}

func newKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Next:     b([]string{"enter", "right", "n"}, "enter/→", "next"),
		Back:     b([]string{"left", "p", "shift+tab"}, "←/p", "back"),
		Jump:     b([]string{"1", "2", "3", "4", "5"}, "1–5", "go to step"),
		Open:     b([]string{"o"}, "o", "open link"),
		Help:     b([]string{"?"}, "?", "help"),
		Quit:     b([]string{"q", "ctrl+c"}, "q", "quit"),
		Up:       b([]string{"up", "k"}, "↑/k", "scroll up"),
		Down:     b([]string{"down", "j"}, "↓/j", "scroll down"),
		PageUp:   b([]string{"pgup", "b"}, "pgup/b", "page up"),
		PageDown: b([]string{"pgdown", "f"}, "pgdn/f", "page down"),

		Yes:        b([]string{"y"}, "y", "yes, approved"),
		No:         b([]string{"n"}, "n", "not yet"),
		ToggleSCIM: b([]string{"space", "x"}, "space", "check SCIM too"),
		Copy:       b([]string{"c"}, "c", "copy email"),
		Save:       b([]string{"s"}, "s", "save email"),
		Edit:       b([]string{"e", "tab"}, "e/tab", "edit"),
		Leave:      b([]string{"esc"}, "esc", "leave input"),
		Submit:     b([]string{"enter"}, "enter", "check key"),
		Cancel:     b([]string{"esc"}, "esc", "cancel check"),
		NextField:  b([]string{"tab", "down"}, "tab", "next field"),
		PrevField:  b([]string{"shift+tab", "up"}, "shift+tab", "previous field"),

		Rotate:        b([]string{"r"}, "r", "rotate key"),
		Recheck:       b([]string{"k"}, "k", "re-check"),
		Guide:         b([]string{"g"}, "g", "walk the guide"),
		Forget:        b([]string{"f"}, "f", "forget key"),
		VerifyRevoked: b([]string{"v"}, "v", "check old key is revoked"),
	}
}
