package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/docx"
	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/pipeline"
)

// freshStore is a SQLite store of the given corpus files, for tests that
// write to it.
func freshStore(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(testCorpus, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), data, 0o644)
	}
	db := filepath.Join(t.TempDir(), "j.db")
	st, err := openStore(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := ingest.Run(context.Background(), st, []string{dir}, ingest.Options{Runners: newRunner, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	return db
}

// A reviewer's day on the command line: show a report, mark findings,
// set its status, and write the letter; the marks survive reading the
// file again.
func TestReviewAndLetterCommands(t *testing.T) {
	db := freshStore(t, "dev-001.txt")
	file := filepath.Join(testCorpus, "dev-001.txt")
	out, err := execute(t, newReviewCmd(), "show", "--db", db, "--format", "json", file)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var v reviewView
	if err := json.Unmarshal([]byte(out), &v); err != nil || len(v.Findings) < 2 || v.State.Status != pipeline.ReviewPending {
		t.Fatalf("show: %v\n%s", err, out)
	}
	id := strconv.FormatInt(v.ReportID, 10)
	if out, err := execute(t, newReviewCmd(), "mark", "--db", db, "--reviewer", "王审核", "--comment", "与决算核对一致", id, "1", "已核实"); err != nil ||
		!strings.Contains(out, "已标记为已核实") {
		t.Fatalf("mark: %v\n%s", err, out)
	}
	if _, err := execute(t, newReviewCmd(), "mark", "--db", db, id, v.Findings[1].Key, "误报"); err != nil {
		t.Fatal(err)
	}
	if out, err := execute(t, newReviewCmd(), "status", "--db", db, "--reviewer", "王审核", id, "退回"); err != nil || !strings.Contains(out, "退回") {
		t.Fatalf("status: %v\n%s", err, out)
	}
	for _, bad := range [][]string{{"mark", id, "1", "好"}, {"mark", id, "99", "误报"}, {"status", id, "完成"}, {"show", "99999"}} {
		if _, err := execute(t, newReviewCmd(), append(bad, "--db", db)...); err == nil {
			t.Errorf("review %v should fail", bad)
		}
	}
	// Reading the file again keeps the marks.
	st, _ := openStore(db)
	ingest.Run(context.Background(), st, []string{file}, ingest.Options{Runners: newRunner, Workers: 1, Reprocess: true})
	st.Close()
	out, err = execute(t, newReviewCmd(), "show", "--db", db, id)
	if err != nil || !strings.Contains(out, "审核状态：退回（王审核") || !strings.Contains(out, "标记：已核实（王审核") ||
		!strings.Contains(out, "与决算核对一致") || !strings.Contains(out, "标记：误报") {
		t.Errorf("show after re-reading: %v\n%s", err, out)
	}

	path := filepath.Join(t.TempDir(), "意见书.docx")
	if out, err := execute(t, newLetterCmd(), "--db", db, "-o", path, "--date", "2025-03-04", id); err != nil || !strings.Contains(out, "确认的问题 1 项") {
		t.Fatalf("letter: %v\n%s", err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := docx.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"绩效自评报告审核意见书", v.Organization, v.Findings[0].Message, "审核人：王审核", "2025年3月4日"} {
		if !strings.Contains(doc.Text, s) {
			t.Errorf("the letter lacks %q", s)
		}
	}
	if strings.Contains(doc.Text, v.Findings[1].Message) {
		t.Error("the letter names the false alarm")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("letter mode %v", fi.Mode().Perm())
	}
	html, err := execute(t, newLetterCmd(), "--db", db, "--format", "html", "-o", "-", id)
	if err != nil || !strings.Contains(html, "<h1>绩效自评报告审核意见书</h1>") {
		t.Errorf("html letter: %v\n%.300s", err, html)
	}
}

// A workbook of several projects' forms is ingested as all its reports and
// the summary counts them; `review show` of the file asks which report,
// naming their numbers, and shows one by its number; the export names each
// report's sheet beside the file.
func TestIngestAndReviewAWorkbookOfSeveralReports(t *testing.T) {
	db := filepath.Join(t.TempDir(), "j.db")
	book := "../../testdata/corpus2/dev2-019.xlsx"
	out, err := execute(t, newIngestCmd(), "--db", db, book)
	if err != nil || !strings.Contains(out, "新导入 1 份（共 3 份报告）") {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	out, err = execute(t, newReviewCmd(), "show", "--db", db, book)
	if err == nil || !strings.Contains(out, "含 3 份报告（编号 1、2、3）") {
		t.Errorf("review show of the workbook: %v\n%s", err, out)
	}
	out, err = execute(t, newReviewCmd(), "show", "--db", db, "--format", "json", "2")
	var v reviewView
	if err != nil || json.Unmarshal([]byte(out), &v) != nil || v.Organization != "孝感市孝南区妇幼保健院" {
		t.Errorf("review show 2: %v\n%s", err, out)
	}
	path := filepath.Join(t.TempDir(), "out.xlsx")
	if out, err := execute(t, newExportCmd(), "--db", db, "-o", path); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("报告")
	files := map[string]bool{}
	for _, r := range rows[1:] {
		files[r[20]] = true
	}
	if len(rows) != 4 || !files["dev2-019.xlsx（工作表“表2”）"] {
		t.Errorf("报告 sheet files: %v", files)
	}
}
