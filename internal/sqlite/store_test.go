package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/corpustest"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

const corpus = "../../testdata/corpus"

func openTemp(t *testing.T) *Store {
	t.Helper()
	st, err := Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// save reads a corpus file through the pipeline and stores it.
func save(t *testing.T, st *Store, name string) (int64, *pipeline.Extraction, []byte) {
	t.Helper()
	return saveAs(t, st, name, nil)
}

// saveAs stores a corpus file with the organisation, project and year of its
// gold label when g is given: the series tests check the store's grouping,
// not the extractor's reading of names (shared/tools/score grades that).
func saveAs(t *testing.T, st *Store, name string, g *gold) (int64, *pipeline.Extraction, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus, name))
	if err != nil {
		t.Fatal(err)
	}
	r := &run.Runner{}
	ext, err := r.File(context.Background(), name, data)
	if err != nil {
		t.Fatal(err)
	}
	if g != nil {
		ext.Report.Organization, ext.Report.Project = g.SeriesKey()
		ext.Report.Year = g.Year
	}
	id, err := st.SaveReport(context.Background(), docOf(name, data, ext), data, ext)
	if err != nil {
		t.Fatal(err)
	}
	return id, ext, data
}

func docOf(name string, data []byte, ext *pipeline.Extraction) pipeline.Document {
	sum := sha256.Sum256(data)
	return pipeline.Document{SHA256: hex.EncodeToString(sum[:]), Name: name, Format: ext.Source.Format,
		Extractor: ext.Source.Extractor, Size: int64(len(data)), ExtractorVersion: "test"}
}

func count(t *testing.T, st *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.db.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSaveReportReadsBackTheSameExtraction(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	id, ext, data := save(t, st, "dev-001.txt")
	got, err := st.Report(ctx, id)
	if err != nil || got == nil {
		t.Fatalf("Report(%d) = %v, %v", id, got, err)
	}
	want, _ := json.Marshal(ext)
	have, _ := json.Marshal(got.Extraction)
	if string(want) != string(have) {
		t.Errorf("stored extraction differs:\nwant %s\nhave %s", want, have)
	}
	if got.Text != ext.Text || got.Extraction.Text != ext.Text {
		t.Error("stored text differs from the normalised text")
	}
	for i, s := range ext.Report.Sections {
		if got.Extraction.Report.Sections[i].Offset != s.Offset {
			t.Errorf("section %d offset %d, want %d", i, got.Extraction.Report.Sections[i].Offset, s.Offset)
		}
	}
	orig, err := st.Original(ctx, got.Document.SHA256)
	if err != nil || string(orig) != string(data) {
		t.Errorf("original bytes not kept: %v", err)
	}
	rows := map[string]int{
		"line_items":  len(ext.Report.LineItems),
		"indicators":  len(ext.Report.Indicators),
		"problems":    len(ext.Report.Problems),
		"suggestions": len(ext.Report.Suggestions),
		"sections":    len(ext.Report.Sections),
		"findings":    len(ext.Findings),
		"breakdowns":  len(ext.Report.Breakdowns),
	}
	for table, n := range rows {
		if got := count(t, st, "SELECT count(*) FROM "+table+" WHERE report_id = ?", id); got != n {
			t.Errorf("%s: %d rows, want %d", table, got, n)
		}
	}
	if len(ext.Report.Problems) == 0 || len(ext.Report.Indicators) == 0 {
		t.Fatalf("dev-001 should extract problems and indicators; got %d, %d", len(ext.Report.Problems), len(ext.Report.Indicators))
	}
	if ext.Report.Budget.Planned == nil || count(t, st, "SELECT planned_fen FROM reports WHERE id = ?", id) != int(ext.Report.Budget.Planned.Fen) {
		t.Error("planned budget not stored in fen")
	}
}

func TestSaveReportTwiceKeepsOneReport(t *testing.T) {
	st := openTemp(t)
	first, _, _ := save(t, st, "dev-002.txt")
	// Once indexed, then saved again: the index row is replaced too.
	if err := st.IndexPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	second, _, _ := save(t, st, "dev-002.txt")
	if n := count(t, st, "SELECT count(*) FROM reports"); n != 1 {
		t.Fatalf("%d reports after saving the same document twice", n)
	}
	if err := st.IndexPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := count(t, st, "SELECT count(*) FROM report_fts"); n != 1 {
		t.Errorf("%d full-text rows, want 1", n)
	}
	if _, err := st.db.Exec("INSERT INTO report_fts (report_fts) VALUES ('integrity-check')"); err != nil {
		t.Errorf("FTS integrity-check: %v", err)
	}
	if count(t, st, "SELECT count(*) FROM reports WHERE id = ?", second) != 1 || count(t, st, "SELECT count(*) FROM documents") != 1 {
		t.Errorf("the second save (report %d, first %d) should replace the first extraction", second, first)
	}
}

func TestFailureIsKeptWithReasonAndNeverReplacesAReport(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	junk := []byte{0, 1, 2, 0xff, 0xfe}
	sum := sha256.Sum256(junk)
	doc := pipeline.Document{SHA256: hex.EncodeToString(sum[:]), Name: "junk.bin", Size: 5}
	if err := st.SaveFailure(ctx, doc, junk, "not a text file"); err != nil {
		t.Fatal(err)
	}
	d, err := st.Document(ctx, doc.SHA256)
	if err != nil || d == nil || d.Status != pipeline.StatusFailed || d.Error != "not a text file" {
		t.Fatalf("failed document stored as %+v, %v", d, err)
	}
	if orig, _ := st.Original(ctx, doc.SHA256); string(orig) != string(junk) {
		t.Error("original bytes of a failure not kept")
	}
	_, ext, data := save(t, st, "dev-003.txt")
	if err := st.SaveFailure(ctx, docOf("dev-003.txt", data, ext), data, "later failure"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, st, "SELECT count(*) FROM reports"); n != 1 {
		t.Errorf("a failure removed a stored report (%d reports)", n)
	}
	if d, _ := st.Document(ctx, docOf("dev-003.txt", data, ext).SHA256); d.Status != pipeline.StatusIngested {
		t.Errorf("status %q after a later failure, want ingested", d.Status)
	}
	if d, _ := st.Document(ctx, strings.Repeat("0", 64)); d != nil {
		t.Error("Document of an unknown sha256 should be nil")
	}
}

func TestReopenKeepsDataAndDoesNotReapplyMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	save(t, st, "dev-004.txt")
	st.Close()
	st, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n := count(t, st, "SELECT count(*) FROM reports"); n != 1 {
		t.Errorf("%d reports after reopening, want 1", n)
	}
	if n := count(t, st, "SELECT count(*) FROM schema_migrations"); n < 1 {
		t.Error("no migration recorded")
	}
	var mode string
	st.db.Get(&mode, "PRAGMA journal_mode")
	var fk int
	st.db.Get(&fk, "PRAGMA foreign_keys")
	if mode != "wal" || fk != 1 {
		t.Errorf("journal_mode %q foreign_keys %d, want wal and 1", mode, fk)
	}
}

// goldSeries reads the gold labels of the corpus by series key.
func goldSeries(t *testing.T) map[string][]gold {
	return corpustest.BySeries(corpustest.Load(t, corpus, "dev-*.gold.json"))
}

// gold is a labelled report of the corpus.
type gold = corpustest.Gold

// Trend gives one point per year of the series, oldest first, with the
// figures each year's report states; the latest ingested report stands for
// a year read twice.
func TestTrendFollowsTheSeriesYearByYear(t *testing.T) {
	st := openTemp(t)
	series := goldSeries(t)
	key := "宁夏回族自治区文化和旅游厅|公共文化服务体系建设专项"
	gs := series[key]
	if len(gs) < 5 {
		t.Fatalf("series %s has %d reports in the corpus", key, len(gs))
	}
	exts := map[int]*pipeline.Extraction{}
	for i := range gs {
		_, ext, _ := saveAs(t, st, gs[i].File, &gs[i])
		exts[gs[i].Year] = ext
	}
	// Another project and the department of the same body stay out.
	for _, other := range series["宁夏回族自治区文化和旅游厅|"] {
		saveAs(t, st, other.File, &other)
	}
	// The same year read again (another copy) replaces that year's point.
	again := gs[2]
	data, _ := os.ReadFile(filepath.Join(corpus, again.File))
	data = append(data, []byte("\n（复印件）\n")...)
	copyPath := filepath.Join(t.TempDir(), "copy.txt")
	os.WriteFile(copyPath, data, 0o644)
	ext2, err := (&run.Runner{}).File(context.Background(), "copy.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	ext2.Report.Organization, ext2.Report.Project = again.SeriesKey()
	ext2.Report.Year = again.Year
	copyID, err := st.SaveReport(context.Background(), docOf("copy.txt", data, ext2), data, ext2)
	if err != nil {
		t.Fatal(err)
	}

	org, project := gs[0].SeriesKey()
	points, err := st.Trend(context.Background(), org, project)
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != len(gs) {
		t.Fatalf("%d trend points, the series has %d years", len(points), len(gs))
	}
	for i, g := range gs {
		p, ext := points[i], exts[g.Year]
		b := ext.Report.Budget
		if p.Year != g.Year || p.Organization != org || p.Project != project ||
			!pipeline.SameAmount(p.Planned, b.Planned) || !pipeline.SameAmount(p.Adjusted, b.Adjusted) || !pipeline.SameAmount(p.Executed, b.Executed) ||
			!pipeline.SameDecimal(p.ExecutionRate, b.ExecutionRate) || !pipeline.SameDecimal(p.Score, ext.Report.Score) || p.Grade != ext.Report.Grade ||
			!reflect.DeepEqual(p.Problems, ext.Report.Problems) {
			pj, _ := json.Marshal(p)
			ej, _ := json.Marshal(ext.Report)
			t.Errorf("year %d:\n trend  %s\n report %s", g.Year, pj, ej)
		}
		if g.Year == again.Year && p.ReportID != copyID {
			t.Errorf("year %d stands for report %d, want the latest %d", g.Year, p.ReportID, copyID)
		}
		errs := 0
		for _, f := range ext.Findings {
			if f.Severity == pipeline.SeverityError {
				errs++
			}
		}
		if g.Year != again.Year && p.Findings[pipeline.SeverityError] != errs {
			t.Errorf("year %d: %d errors, the report has %d", g.Year, p.Findings[pipeline.SeverityError], errs)
		}
	}
}

// Every problem the gold labels show in two or more years of a series must
// come out of RecurringProblems with those years.
func TestRecurringProblemsListPlantedRepeats(t *testing.T) {
	st := openTemp(t)
	series := goldSeries(t)
	key := "宁夏回族自治区文化和旅游厅|公共文化服务体系建设专项"
	gs := series[key]
	for i := range gs {
		saveAs(t, st, gs[i].File, &gs[i])
	}
	years := map[string][]int{} // gold problem prefix → years stated
	for _, g := range gs {
		for _, p := range g.Problems {
			years[p] = append(years[p], g.Year)
		}
	}
	org, project := gs[0].SeriesKey()
	list, err := st.RecurringProblems(context.Background(), org, project)
	if err != nil {
		t.Fatal(err)
	}
	planted := 0
	for prefix, ys := range years {
		if len(ys) < 2 {
			continue
		}
		planted++
		found := false
		for _, rp := range list {
			if strings.HasPrefix(rp.Problem, prefix) && reflect.DeepEqual(rp.Years, ys) {
				found = true
			}
		}
		if !found {
			t.Errorf("problem %q stated in %v not listed as recurring; got %+v", prefix, ys, list)
		}
	}
	if planted == 0 {
		t.Fatal("the series should plant recurring problems")
	}
	if len(list) != planted {
		t.Errorf("%d recurring problems listed, gold plants %d", len(list), planted)
	}
}

func TestSearchFindsChineseWordsAndIgnoresSyntax(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	a, _, _ := save(t, st, "dev-001.txt")
	save(t, st, "dev-004.txt")
	cases := []struct {
		query string
		want  []int64 // nil: only check it does not fail
		none  bool
	}{
		{query: "高标准农田", want: []int64{a}},
		{query: "高标准农田 政府采购", want: []int64{a}},
		{query: "农田高标准", none: true},
		{query: `"` + "高标准农田" + `" OR *`, none: true},
		{query: "NEAR( ) AND", none: true},
	}
	for _, c := range cases {
		hits, err := st.Search(ctx, c.query, 10)
		if err != nil {
			t.Errorf("Search(%q): %v", c.query, err)
			continue
		}
		var ids []int64
		for _, h := range hits {
			ids = append(ids, h.ReportID)
			if c.want != nil && !strings.Contains(h.Snippet, "【") {
				t.Errorf("Search(%q): snippet %q does not mark the word", c.query, h.Snippet)
			}
		}
		if c.none && len(ids) != 0 {
			t.Errorf("Search(%q) = %v, want nothing", c.query, ids)
		}
		if c.want != nil && !reflect.DeepEqual(ids, c.want) {
			t.Errorf("Search(%q) = %v, want %v", c.query, ids, c.want)
		}
	}
	list, total, err := st.Reports(ctx, pipeline.ReportFilter{Query: "高标准农田"})
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != a {
		t.Errorf("Reports with Query = %v (%d), %v", list, total, err)
	}
}

// Saved reports wait for the full-text index in batches; a search, the end
// of a batch and Close index them, so no query misses one and a store at
// rest has none waiting.
func TestFullTextIndexTakesSavedReportsInBatches(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, _, _ := save(t, st, "dev-001.txt")
	if n := count(t, st, "SELECT count(*) FROM fts_pending WHERE report_id = ?", id); n != 1 {
		t.Fatalf("a report just saved: %d waiting rows, want 1", n)
	}
	hits, err := st.Search(ctx, "高标准农田", 10)
	if err != nil || len(hits) != 1 || hits[0].ReportID != id {
		t.Fatalf("search right after the save = %v, %v; want report %d", hits, err, id)
	}
	if n := count(t, st, "SELECT count(*) FROM fts_pending"); n != 0 {
		t.Errorf("%d reports still waiting after a search", n)
	}
	save(t, st, "dev-004.txt")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if waiting, indexed := count(t, st, "SELECT count(*) FROM fts_pending"), count(t, st, "SELECT count(*) FROM report_fts"); waiting != 0 || indexed != 2 {
		t.Errorf("after Close: %d waiting, %d indexed; want 0 and 2", waiting, indexed)
	}
}

// Migration 006 rebuilds the full-text index of a store that has reports:
// every report is searchable again once the waiting ones are indexed.
func TestRebuiltIndexFindsEveryStoredReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := save(t, st, "dev-001.txt")
	save(t, st, "dev-004.txt")
	if _, err := st.db.Exec(`DELETE FROM schema_migrations WHERE version = 6`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if st, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n := count(t, st, "SELECT count(*) FROM fts_pending"); n != 2 {
		t.Errorf("after the rebuild %d reports wait for the index, want 2", n)
	}
	hits, err := st.Search(context.Background(), "高标准农田", 10)
	if err != nil || len(hits) != 1 || hits[0].ReportID != a {
		t.Errorf("search after the rebuild = %v, %v; want report %d", hits, err, a)
	}
}

// A Store that only reads closes without touching the waiting list (it
// may belong to an import running in another process).
func TestCloseOfAReadingStoreLeavesTheWaitingListAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	writer, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	save(t, writer, "dev-004.txt")
	reader, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reader.Trend(context.Background(), "宁夏回族自治区文化和旅游厅", ""); err != nil {
		t.Fatal(err)
	}
	if err := reader.Close(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, writer, "SELECT count(*) FROM fts_pending"); n != 1 {
		t.Errorf("%d reports wait after a reading Store closed, want the writer's 1", n)
	}
}

// A full batch is indexed by the save that fills it, not left for later.
func TestAFullBatchIsIndexedBySaving(t *testing.T) {
	st := openTemp(t)
	names, err := filepath.Glob(filepath.Join(corpus, "dev-*.txt"))
	if err != nil || len(names) == 0 {
		t.Fatal("no corpus texts")
	}
	ctx := context.Background()
	r := &run.Runner{}
	for i := 0; i < indexBatch; i++ {
		name := names[i%len(names)]
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, fmt.Sprintf("\n附：第%d份\n", i)...) // another document each time
		ext, err := r.File(ctx, filepath.Base(name), data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveReport(ctx, docOf(filepath.Base(name), data, ext), data, ext); err != nil {
			t.Fatal(err)
		}
	}
	if waiting, indexed := count(t, st, "SELECT count(*) FROM fts_pending"), count(t, st, "SELECT count(*) FROM report_fts"); waiting != 0 || indexed != indexBatch {
		t.Errorf("after %d saves: %d waiting, %d indexed", indexBatch, waiting, indexed)
	}
}

func TestReportsFilterAndSort(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	for _, f := range []string{"dev-001.txt", "dev-003.txt", "dev-004.txt"} {
		save(t, st, f)
	}
	all, total, err := st.Reports(ctx, pipeline.ReportFilter{Sort: "-year"})
	if err != nil || total != 3 || len(all) != 3 {
		t.Fatalf("Reports = %d (%d), %v", len(all), total, err)
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Year < all[i].Year {
			t.Errorf("not sorted by -year: %d before %d", all[i-1].Year, all[i].Year)
		}
	}
	page, total, _ := st.Reports(ctx, pipeline.ReportFilter{Organization: all[0].Organization, Limit: 1})
	if len(page) != 1 || total < 1 {
		t.Errorf("filter by organisation with limit: %d rows of %d", len(page), total)
	}
}

// A report that names its body without the place (自治区文化和旅游厅) joins
// the series of the full name, whichever arrives first; when two bodies
// could be meant, the short form stays on its own.
func TestShortOrganisationNamesJoinTheirSeries(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	const full, short, project = "宁夏回族自治区文化和旅游厅", "自治区文化和旅游厅", "公共文化服务体系建设专项"
	as := func(file, org string, year int) {
		g := gold{Series: org + "|" + project, Year: year}
		saveAs(t, st, file, &g)
	}
	years := func(org string) []int {
		points, err := st.Trend(ctx, org, project)
		if err != nil {
			t.Fatal(err)
		}
		var ys []int
		for _, p := range points {
			ys = append(ys, p.Year)
			if p.Organization != full && len(ys) > 0 && org == full {
				t.Errorf("trend point organisation %q, want the full name", p.Organization)
			}
		}
		return ys
	}
	as("dev-034.txt", short, 2020) // the short form first
	as("dev-004.txt", full, 2018)
	as("dev-018.txt", short, 2024) // and after
	if got := years(full); !reflect.DeepEqual(got, []int{2018, 2020, 2024}) {
		t.Errorf("series of %s: %v, want 2018 2020 2024", full, got)
	}
	if got := years(short); !reflect.DeepEqual(got, []int{2018, 2020, 2024}) {
		t.Errorf("asked by the short name: %v", got)
	}
	earlier, err := st.EarlierReports(ctx, short, 2024)
	if err != nil || len(earlier) != 2 {
		t.Errorf("EarlierReports by the short name: %d reports, %v", len(earlier), err)
	}
	as("dev-028.txt", "新疆维吾尔自治区文化和旅游厅", 2023)
	if got := years(full); !reflect.DeepEqual(got, []int{2018}) {
		t.Errorf("with two bodies the short form could mean, %s keeps only its own: %v", full, got)
	}
}
