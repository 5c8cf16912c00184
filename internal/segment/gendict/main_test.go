package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The committed compact dictionary must be what gendict makes from gse's
// dictionary and the current confusables list: a new confusable needs the
// correct words around it in the dictionary (run `go generate
// ./internal/segment`).
func TestCompactDictionaryIsCurrent(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		t.Skipf("gse module directory unknown: %v", err)
	}
	got, err := generate(strings.TrimSpace(string(out)), "../../../dictionaries/confusables.tsv")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../../dictionaries/zh_compact.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("dictionaries/zh_compact.txt is stale: run go generate ./internal/segment")
	}
}
