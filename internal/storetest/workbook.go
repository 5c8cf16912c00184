package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/corpustest"
	"github.com/jixiao/jixiao/internal/officetest"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// workbookTests are the conformance tests of documents holding several
// reports: a workbook of several projects' forms is one document of as
// many reports, each kept, read back, replaced, versioned and marked on
// its own.
var workbookTests = []struct {
	name string
	fn   func(*testing.T, pipeline.Store)
}{
	{"AWorkbookIsOneDocumentOfAReportPerForm", workbookReadsBack},
	{"AWorkbookReadAgainKeepsItsReportIDsAndMarks", workbookReadAgain},
	{"FormsStackedOnOneSheetAreToldApart", stackedForms},
	{"AWorkbookFormIsAVersionOfItsReport", workbookFormIsAVersion},
	{"TwoYearsInOneWorkbookAreOneSeries", twoYearsInOneWorkbook},
}

// corpus2 is the second labelled corpus, which holds the workbooks.
func corpus2() string { return filepath.Join(corpus(), "..", "corpus2") }

// SaveWorkbook reads a corpus2 file through the pipeline and stores all
// its reports as one document (a workbook: one per project's form), each
// filed under the organisation, project and year of its gold label.
func SaveWorkbook(t *testing.T, st pipeline.Store, name string) ([]int64, []*pipeline.Extraction, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus2(), name))
	if err != nil {
		t.Fatal(err)
	}
	exts, err := (&run.Runner{}).Reports(context.Background(), name, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range corpustest.Documents(t, corpus2(), strings.TrimPrefix(filepath.Ext(name), ".")) {
		if filepath.Base(d.Path) != name {
			continue
		}
		e := corpustest.Pick(d.Gold, exts)
		if e == nil {
			t.Fatalf("%s: no report for the label of sheet %q", d.Name, d.Gold.Sheet)
		}
		e.Report.Organization, e.Report.Project = d.Gold.SeriesKey()
		e.Report.Year = d.Gold.Year
	}
	return saveAll(t, st, name, data, exts), exts, data
}

// saveAll stores exts as the reports of one document.
func saveAll(t *testing.T, st pipeline.Store, name string, data []byte, exts []*pipeline.Extraction) []int64 {
	t.Helper()
	ids, err := st.SaveReports(context.Background(), DocOf(name, data, exts[0]), data, exts)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(exts) {
		t.Fatalf("SaveReports of %d reports returned %d ids", len(exts), len(ids))
	}
	return ids
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// dev2-019.xlsx holds three bodies' forms of 2021, one per sheet.
func workbookReadsBack(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	ids, exts, data := SaveWorkbook(t, st, "dev2-019.xlsx")
	if len(ids) != 3 || ids[0] == ids[1] || ids[1] == ids[2] || ids[0] == ids[2] {
		t.Fatalf("report ids %v, want three different ones", ids)
	}
	if got, err := st.ReportIDs(ctx, sum(data)); err != nil || !slices.Equal(got, ids) {
		t.Errorf("ReportIDs = %v, %v; want %v", got, err, ids)
	}
	for i, id := range ids {
		rep, err := st.Report(ctx, id)
		if err != nil || rep == nil {
			t.Fatalf("Report(%d) = %v, %v", id, rep, err)
		}
		want, _ := json.Marshal(exts[i])
		have, _ := json.Marshal(rep.Extraction)
		if string(want) != string(have) || rep.Text != exts[i].Text {
			t.Errorf("report %d (sheet %s) does not read back as saved", id, exts[i].Source.Sheet)
		}
		if rep.Document.SHA256 != sum(data) || rep.Extraction.Source.Sheet != "表"+string(rune('1'+i)) {
			t.Errorf("report %d: document %s, sheet %q", id, rep.Document.Name, rep.Extraction.Source.Sheet)
		}
	}
	list, n, err := st.Reports(ctx, pipeline.ReportFilter{})
	if err != nil || n != 3 || list[0].DocumentID != list[1].DocumentID || list[1].DocumentID != list[2].DocumentID {
		t.Errorf("Reports = %+v (%d), %v; want three of one document", list, n, err)
	}
	if d, err := st.Document(ctx, sum(data)); err != nil || d == nil || d.Status != pipeline.StatusIngested || d.Format != "xlsx" {
		t.Errorf("Document = %+v, %v", d, err)
	}
	if orig, err := st.Original(ctx, sum(data)); err != nil || string(orig) != string(data) {
		t.Errorf("original not kept: %v", err)
	}
	if hits, err := st.Search(ctx, "茶产业提质增效", 10); err != nil || len(hits) != 1 || hits[0].ReportID != ids[2] {
		t.Errorf("Search finds %+v, %v; want the third form's report %d", hits, err, ids[2])
	}
	org, project := exts[1].Report.Organization, exts[1].Report.Project
	if points, err := st.Trend(ctx, org, project); err != nil || len(points) != 1 || points[0].ReportID != ids[1] {
		t.Errorf("Trend(%s, %s) = %+v, %v", org, project, points, err)
	}
	if err := st.SaveFailure(ctx, DocOf("dev2-019.xlsx", data, exts[0]), data, "later failure"); err != nil {
		t.Fatal(err)
	}
	if n := total(t, st, pipeline.ReportFilter{}); n != 3 {
		t.Errorf("a later failure left %d reports of the workbook", n)
	}
	if got, err := st.ReportIDs(ctx, strings.Repeat("0", 64)); err != nil || len(got) != 0 {
		t.Errorf("ReportIDs of an unknown document = %v, %v", got, err)
	}
}

// Saving a workbook again (an extractor upgrade) keeps each report's id by
// its place, whatever the order; its marks and status stay with it; a form
// no longer read goes; two reports at one place are refused.
func workbookReadAgain(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	ids, exts, data := SaveWorkbook(t, st, "dev2-019.xlsx")
	vs, _ := st.Versions(ctx, ids[1])
	if len(exts[1].Findings) == 0 {
		t.Fatal("the second form should raise a finding")
	}
	m := pipeline.MarkOf(ids[1], exts[1].Findings[0])
	m.Status, m.Reviewer = pipeline.MarkFalseAlarm, "王审核"
	if err := st.SetMark(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := st.SetReviewState(ctx, pipeline.ReviewState{ReportID: ids[1], Status: pipeline.ReviewReturned, Reviewer: "王审核"}); err != nil {
		t.Fatal(err)
	}

	again := saveAll(t, st, "dev2-019.xlsx", data, []*pipeline.Extraction{exts[2], exts[0], exts[1]})
	if want := []int64{ids[2], ids[0], ids[1]}; !slices.Equal(again, want) {
		t.Fatalf("read again in another order: ids %v, want %v", again, want)
	}
	if vs2, _ := st.Versions(ctx, ids[1]); len(vs) != 1 || len(vs2) != 1 || vs2[0].ID != vs[0].ID {
		t.Errorf("versions %+v → %+v, want the one version under its id", vs, vs2)
	}
	if marks, err := st.Marks(ctx, ids[1]); err != nil || len(marks) != 1 || marks[0].Key != m.Key {
		t.Errorf("marks after reading again: %+v, %v", marks, err)
	}
	if marks, _ := st.Marks(ctx, ids[0]); len(marks) != 0 {
		t.Errorf("another form's report has the mark: %+v", marks)
	}
	if s, _ := st.ReviewState(ctx, ids[1]); s.Status != pipeline.ReviewReturned {
		t.Errorf("status after reading again: %+v", s)
	}
	if n := total(t, st, pipeline.ReportFilter{}); n != 3 {
		t.Errorf("%d reports after reading the workbook again, want 3", n)
	}
	if hits, _ := st.Search(ctx, "茶产业提质增效", 10); len(hits) != 1 {
		t.Errorf("search after reading again: %+v", hits)
	}

	// A reading that no longer finds the third form removes its report.
	fewer := saveAll(t, st, "dev2-019.xlsx", data, exts[:2])
	if !slices.Equal(fewer, ids[:2]) {
		t.Errorf("ids %v, want %v", fewer, ids[:2])
	}
	if r, err := st.Report(ctx, ids[2]); err != nil || r != nil {
		t.Errorf("the form no longer read is still report %d: %v", ids[2], err)
	}
	if got, _ := st.ReportIDs(ctx, sum(data)); !slices.Equal(got, ids[:2]) {
		t.Errorf("ReportIDs = %v, want %v", got, ids[:2])
	}
	if hits, _ := st.Search(ctx, "茶产业提质增效", 10); len(hits) != 0 {
		t.Errorf("search finds the removed report: %+v", hits)
	}

	twice := []*pipeline.Extraction{exts[0], exts[0]}
	if _, err := st.SaveReports(ctx, DocOf("dev2-019.xlsx", data, exts[0]), data, twice); err == nil {
		t.Error("two reports at one place were saved")
	}
	if _, err := st.SaveReports(ctx, DocOf("dev2-019.xlsx", data, exts[0]), data, nil); err == nil {
		t.Error("a document of no report was saved")
	}
	if n := total(t, st, pipeline.ReportFilter{}); n != 2 {
		t.Errorf("a refused save changed the store: %d reports", n)
	}
}

var stacked = []officetest.Form{
	{Project: "乡村道路养护经费", Org: "某县交通运输局", Dept: "某县交通运输局", Year: 2023, Planned: 251.89, Adjusted: 251.89, Executed: 240.5, Score: 95.5},
	{Project: "农村饮水安全工程", Org: "某县水利局", Dept: "某县水利局", Year: 2023, Planned: 100, Adjusted: 120, Executed: 120, Score: 98},
	{Project: "农村公路建设项目", Org: "某县交通运输局", Dept: "某县交通运输局", Year: 2023, Planned: 80, Adjusted: 80, Executed: 76, Score: 92},
}

// Two forms stacked on one sheet share the sheet's name: their place on it
// tells them apart, and keeps their ids when read again.
func stackedForms(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	data := officetest.Workbook(t, func(f *excelize.File) {
		f.SetSheetName("Sheet1", "汇总")
		next := officetest.WriteForm(t, f, "汇总", 1, stacked[0])
		officetest.WriteForm(t, f, "汇总", next+2, stacked[1])
		f.NewSheet("表3")
		officetest.WriteForm(t, f, "表3", 1, stacked[2])
	})
	exts, err := (&run.Runner{}).Reports(ctx, "stacked.xlsx", data)
	if err != nil || len(exts) != 3 {
		t.Fatalf("%d reports, %v", len(exts), err)
	}
	ids := saveAll(t, st, "stacked.xlsx", data, exts)
	for i, want := range []string{"汇总#1", "汇总#2", "表3#0"} {
		rep, err := st.Report(ctx, ids[i])
		if err != nil || rep == nil {
			t.Fatalf("Report(%d): %v", ids[i], err)
		}
		src := rep.Extraction.Source
		if got := src.Sheet + "#" + string(rune('0'+src.Form)); got != want || rep.Extraction.Report.Project != stacked[i].Project {
			t.Errorf("report %d at %s of %q, want %s of %q", ids[i], got, rep.Extraction.Report.Project, want, stacked[i].Project)
		}
	}
	if again := saveAll(t, st, "stacked.xlsx", data, exts); !slices.Equal(again, ids) {
		t.Errorf("read again: ids %v, want %v", again, ids)
	}
}

// A workbook's form and the same report sent alone (its Word twin) are two
// versions of one report; reading the workbook again leaves the later
// version standing for it. When a reading of the workbook no longer finds
// that form, its first version goes, and the report keeps its id, its
// other version and its marks.
func workbookFormIsAVersion(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	ids, exts, data := SaveWorkbook(t, st, "dev2-019.xlsx")
	first := exts[0].Report
	word, err := os.ReadFile(filepath.Join(corpus2(), "dev2-019.docx"))
	if err != nil {
		t.Fatal(err)
	}
	g := as(first.Organization, first.Project, first.Year)
	id, _, _ := SaveBytes(t, st, "dev2-019.docx", word, g)
	if id != ids[0] {
		t.Fatalf("the Word twin is report %d, want the workbook form's %d", id, ids[0])
	}
	vs, err := st.Versions(ctx, id)
	if err != nil || len(vs) != 2 || vs[0].Document.Name != "dev2-019.xlsx" || !vs[1].Latest || vs[1].Document.Name != "dev2-019.docx" {
		t.Fatalf("Versions = %+v, %v", vs, err)
	}
	if n := total(t, st, pipeline.ReportFilter{}); n != 3 {
		t.Errorf("%d reports, want the workbook's 3", n)
	}
	saveAll(t, st, "dev2-019.xlsx", data, exts)
	if rep, _ := st.Report(ctx, id); rep == nil || rep.Document.Name != "dev2-019.docx" {
		t.Errorf("after reading the workbook again, report %d shows %+v; want the Word version", id, rep)
	}
	if got, _ := st.ReportIDs(ctx, sum(data)); !slices.Equal(got, ids) {
		t.Errorf("the workbook's reports are %v, want %v", got, ids)
	}

	if len(exts[0].Findings) == 0 {
		t.Fatal("the first form should raise a finding")
	}
	m := pipeline.MarkOf(id, exts[0].Findings[0])
	m.Status = pipeline.MarkConfirmed
	if err := st.SetMark(ctx, m); err != nil {
		t.Fatal(err)
	}
	saveAll(t, st, "dev2-019.xlsx", data, exts[1:])
	rep, err := st.Report(ctx, id)
	if err != nil || rep == nil || rep.ID != id || rep.Document.Name != "dev2-019.docx" {
		t.Fatalf("report %d once the workbook no longer holds its form: %+v, %v", id, rep, err)
	}
	if vs, _ := st.Versions(ctx, id); len(vs) != 1 || vs[0].Document.Name != "dev2-019.docx" || !vs[0].Latest {
		t.Errorf("versions: %+v, want the Word one", vs)
	}
	if marks, _ := st.Marks(ctx, id); len(marks) != 1 {
		t.Errorf("marks: %+v, want the one made", marks)
	}
	if err := st.SetReviewState(ctx, pipeline.ReviewState{ReportID: id, Status: pipeline.ReviewDone}); err != nil {
		t.Errorf("status of report %d: %v", id, err)
	}
	if list, n, _ := st.Reports(ctx, pipeline.ReportFilter{}); n != 3 || !hasID(list, id) {
		t.Errorf("Reports = %+v (%d), want report %d among three", list, n, id)
	}
}

// dev2-025.xlsx holds two years of one body's project: they are two years
// of one series, each a report of its own.
func twoYearsInOneWorkbook(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	ids, exts, _ := SaveWorkbook(t, st, "dev2-025.xlsx")
	if len(ids) != 2 || ids[0] == ids[1] {
		t.Fatalf("ids %v", ids)
	}
	org, project := exts[0].Report.Organization, exts[0].Report.Project
	points, err := st.Trend(ctx, org, project)
	if err != nil || len(points) != 2 || points[0].Year != 2019 || points[0].ReportID != ids[0] || points[1].ReportID != ids[1] {
		t.Errorf("Trend = %+v, %v", points, err)
	}
	earlier, err := st.EarlierReports(ctx, org, 2020)
	if err != nil || len(earlier) != 1 || earlier[0].ID != ids[0] {
		t.Errorf("EarlierReports(2020) = %d reports, %v; want the workbook's 2019 form", len(earlier), err)
	}
}
