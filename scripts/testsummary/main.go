// Command testsummary reads `go test -json` on stdin and prints what a plain
// `go test` prints (a line per package, the output of failed tests, build
// errors), then a summary: how many tests passed, failed and were skipped,
// with each skipped test's reason. It exits 1 if anything failed.
//
//	go test -json ./... | go run ./scripts/testsummary
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

type event struct {
	Action      string
	Package     string
	ImportPath  string // build events
	Test        string
	Elapsed     float64
	Output      string
	FailedBuild string
}

func main() {
	output := map[string][]string{} // package + test -> its output lines
	var passed, failed, skipped []string
	reasons := map[string]string{}
	packagesFailed := 0
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	for in.Scan() {
		var e event
		if err := json.Unmarshal(in.Bytes(), &e); err != nil {
			fmt.Println(in.Text()) // not JSON: pass it on
			continue
		}
		id := e.Package + " " + e.Test
		switch {
		case e.Action == "build-output":
			fmt.Print(e.Output)
		case e.Action == "output" && e.Test == "":
			// The package's own lines: ok, FAIL, "no test files", panics.
			if !strings.HasPrefix(e.Output, "PASS") && !strings.HasPrefix(e.Output, "=== ") {
				fmt.Print(e.Output)
			}
		case e.Action == "output":
			output[id] = append(output[id], e.Output)
		case e.Test == "":
			if e.Action == "fail" {
				packagesFailed++
			}
		case e.Action == "pass":
			passed = append(passed, id)
		case e.Action == "fail":
			failed = append(failed, id)
			// A failed subtest's output goes into its parent's, which is
			// printed when the top-level test ends.
			if parent, _, ok := cutLast(e.Test, "/"); ok {
				pid := e.Package + " " + parent
				output[pid] = append(output[pid], output[id]...)
			} else {
				fmt.Print(strings.Join(output[id], ""))
			}
		case e.Action == "skip":
			skipped = append(skipped, id)
			reasons[id] = skipReason(output[id])
		}
	}
	// Tests that never ended (a panic, a timeout) are failures: show what they said.
	var unfinished []string
	for id := range output {
		if !slices.Contains(passed, id) && !slices.Contains(failed, id) && !slices.Contains(skipped, id) {
			unfinished = append(unfinished, id)
		}
	}
	slices.Sort(unfinished)
	for _, id := range unfinished {
		fmt.Print(strings.Join(output[id], ""))
		failed = append(failed, id+" (did not finish)")
	}
	fmt.Printf("\nTests: %d passed, %d failed, %d skipped", len(passed), len(failed), len(skipped))
	if packagesFailed > 0 {
		fmt.Printf("; %d packages failed", packagesFailed)
	}
	fmt.Println()
	slices.Sort(skipped)
	for _, id := range skipped {
		fmt.Printf("  skipped %s: %s\n", id, reasons[id])
	}
	for _, id := range failed {
		fmt.Printf("  FAILED  %s\n", id)
	}
	if len(failed) > 0 || packagesFailed > 0 {
		os.Exit(1)
	}
}

// skipReason is the message t.Skip printed: the indented line before
// "--- SKIP".
func skipReason(lines []string) string {
	var reason []string
	for _, l := range lines {
		if strings.HasPrefix(l, "    ") && !strings.HasPrefix(strings.TrimSpace(l), "--- ") {
			reason = append(reason, strings.TrimSpace(l))
		}
	}
	if len(reason) == 0 {
		return "(no reason given)"
	}
	return strings.Join(reason, " ")
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}
