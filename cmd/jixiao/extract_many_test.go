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

// A workbook of several projects' forms prints one JSON line per report,
// in sheet order, each naming its sheet; a Word file beside it prints one.
func TestExtractWorkbookOfSeveralProjects(t *testing.T) {
	stdout, stderr, code := runJixiao(t, nil, "extract", "--format", "json",
		"../../testdata/corpus2/dev2-019.xlsx", "../../testdata/corpus2/dev2-019.docx")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var ext pipeline.Extraction
		if err := json.Unmarshal([]byte(line), &ext); err != nil {
			t.Fatal(err)
		}
		got = append(got, ext.Source.Format+":"+ext.Source.Sheet+":"+ext.Report.Project)
	}
	want := []string{"xlsx:表1:文化惠民演出经费", "xlsx:表2:孕产妇和儿童健康管理项目", "xlsx:表3:茶产业提质增效项目", "docx::文化惠民演出经费"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
