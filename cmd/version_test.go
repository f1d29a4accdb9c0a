package cmd

import (
	"runtime/debug"
	"testing"
)

func TestBuildOf(t *testing.T) {
	vcs := func(rev, at, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: at}, {Key: "vcs.modified", Value: modified}}
	}
	const rev, at = "8219dd095ab4c0ffee0123456789abcdef012345", "2026-11-27T11:24:37Z"
	for _, c := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"go install …@v1.2.3", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "1.2.3"},
		{"go install …@main", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261127112437-8219dd095ab4"}},
			"0.0.0-20261127112437-8219dd095ab4"},
		{"a clean checkout at a tag", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: vcs(rev, at, "false")},
			"1.2.3 (commit 8219dd095ab4, 2026-11-27T11:24:37Z)"},
		{"a tagged checkout with changes", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3+dirty"}, Settings: vcs(rev, at, "true")},
			"8219dd095ab4-dirty (git commit, 2026-11-27T11:24:37Z, with uncommitted changes)"},
		{"a checkout with changes", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261127112437-8219dd095ab4+dirty"}, Settings: vcs(rev, at, "true")},
			"8219dd095ab4-dirty (git commit, 2026-11-27T11:24:37Z, with uncommitted changes)"},
		{"a clean checkout after a tag", debug.BuildInfo{Main: debug.Module{Version: "v1.2.4-0.20261127112437-8219dd095ab4"}, Settings: vcs(rev, at, "false")},
			"8219dd095ab4 (git commit, 2026-11-27T11:24:37Z)"},
		{"an older Go: (devel) and the commit", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "", "false")},
			"8219dd095ab4 (git commit)"},
		{"nothing known", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	} {
		if got := buildOf(&c.info).text(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// A release build carries what GoReleaser stamped, whatever Go recorded.
func TestReleaseStamp(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	version, commit, date = "1.2.3", "0123456789abcdef0123456789abcdef01234567", "2026-12-01T10:00:00Z"
	if got, want := versionText(), "1.2.3 (commit 0123456789ab, 2026-12-01T10:00:00Z)"; got != want {
		t.Errorf("--version says %q, want %q", got, want)
	}
	if got := Version(); got != "1.2.3" {
		t.Errorf("Version() = %q, want 1.2.3 (the User-Agent's)", got)
	}
}
