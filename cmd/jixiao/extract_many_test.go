package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

// extract given many files reads them on every core but prints them in the
// order given, one JSON line each, and names the file it could not read
// without stopping the others.
func TestExtractManyFilesInOrder(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/corpus2/dev2-0[0-3]*.txt")
	if len(files) < 20 {
		t.Fatalf("only %d files", len(files))
	}
	bad := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(bad, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"extract", "--format", "json"}, files[:10]...)
	args = append(append(args, bad), files[10:]...)
	stdout, stderr, code := runJixiao(t, []string{"GOMAXPROCS=2"}, args...)
	if code != 1 {
		t.Errorf("exit %d, want 1 (one file unreadable)", code)
	}
	if !strings.Contains(stderr, "empty.txt") {
		t.Errorf("stderr does not name the bad file: %q", stderr)
	}
	var names []string
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var ext pipeline.Extraction
		if err := json.Unmarshal(sc.Bytes(), &ext); err != nil {
			t.Fatal(err)
		}
		names = append(names, ext.Source.Name)
	}
	if len(names) != len(files) {
		t.Fatalf("%d objects for %d readable files", len(names), len(files))
	}
	for i, f := range files {
		if names[i] != filepath.Base(f) {
			t.Errorf("object %d is %s, want %s", i, names[i], filepath.Base(f))
		}
	}
}
