//go:build linux

// The start-up and memory benchmarks read peak RSS from Linux's rusage.

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// startupProgram is one program BenchmarkStartup starts, and the text on
// the last line of its first full frame.
type startupProgram struct {
	name, bin, lastText string
	times               []time.Duration
}

// startupBinaries returns lattice-link and the two yardsticks. scripts/perf
// builds all three the same way into $LATTICE_LINK_BENCH_BIN; without it,
// the yardsticks are built here the way TestMain builds lattice-link.
func startupBinaries(b *testing.B) []*startupProgram {
	dir, lattice := os.Getenv("LATTICE_LINK_BENCH_BIN"), binary
	if dir != "" {
		lattice = filepath.Join(dir, "lattice-link")
	} else {
		dir = b.TempDir()
		for _, name := range []string{"minimal", "glamour"} {
			if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, name), "../bench/"+name).CombinedOutput(); err != nil {
				b.Fatal(string(out))
			}
		}
	}
	return []*startupProgram{
		{name: "minimal Bubble Tea", bin: filepath.Join(dir, "minimal"), lastText: "press any key to quit"},
		{name: "Bubble Tea + glamour", bin: filepath.Join(dir, "glamour"), lastText: "press any key to quit"},
		{name: "lattice-link", bin: lattice, lastText: "q quit"},
	}
}

// BenchmarkStartup measures the time from starting a process to its first
// full frame in an 80×24 pseudo-terminal (the last line of the frame drawn
// on an emulated screen), for lattice-link and two yardsticks in the same
// run: bench/minimal, the smallest Bubble Tea program, and bench/glamour,
// which also renders one step of the guide with glamour. Every iteration
// starts each of the three once, in turn, the order rotating, so a change
// in the machine's load falls on all three alike. It reports each
// program's median in ms and lattice-link's median over each yardstick's,
// and logs the spread.
func BenchmarkStartup(b *testing.B) {
	progs := startupBinaries(b)
	e := newSandbox(b)
	start := func(p *startupProgram) time.Duration {
		t0 := time.Now()
		term := e.terminalOf(p.bin, 80, 24)
		term.waitFor(p.lastText)
		d := time.Since(t0)
		term.typeText("q")
		term.exit()
		return d
	}
	for _, p := range progs { // once each, untimed: the binaries into the page cache
		start(p)
	}
	round := 0
	for b.Loop() {
		for i := range progs {
			p := progs[(round+i)%len(progs)]
			p.times = append(p.times, start(p))
		}
		round++
	}

	minimal, glamour, lattice := progs[0], progs[1], progs[2]
	var log strings.Builder
	fmt.Fprintf(&log, "time to first frame, %d runs each, 80×24 pseudo-terminal:\n", round)
	fmt.Fprintf(&log, "  %-22s %9s %9s %9s %9s %9s\n", "program", "median", "p10", "p90", "min", "max")
	for _, p := range progs {
		s := sortedMs(p.times)
		fmt.Fprintf(&log, "  %-22s %6.1f ms %6.1f ms %6.1f ms %6.1f ms %6.1f ms\n",
			p.name, quantile(s, 0.5), quantile(s, 0.1), quantile(s, 0.9), s[0], s[len(s)-1])
	}
	for _, floor := range []*startupProgram{minimal, glamour} {
		ratio := quantile(sortedMs(lattice.times), 0.5) / quantile(sortedMs(floor.times), 0.5)
		// The same ratio run by run (each run of lattice-link over the run of
		// the yardstick in the same round) says how much it moves.
		paired := make([]float64, round)
		for i := range paired {
			paired[i] = ms(lattice.times[i]) / ms(floor.times[i])
		}
		slices.Sort(paired)
		fmt.Fprintf(&log, "  lattice-link / %-22s %.2f× (run by run: median %.2f×, p10 %.2f×, p90 %.2f×)\n",
			floor.name+":", ratio, quantile(paired, 0.5), quantile(paired, 0.1), quantile(paired, 0.9))
	}
	b.Log(log.String())

	b.ReportMetric(0, "ns/op")
	b.ReportMetric(quantile(sortedMs(minimal.times), 0.5), "minimal-ms")
	b.ReportMetric(quantile(sortedMs(glamour.times), 0.5), "glamour-ms")
	b.ReportMetric(quantile(sortedMs(lattice.times), 0.5), "lattice-ms")
	b.ReportMetric(quantile(sortedMs(lattice.times), 0.5)/quantile(sortedMs(minimal.times), 0.5), "x-minimal")
	b.ReportMetric(quantile(sortedMs(lattice.times), 0.5)/quantile(sortedMs(glamour.times), 0.5), "x-glamour")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func sortedMs(ds []time.Duration) []float64 {
	s := make([]float64, len(ds))
	for i, d := range ds {
		s[i] = ms(d)
	}
	slices.Sort(s)
	return s
}

// quantile is the q-quantile of sorted s, interpolating between ranks.
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
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
		term.typeText(latticedemo.KeyAdmin + "\r")
		term.waitFor("Connected to Lattice")
		term.typeText("q")
		term.exit()
		if ru, ok := term.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = max(peak, ru.Maxrss) // KiB on Linux
		}
	}
	b.ReportMetric(float64(peak)/1024, "peak-MiB")
}
