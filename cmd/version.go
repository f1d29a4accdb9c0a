package cmd

import (
	"runtime/debug"
	"strings"
)

// A release build is stamped by GoReleaser (.goreleaser.yaml) with
//
//	-X github.com/lattice-link/lattice-link/cmd.version=1.2.3
//	-X github.com/lattice-link/lattice-link/cmd.commit=<full hash>
//	-X github.com/lattice-link/lattice-link/cmd.date=<commit date, RFC 3339>
//
// Any other build describes itself from what Go recorded in it.
var version, commit, date string

// build is what is known about how this binary was made.
type build struct {
	name    string // the version: 1.2.3, a commit (…-dirty), or dev
	commit  string // the commit of a release, when known
	date    string // when that commit was made, when known
	dirty   bool   // built from a checkout with uncommitted changes
	fromVCS bool   // name is a checkout's commit, not a version
}

// Version is the short version: for the User-Agent and scripts.
func Version() string { return thisBuild().name }

// versionText is what --version prints after "lattice-link version ".
func versionText() string { return thisBuild().text() }

func thisBuild() build {
	if version != "" {
		return build{name: strings.TrimPrefix(version, "v"), commit: commit, date: date}
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return build{name: "dev"}
	}
	return buildOf(info)
}

// buildOf reads a binary's build information:
//   - go install …@v1.2.3 records the module version and no commit: 1.2.3;
//   - a build in a clean checkout at a tag v1.2.3 records both: 1.2.3,
//     with its commit and date;
//   - any other checkout build (Go records a pseudo-version such as
//     v0.0.0-20261127112437-8219dd095ab4+dirty): its commit, shortened, with
//     -dirty when the tree had uncommitted changes;
//   - nothing recorded (go build -buildvcs=false, go run): dev.
func buildOf(info *debug.BuildInfo) build {
	var rev, at string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	mod := info.Main.Version
	if mod == "(devel)" {
		mod = ""
	}
	short := rev[:min(len(rev), 12)]
	pseudo := rev != "" && strings.Contains(mod, short)
	switch {
	case mod != "" && !dirty && !pseudo:
		return build{name: strings.TrimPrefix(mod, "v"), commit: rev, date: at}
	case rev != "":
		b := build{name: short, date: at, dirty: dirty, fromVCS: true}
		if dirty {
			b.name += "-dirty"
		}
		return b
	}
	return build{name: "dev"}
}

// text words the build for --version: the version, then what else is known.
func (b build) text() string {
	var more []string
	switch {
	case b.fromVCS:
		more = append(more, "git commit")
	case b.commit != "":
		more = append(more, "commit "+b.commit[:min(len(b.commit), 12)])
	}
	if b.date != "" {
		more = append(more, b.date)
	}
	if b.dirty {
		more = append(more, "with uncommitted changes")
	}
	if len(more) == 0 {
		return b.name
	}
	return b.name + " (" + strings.Join(more, ", ") + ")"
}
