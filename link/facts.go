package link

import (
	"fmt"
	"strings"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/sanitize"
)

// Fact is one line of what is known about a connected key, in words every
// face shows alike; Warn marks a problem.
type Fact struct {
	Label, Value string
	Warn         bool
}

// KeysPage is where Lattice lists API keys, as its help centre names it.
const KeysPage = "Admin › Settings › Platform › API keys"

// Facts are what a face tells once a key is connected.
func (c Connected) Facts() []Fact {
	u := c.Identity.User
	facts := []Fact{{Label: "Owner", Value: Owner(u.Name, u.Email)}}
	if u.IsAdmin {
		facts = append(facts, Fact{Label: "Role", Value: "Admin"})
	} else {
		facts = append(facts, Fact{Label: "Role", Value: "Not an admin: the key can do only what " + firstName(u) + " can", Warn: true})
	}
	ep := c.Identity.Endpoint
	where := ep.Host()
	if c.Demo { // a loopback port says nothing to the user
		where = demoLattice
	}
	facts = append(facts,
		Fact{Label: "Region", Value: ep.Region.Label() + " · " + where},
		Fact{Label: "Key", Value: c.Fingerprint + "  (match it in " + KeysPage + ")"})
	if c.Identity.SwitchedRegion {
		kept := "that is remembered for this profile."
		if c.Demo {
			kept = "the demo uses that for the rest of this run."
		}
		facts = append(facts, Fact{Value: "This key belongs to the " + ep.Region.Label() + " region; " + kept, Warn: true})
	}
	switch {
	case c.SCIMErr != nil:
		// Under the label SCIM, without saying "SCIM" again.
		facts = append(facts, Fact{Label: "SCIM", Value: strings.TrimPrefix(explainSCIM(c.SCIMErr, c.Demo, c.Profile), "SCIM "), Warn: true})
	case c.SCIM != nil && c.SCIM.Enabled:
		facts = append(facts, Fact{Label: "SCIM", Value: "enabled, and this key works with it"})
	case c.SCIM != nil:
		facts = append(facts, Fact{Label: "SCIM", Warn: true, Value: fmt.Sprintf(
			"not available (%d): turn it on in Admin › Settings › Platform › Integrations", c.SCIM.Status)})
	}
	if c.Where != "" {
		facts = append(facts, Fact{Label: "Stored in", Value: c.Where})
	}
	if c.StoreNote != "" {
		facts = append(facts, Fact{Value: c.StoreNote, Warn: true})
	}
	if c.Moved != nil {
		facts = append(facts, Fact{Value: "The replaced key was in " + storeWords(c.Moved.Kind, c.Moved.Where) +
			"; it is not kept there any more."})
	}
	if c.Doubt != nil {
		facts = append(facts, Fact{Warn: true, Value: "The key is stored (read back just now), though the store reported: " +
			sanitize.Line(c.Doubt.Error(), 300) + ". A power cut right now could lose it; if in doubt, run " + (&Link{Profile: c.Profile}).Command("status") + "."})
	}
	if w := c.OwnerChange(); w != "" { // not a second "Owner" row: the first names the new owner
		facts = append(facts, Fact{Label: "Changed", Value: strings.TrimPrefix(w, "changed: "), Warn: true})
	}
	return facts
}

// shift is how the owner changed with a rotation, as remembered of the
// replaced key; no shift when nothing was replaced.
func (c Connected) shift() OwnerShift {
	if !c.Rotated() {
		return OwnerShift{}
	}
	return OwnerShift{Before: c.Before.Owner, After: c.Identity.User}
}

// OwnerChanged reports whether a rotation's new key belongs to someone
// else than the key it replaced, as remembered; AdminChanged whether the
// admin flag differs. Both are false when no owner was remembered.
func (c Connected) OwnerChanged() bool { return c.shift().OtherPerson() }

func (c Connected) AdminChanged() bool { return c.shift().AdminChanged() }

// OwnerChange says how the owner changed with a rotation; "" when it did not.
func (c Connected) OwnerChange() string {
	w := c.shift().Words()
	if c.OwnerChanged() {
		return "changed: " + w
	}
	return w
}

// OldRejected reports whether Lattice already rejected the replaced key at
// its last check: then there is nothing left to revoke.
func (c Connected) OldRejected() bool {
	return c.Rotated() && c.Before.CheckResult == "rejected"
}

// RevokeWords says what is left to do about the replaced key, for every
// face; "" when nothing was replaced.
func (c Connected) RevokeWords(old string) string {
	switch {
	case !c.Rotated():
		return ""
	case c.OldRejected():
		return "Lattice already rejected the old key " + old + " at its last check: there is nothing left to revoke."
	}
	return "Now revoke the old key " + old + " in Lattice (" + KeysPage + "): it works until then."
}

// Summary is one line for the normal screen once a face is done, like
// gh auth login's: who the key belongs to and where it is kept.
func (c Connected) Summary(demo bool) string {
	u := c.Identity.User
	where := "stored in " + storeWords(c.StoreKind, c.Where)
	if demo {
		where = "demo: nothing was stored"
	}
	verb := "Linked"
	if c.Rotated() {
		verb = "Rotated: linked"
	}
	return fmt.Sprintf("✓ %s Lattice as %s (key %s, %s)", verb, Owner(u.Name, u.Email), c.Fingerprint, where)
}

func storeWords(kind config.StoreKind, where string) string {
	switch kind {
	case config.KeyringStore:
		return "the OS keyring"
	case config.FileStore:
		if i := strings.LastIndex(where, " ("); i > 0 {
			return where[:i] // the path, without how it is protected
		}
	}
	return where
}

// Owner is "Name <email>", or whichever of the two is known.
func Owner(name, email string) string {
	switch {
	case email == "":
		return name
	case name == "":
		return "<" + email + ">"
	}
	return name + " <" + email + ">"
}

func firstName(u lattice.User) string {
	if u.PreferredName != "" {
		return u.PreferredName
	}
	if f := strings.Fields(u.Name); len(f) > 0 {
		return f[0]
	}
	return "its owner"
}

// DemoKey is a key the demo's stand-in for Lattice knows, and what it does.
type DemoKey struct{ Key, What string }
