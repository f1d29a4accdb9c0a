package link

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
)

// OwnerShift is whom a rotation's new key acts as, beside whom the key it
// replaces acted as at its last check. The zero Before (no owner was
// remembered, after a repaired record, say) is no shift: nothing is known
// to compare with.
type OwnerShift struct {
	Before config.Owner // the stored key's owner, as remembered
	After  lattice.User // the new key's, as Lattice said just now
}

func (s OwnerShift) known() bool { return s.Before.Email != "" || s.Before.Name != "" }

// OtherPerson reports whether the new key belongs to someone else: emails
// compared when both are known, else names.
func (s OwnerShift) OtherPerson() bool {
	b, u := s.Before, s.After
	switch {
	case !s.known():
		return false
	case b.Email != "" && u.Email != "":
		return !strings.EqualFold(b.Email, u.Email)
	}
	return b.Name != u.Name
}

// AdminChanged reports whether the admin flag differs.
func (s OwnerShift) AdminChanged() bool { return s.known() && s.Before.IsAdmin != s.After.IsAdmin }

// LosesAdmin reports whether the old key was an admin's and the new one is not.
func (s OwnerShift) LosesAdmin() bool { return s.AdminChanged() && s.Before.IsAdmin }

// NeedsYes reports whether the rotation waits for the user's yes: the new
// key is another person's, or can no longer do what an admin can. A key
// that gains admin needs none: it can do more, not less.
func (s OwnerShift) NeedsYes() bool { return s.OtherPerson() || s.LosesAdmin() }

// Words say how the owner changed, for Done's "Changed" row and the
// command line; "" when they did not.
func (s OwnerShift) Words() string {
	u, b := s.After, s.Before
	switch {
	case s.OtherPerson():
		return fmt.Sprintf("the old key was %s's (%s); the new one is %s's (%s)",
			Owner(b.Name, b.Email), role(b.IsAdmin), Owner(u.Name, u.Email), role(u.IsAdmin))
	case s.AdminChanged() && u.IsAdmin:
		return "the same person, who is an admin now (they were not when the old key was checked)"
	case s.AdminChanged():
		return "the same person, who is no longer an admin: the new key can do only what they can"
	}
	return ""
}

func role(admin bool) string {
	if admin {
		return "an admin"
	}
	return "not an admin"
}

// Pending is a rotation held back before storing: Lattice accepted the new
// key, but it acts as another person than the stored key, or as someone
// who is no longer an admin. Nothing was stored: the old key is stored and
// works as before until Confirm stores the new one. It holds no key: the
// face keeps the two keys it gave Connect and gives them to Confirm.
type Pending struct {
	Checked
	Fingerprint string // the new key's
	OldPrint    string // the stored key's
	Shift       OwnerShift
}

// ConfirmError is Connect's answer to a rotation that waits for the user's
// yes (see Pending): nothing was stored.
type ConfirmError struct{ Pending Pending }

func (e *ConfirmError) Error() string {
	return "Lattice accepted the new key " + e.Pending.Fingerprint + ", but " + e.Pending.why() +
		", so it was not stored: " + e.Pending.OldPrint + " stays stored"
}

// AsPending is the rotation err holds back for the user's yes, if it does.
func AsPending(err error) (Pending, bool) {
	var ce *ConfirmError
	if errors.As(err, &ce) {
		return ce.Pending, true
	}
	return Pending{}, false
}

// why says what the user is asked to agree to.
func (p Pending) why() string {
	switch s := p.Shift; {
	case s.OtherPerson() && s.LosesAdmin():
		return "it is another person's key, and not an admin's"
	case s.OtherPerson():
		return "it is another person's key"
	}
	return "its owner is no longer an admin: it can do only what they can"
}

// Headline says what Lattice's answer showed; each face says what it did
// about it (asks, or stored nothing).
func (p Pending) Headline() string {
	return "Lattice accepted the new key, but " + p.why() + "."
}

// Why is the Headline's reason alone, for a narrow window.
func (p Pending) Why() string {
	w := p.why()
	return strings.ToUpper(w[:1]) + w[1:] + "."
}

// Facts are the two keys side by side: the one stored and the new one,
// each with its owner and role. short (a narrow window, beside Question,
// which names both keys) drops the fingerprints and the emails.
func (p Pending) Facts(short bool) []Fact {
	who := func(fp, name, email string, admin bool) string {
		if short {
			if name != "" {
				email = ""
			}
			return Owner(name, email) + ", " + role(admin)
		}
		return fp + "  " + Owner(name, email) + ", " + role(admin)
	}
	b, u := p.Shift.Before, p.Shift.After
	return []Fact{
		{Label: "Stored", Value: who(p.OldPrint, b.Name, b.Email, b.IsAdmin)},
		{Label: "New", Value: who(p.Fingerprint, u.Name, u.Email, u.IsAdmin), Warn: true},
	}
}

// Question asks for the yes, naming both keys.
func (p Pending) Question() string {
	return "Replace " + p.OldPrint + " with " + p.Fingerprint + "?"
}

// KeptWords say what a no left as it was.
func (p Pending) KeptWords() string {
	return "Nothing was changed: " + p.OldPrint + " stays stored. The new key " + p.Fingerprint +
		" was not stored: if nobody needs it, revoke it in Lattice."
}

// holdForYes is a *ConfirmError when the new key Lattice just accepted
// shifts the owner away from the stored key's. The store and its record
// are read together under the folder's lock: when the stored key is no
// longer expected, nothing will be stored (config.ErrReplaced).
func (l *Link) holdForYes(checked Checked, key, expected string) error {
	h, err := l.HoldsNow(expected)
	if err != nil {
		return err
	}
	if h.Changed {
		return config.ErrReplaced
	}
	var before config.Owner
	if h.Remembered.Fingerprint == lattice.Fingerprint(expected) {
		before = h.Remembered.Owner
	}
	shift := OwnerShift{Before: before, After: checked.Identity.User}
	if !shift.NeedsYes() {
		return nil
	}
	return &ConfirmError{Pending{Checked: checked, Fingerprint: lattice.Fingerprint(key),
		OldPrint: lattice.Fingerprint(expected), Shift: shift}}
}

// Confirm stores the rotation p held back, once the user said yes: key and
// expected are the two keys Connect was given. Lattice is not asked again;
// the store is read again under the folder's lock, and when it no longer
// holds expected (another run changed it meanwhile), nothing is stored and
// the error is config.ErrReplaced.
func (l *Link) Confirm(ctx context.Context, p Pending, key, expected string) (Connected, error) {
	if lattice.Fingerprint(key) != p.Fingerprint || lattice.Fingerprint(expected) != p.OldPrint || expected == "" {
		return Connected{}, errors.New("link: Confirm was given other keys than the rotation it confirms")
	}
	if err := ctx.Err(); err != nil {
		return Connected{}, err
	}
	return l.keep(p.Checked, key, expected)
}

// CheckRevoked asks Lattice whether a key this run replaced is rejected
// now (revoked is true then), at the host of the old key's own region as
// remembered when it was replaced: the other region rejects every key. When
// that region is not known, both regions are asked, and the key counts as
// revoked only when both reject it. at, where the new key works, is asked
// when the host is pinned (--api-url).
func (l *Link) CheckRevoked(ctx context.Context, old string, at lattice.Endpoint) (revoked bool, err error) {
	l.mu.Lock()
	region := l.replaced[old]
	l.mu.Unlock()
	asks := []lattice.Endpoint{at}
	if alt := l.Client.Alternate; alt != nil {
		asks = []lattice.Endpoint{l.Client.Primary, *alt}
		for _, ep := range asks {
			if ep.Region == region {
				asks = []lattice.Endpoint{ep}
				break
			}
		}
	}
	for _, ep := range asks {
		_, err := l.Client.VerifyAt(ctx, old, ep)
		switch lattice.KindOf(err) {
		case lattice.Rejected:
		case 0:
			if err == nil {
				return false, nil // it still works there
			}
			return false, err
		default:
			return false, err
		}
	}
	l.noteRevoked(lattice.Fingerprint(old))
	return true, nil
}

// noteRevoked remembers that Lattice rejects the key a rotation replaced,
// so that later runs stop reminding to revoke it. A failed write only
// keeps the reminder: the answer itself was shown.
func (l *Link) noteRevoked(fingerprint string) { _, _ = l.markRevoked([]string{fingerprint}) }

// SaidRevoked records the user's word that they revoked, in Lattice, the
// keys rotations replaced (by fingerprint, as Unrevoked names them). Once
// a run is over nothing holds such a key any more, so Lattice cannot be
// asked (CheckRevoked asks it while the run that replaced the key holds
// it): the user's word is all there is. The record is written under the
// folder's lock on state.json as it is now (another run's changes are
// kept); Unrevoked names those keys no more, so the home screens and
// status stop reminding. It returns the profile as written.
func (l *Link) SaidRevoked(fingerprints []string) (config.Profile, error) {
	if len(fingerprints) == 0 {
		return config.Profile{}, errors.New("link: SaidRevoked was given no key")
	}
	st, err := l.markRevoked(fingerprints)
	if err != nil {
		return config.Profile{}, err
	}
	return *st.Profile(l.Profile), nil
}

// markRevoked marks every rotation that replaced one of fingerprints as
// revoked, in one write.
func (l *Link) markRevoked(fingerprints []string) (*config.State, error) {
	return l.remember(func(p *config.Profile) {
		for i := range p.Rotations {
			if slices.Contains(fingerprints, p.Rotations[i].From) {
				p.Rotations[i].Revoked = true
			}
		}
	})
}
