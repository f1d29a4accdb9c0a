//go:build !windows

package procguard

func sameEnvName(a, b string) bool { return a == b }
