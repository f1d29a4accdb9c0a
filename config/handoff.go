package config

import (
	"time"

	"github.com/lattice-link/lattice-link/sanitize"
)

// MaxHandoffs is how many hand-offs a profile remembers, the newest.
const MaxHandoffs = 20

// Handoff records that a key Lattice accepted was handed to an app through
// a Nango Connect link. It names the connection the app got, never the
// session token and never the key (only its fingerprint).
type Handoff struct {
	Host         string    `json:"host"`                  // Nango's API host
	Integration  string    `json:"integration"`           // the app's Lattice integration (providerConfigKey)
	ConnectionID string    `json:"connection_id"`         // the connection the app uses
	Updated      bool      `json:"updated,omitempty"`     // a reconnect link replaced the key of an existing connection
	At           time.Time `json:"at"`                    // when Nango confirmed
	Fingerprint  string    `json:"fingerprint,omitempty"` // the key's fingerprint ("••••7f3c")
}

// Action is "updated" for a reconnect, else "created".
func (h Handoff) Action() string {
	if h.Updated {
		return "updated"
	}
	return "created"
}

// cleanHandoffs makes remembered hand-offs safe to show: anyone who can
// write state.json could put escape sequences in them. Entries without a
// connection id say nothing and are dropped; only the newest MaxHandoffs
// are kept. It returns a new slice, never the one given.
func cleanHandoffs(list []Handoff) []Handoff {
	var out []Handoff
	for _, h := range list {
		h.Host = sanitize.Line(h.Host, 255)
		h.Integration = sanitize.Line(h.Integration, 255)
		h.ConnectionID = sanitize.Line(h.ConnectionID, 200)
		h.Fingerprint = sanitize.Line(h.Fingerprint, 20)
		if h.ConnectionID == "" {
			continue
		}
		out = append(out, h)
	}
	if len(out) > MaxHandoffs {
		out = out[len(out)-MaxHandoffs:]
	}
	return out
}
