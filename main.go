// lattice-link takes a Lattice admin from "no API access" to a verified,
// safely stored Lattice API key, and back again when the key is rotated.
// The command line is in cmd/; see the README's "How it is built".
package main

import (
	"os"

	"github.com/lattice-link/lattice-link/cmd"
)

func main() { os.Exit(cmd.Execute()) }
