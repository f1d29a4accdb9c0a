//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cmd

import (
	"errors"
	"os"
)

// echoOff is not available here: readSecret lets x/term turn echo off.
func echoOff(*os.File) (func(), error) { return nil, errors.New("unsupported") }
