package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFolderOfOfficeFiles: a folder import reads Word and Excel files by
// their bytes (a .docx saved as .bin too), refuses a workbook of several
// projects with a clear reason (the store keeps one report per document),
// and lists every other file it skipped, with why.
func TestFolderOfOfficeFiles(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "../../testdata/corpus2/dev2-007.docx", filepath.Join(dir, "a.docx"))
	copyFile(t, "../../testdata/corpus2/dev2-035.xlsx", filepath.Join(dir, "b.xlsx"))
	copyFile(t, "../../testdata/corpus2/dev2-024.docx", filepath.Join(dir, "misnamed.bin"))
	copyFile(t, "../../testdata/corpus2/dev2-019.xlsx", filepath.Join(dir, "projects.xlsx"))
	os.WriteFile(filepath.Join(dir, "notes.json"), []byte(`{"a": 1}`), 0o644)
	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	sum, err := Run(context.Background(), st, []string{dir}, Options{Runners: runners, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 3 || sum.Failed != 1 || len(sum.Skipped) != 1 {
		t.Fatalf("summary %+v, want 3 ingested, 1 failed, 1 skipped", sum)
	}
	if f := sum.Failures[0]; !strings.HasSuffix(f.Path, "projects.xlsx") || !strings.Contains(f.Reason, "多份报告") {
		t.Errorf("failure %+v", f)
	}
	if s := sum.Skipped[0]; !strings.HasSuffix(s.Path, "notes.json") || !strings.Contains(s.Reason, "不是报告格式") {
		t.Errorf("skipped %+v", s)
	}
	var out strings.Builder
	sum.Write(&out)
	if !strings.Contains(out.String(), "跳过：") || !strings.Contains(out.String(), "notes.json") {
		t.Errorf("summary does not list the skipped file:\n%s", out.String())
	}
	for _, f := range []string{"a.docx", "b.xlsx"} {
		data, _ := os.ReadFile(filepath.Join(dir, f))
		d, err := st.Document(context.Background(), sha(data))
		if err != nil || d == nil || d.Format != strings.TrimPrefix(filepath.Ext(f), ".") || d.Status != "ingested" {
			t.Errorf("%s stored as %+v, %v", f, d, err)
		}
	}
}
