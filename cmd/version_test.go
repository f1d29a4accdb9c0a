package cmd

import (
	"runtime/debug"
	"testing"
)

func TestVersionOf(t *testing.T) {
	vcs := func(rev, at, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: at}, {Key: "vcs.modified", Value: modified}}
	}
	for _, c := range []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef0123", "2026-11-27T10:00:00Z", "true")},
			"dev-0123456789ab-dirty (2026-11-27T10:00:00Z)"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("abc", "", "false")}, "dev-abc"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	} {
		if got := versionOf(&c.info); got != c.want {
			t.Errorf("%+v: %q, want %q", c.info.Main, got, c.want)
		}
	}
}
