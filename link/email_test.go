package link

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSaveEmailNeverOverwrites(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile(EmailFileName, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	path, err := SaveEmail("the email")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) == EmailFileName {
		t.Fatalf("saved over %s", path)
	}
	if b, _ := os.ReadFile(EmailFileName); string(b) != "mine" {
		t.Errorf("the existing file now holds %q", b)
	}
	if b, _ := os.ReadFile(path); string(b) != "the email" {
		t.Errorf("%s holds %q", path, b)
	}
}
