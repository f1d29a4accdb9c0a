package cmd

import (
	"runtime/debug"
	"strings"
)

// version can be set at build time with -ldflags "-X
// github.com/lattice-link/lattice-link/cmd.version=…"; otherwise it comes
// from the build itself.
var version = ""

// Version is the module version for go install …@version, else the git
// revision the binary was built from (short, "-dirty" when the tree had
// changes) and its time, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return versionOf(info)
}

func versionOf(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev == "" {
		return "dev"
	}
	v := "dev-" + rev[:min(len(rev), 12)] + dirty
	if at != "" {
		v += " (" + strings.TrimSuffix(at, "Z") + "Z)"
	}
	return v
}
