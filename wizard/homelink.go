package wizard

import "github.com/lattice-link/lattice-link/lattice"

// The home screen with a Connect link: what h and r do with the stored key.

// cannotHand says why h cannot hand the stored key to the app now, or ""
// when it can: the link's session must have been read (the user sees for
// whom it was made first) and allow a key, and Lattice must not have
// rejected the key.
func (h *homeScreen) cannotHand() string {
	switch l := h.a.handoff; {
	case h.unreadable():
		return "The stored key could not be read (see above)."
	case !h.a.storeRead || h.a.stored == "":
		return "The stored key is still being read."
	case l.approving():
		return "The Connect link's Nango API is not Nango Cloud: press a to send the key to " + l.Client.Link().Host() +
			" (see above), then h."
	case l.choosing():
		return "The link offers more than one Lattice integration: press its number to choose, then h."
	case !l.resolved():
		return "The Connect link is still being read: h hands the key over once it shows for whom the link was made."
	case !l.usable():
		return "This Connect link cannot take a key (see above): ask the app for a new link."
	case h.rejected():
		return "Lattice rejects this key, so it cannot go to the app: press r to hand it a new key."
	}
	return ""
}

// handWords say, under the link's session, what h and r do with it.
func (h *homeScreen) handWords() string {
	fp := lattice.Fingerprint(h.a.stored)
	other := "r hands it a new key instead (" + fp + " stays stored here as it is)."
	if h.a.handoff.Keep {
		other = "r hands it a new key and stores that one here in place of " + fp + "."
	}
	switch why := h.cannotHand(); {
	case h.rejected(): // why says what r does; a dead key kept is nothing to point out
		return why
	case why != "":
		return why + " " + other
	}
	return "Press h to hand this key to that app (Lattice checks it first; it stays stored here), or " + other
}
