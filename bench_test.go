package main

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/lattice-link/lattice-link/lattice/latticetest"
)

// BenchmarkStartup measures the time from starting the process to its first
// full frame in a pseudo-terminal, for lattice-link and for a minimal Bubble
// Tea program built the same way (the goal: within 1.5× of it).
func BenchmarkStartup(b *testing.B) {
	minimal := filepath.Join(b.TempDir(), "minimal")
	if out, err := exec.Command("go", "build", "-o", minimal, "./bench/minimal").CombinedOutput(); err != nil {
		b.Fatal(string(out))
	}
	e := newSandbox(b)
	for _, c := range []struct {
		name, bin, lastText string
		args                []string
	}{
		{"minimal-bubbletea", minimal, "press any key to quit", nil},
		{"lattice-link", binary, "q quit", nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				term := e.terminalOf(c.bin, 80, 24, c.args...)
				term.waitFor(c.lastText)
				b.StopTimer()
				term.typeText("q")
				term.exit()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkFullRunPeakRSS drives a whole run in a terminal (the wizard from
// Prerequisites to a connected key) and reports the process's peak RSS.
func BenchmarkFullRunPeakRSS(b *testing.B) {
	var peak int64
	for b.Loop() {
		e := newSandbox(b)
		term := e.terminal(80, 24)
		term.waitFor("Step 1 of 5")
		for _, k := range []string{"n", "\t", "Acme\t", "Grace\t", "Sync goals\t", "\t", "soon\r", "n", "n", " ", "n"} {
			term.typeText(k)
		}
		term.waitFor("paste your Lattice API key")
		term.typeText(latticetest.KeyAdmin + "\r")
		term.waitFor("Connected to Lattice")
		term.typeText("q")
		term.exit()
		if ru, ok := term.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = max(peak, ru.Maxrss) // KiB on Linux
		}
	}
	b.ReportMetric(float64(peak)/1024, "peak-MiB")
}
