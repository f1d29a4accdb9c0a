package procguard

import "strings"

// Windows environment names are case-insensitive: "Lattice_Api_Key" reaches
// a child as the same variable.
func sameEnvName(a, b string) bool { return strings.EqualFold(a, b) }
