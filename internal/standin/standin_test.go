package standin

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"testing"
)

// The test binary stands in for lattice-link: run with STANDIN_HELPER set,
// it prints and exits as that says.
func TestMain(m *testing.M) {
	if os.Getenv("STANDIN_HELPER") == "exit 3" {
		fmt.Print("out")
		fmt.Fprint(os.Stderr, "err")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestStartPointsTheBinaryAtTheStandIns(t *testing.T) {
	s := Start()
	defer s.Close()
	if env := s.Env(); !slices.Equal(env, []string{"LATTICE_API_URL=" + s.Lattice.URL}) {
		t.Errorf("without Nango: %q", env)
	}
	s.StartNango()
	if env := s.Env(); !slices.Equal(env, []string{"LATTICE_API_URL=" + s.Lattice.URL, "NANGO_SERVER_URL=" + s.Nango.URL}) {
		t.Errorf("with Nango: %q", env)
	}
	for _, url := range []string{s.Lattice.URL, s.Nango.URL} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		resp.Body.Close()
	}
	s.Close()
	if _, err := http.Get(s.Lattice.URL); err == nil {
		t.Error("the stand-in for Lattice still answers after Close")
	}
	if _, err := http.Get(s.Nango.URL); err == nil {
		t.Error("the stand-in for Nango still answers after Close")
	}
}

func TestRunGivesTheExitCodeAndWhatWasPrinted(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "STANDIN_HELPER=exit 3")
	r, err := Run(cmd, "")
	if err != nil || r != (Result{Code: 3, Stdout: "out", Stderr: "err"}) {
		t.Errorf("Run: %v, %v", r, err)
	}
	if want := `exit 3, stdout "out", stderr "err"`; r.String() != want {
		t.Errorf("String: %s, want %s", r, want)
	}
	if _, err := Run(exec.Command("/no/such/program"), ""); err == nil {
		t.Error("a program that cannot run is no error")
	}
}
