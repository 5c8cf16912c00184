package ingest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFolderOfOfficeFiles: a folder import reads Word and Excel files by
// their bytes (a .docx saved as .bin too), stores a workbook of several
// projects as all its reports, and lists every other file it skipped, with
// why.
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
	if sum.Ingested != 4 || sum.Reports != 6 || sum.Failed != 0 || len(sum.Skipped) != 1 {
		t.Fatalf("summary %+v, want 4 files of 6 reports ingested, 1 skipped", sum)
	}
	if s := sum.Skipped[0]; !strings.HasSuffix(s.Path, "notes.json") || !strings.Contains(s.Reason, "不是报告格式") {
		t.Errorf("skipped %+v", s)
	}
	var out strings.Builder
	sum.Write(&out)
	if !strings.Contains(out.String(), "跳过：") || !strings.Contains(out.String(), "notes.json") || !strings.Contains(out.String(), "新导入 4 份（共 6 份报告）") {
		t.Errorf("summary does not count the reports or list the skipped file:\n%s", out.String())
	}
	for _, f := range []string{"a.docx", "b.xlsx", "projects.xlsx"} {
		data, _ := os.ReadFile(filepath.Join(dir, f))
		d, err := st.Document(context.Background(), sha(data))
		if err != nil || d == nil || d.Format != strings.TrimPrefix(filepath.Ext(f), ".") || d.Status != "ingested" {
			t.Errorf("%s stored as %+v, %v", f, d, err)
		}
	}
}

// TestWorkbooksOfSeveralProjects: each form of a workbook is a report of
// its own, on either store; two years of one project in one workbook are
// judged against each other; reading the workbooks again keeps every
// report id, importing them again finds them present, and so does an
// upload, naming all their reports.
func TestWorkbooksOfSeveralProjects(t *testing.T) {
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			files := map[string][]string{"dev2-019.xlsx": {"表1", "表2", "表3"}, "dev2-025.xlsx": {"表1", "表2"}}
			for f := range files {
				copyFile(t, "../../testdata/corpus2/"+f, filepath.Join(dir, f))
			}
			st := openDB(t, kind.newDB(t))
			sum, err := Run(ctx, st, []string{dir}, Options{Runners: runners, Workers: 2})
			if err != nil || sum.Ingested != 2 || sum.Reports != 5 || sum.Failed != 0 {
				t.Fatalf("summary %+v, %v; want 2 files of 5 reports", sum, err)
			}
			ids := map[string][]int64{}
			for f, sheets := range files {
				data, _ := os.ReadFile(filepath.Join(dir, f))
				ids[f], err = st.ReportIDs(ctx, sha(data))
				if err != nil || len(ids[f]) != len(sheets) {
					t.Fatalf("%s: reports %v, %v; want one per sheet %v", f, ids[f], err, sheets)
				}
				for i, id := range ids[f] {
					r, err := st.Report(ctx, id)
					if err != nil || r == nil || r.Extraction.Source.Sheet != sheets[i] || r.Document.Name != f {
						t.Fatalf("%s report %d: %+v, %v; want the form of %s", f, id, r, err, sheets[i])
					}
					checkRows(t, rebound{st.DB()}, r)
				}
			}
			// dev2-025's 2020 form was judged before its 2019 form was
			// stored, then again once the batch ended: its cross-year
			// findings are those against 2019.
			later := ids["dev2-025.xlsx"][1]
			fresh, changed, err := reevaluate(ctx, st, later)
			if err != nil || changed || len(fresh) == 0 {
				t.Errorf("the 2020 form's cross-year findings: %d fresh, changed %v, %v; want those against 2019, stored", len(fresh), changed, err)
			}
			if n := countOf(t, rebound{st.DB()}, "SELECT count(*) FROM history_stale"); n != 0 {
				t.Errorf("%d stale marks left after the batch", n)
			}

			again, err := Run(ctx, st, nil, Options{Runners: runners, Workers: 2, Reprocess: true})
			if err != nil || again.Ingested != 2 || again.Reports != 5 {
				t.Fatalf("reprocess: %+v, %v", again, err)
			}
			for f := range files {
				data, _ := os.ReadFile(filepath.Join(dir, f))
				if got, _ := st.ReportIDs(ctx, sha(data)); !slices.Equal(got, ids[f]) {
					t.Errorf("%s read again: reports %v, want %v", f, got, ids[f])
				}
			}
			if present, err := Run(ctx, st, []string{dir}, Options{Runners: runners, Workers: 2}); err != nil || present.Present != 2 || present.Reports != 0 {
				t.Errorf("the same folder again: %+v, %v", present, err)
			}
			runner, release := runners()
			defer release()
			data, _ := os.ReadFile(filepath.Join(dir, "dev2-019.xlsx"))
			up, err := Upload(ctx, st, runner, "test", "再次上传.xlsx", data, false)
			if err != nil || up.Outcome != Present || !slices.Equal(up.ReportIDs, ids["dev2-019.xlsx"]) {
				t.Errorf("upload of a stored workbook: %+v, %v; want present as %v", up, err, ids["dev2-019.xlsx"])
			}
		})
	}
}
