package link

import (
	"fmt"
	"strings"

	"github.com/lattice-link/lattice-link/lattice"
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
	facts = append(facts,
		Fact{Label: "Region", Value: ep.Region.Label() + " · " + ep.Host()},
		Fact{Label: "Key", Value: c.Fingerprint + "  (match it in " + KeysPage + ")"})
	if c.Identity.SwitchedRegion {
		facts = append(facts, Fact{Value: "This key belongs to the " + ep.Region.Label() +
			" region; that is remembered for this profile.", Warn: true})
	}
	switch {
	case c.SCIMErr != nil:
		facts = append(facts, Fact{Label: "SCIM", Value: lattice.ExplainSCIM(c.SCIMErr), Warn: true})
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
	return facts
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

func storeWords(kind, where string) string {
	switch kind {
	case "keyring":
		return "the OS keyring"
	case "file":
		return strings.TrimSuffix(where, " (mode 0600)")
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
