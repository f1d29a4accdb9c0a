package link

import (
	"strings"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

func TestLooksSecret(t *testing.T) {
	link := "https://connect.nango.dev/?session_token=nango_connect_session_" + strings.Repeat("ab12", 16)
	for in, want := range map[string]Secret{
		"3f2b8c1e-9a4d-4e1b-8f2a-6c7d8e9f0a11":                LatticeKey,
		"Bearer 3f2b8c1e-9a4d-4e1b-8f2a-6c7d8e9f0a11":         LatticeKey,
		latticedemo.KeyAdmin:                                  LatticeKey,
		"sk_live_51H8xK2eZvKYlo2C0aBcD3eF4":                   LatticeKey,
		link:                                                  ConnectLink,
		"nango_connect_session_" + strings.Repeat("ab12", 16): ConnectLink,
		"https://connect.nango.dev/?session_token=abc":        ConnectLink,
		"":                                   NoSecret,
		"Acme Inc.":                          NoSecret,
		"acme.latticehq.com":                 NoSecret,
		"https://acme.latticehq.com/admin":   NoSecret,
		"Q4-2026-through-2027-rollout":       NoSecret,
		"Export TPS reports to the payroll":  NoSecret,
		"2":                                  NoSecret,
		"this-month-or-the-next-one-at-most": NoSecret,
		"grace.hopper@initech.example":       NoSecret,
		"a1b2c3d4.latticehq.com":             NoSecret,
	} {
		if got := LooksSecret(in); got != want {
			t.Errorf("LooksSecret(%q) = %d, want %d", in, got, want)
		}
	}
}
