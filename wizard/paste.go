package wizard

import "time"

// pasteQuiet is how long after a paste the keys that change the store or
// send the key are not taken: a paste can carry keys after a fake end of
// paste ("junk\e[201~fy" forgot the key), and they arrive with it, within
// the same read, while a person's next key comes much later.
const pasteQuiet = 500 * time.Millisecond

// withPaste says a key may have come with a paste rather than from the
// user's hand.
func (a *app) withPaste() bool {
	return !a.pastedAt.IsZero() && a.now().Sub(a.pastedAt) < pasteQuiet
}
