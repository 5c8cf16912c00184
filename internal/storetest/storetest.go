// Package storetest is the conformance suite of pipeline.Store: what every
// store (SQLite, PostgreSQL, the in-memory one the web tests use) must do
// alike, asserted on reports of the labelled corpus read by the real
// pipeline. Each store's package runs it:
//
//	func TestConformance(t *testing.T) { storetest.Run(t, open) }
package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/corpustest"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// Open returns a new empty store, closed when the test ends.
type Open func(t *testing.T) pipeline.Store

// Run runs every conformance test on stores made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, pipeline.Store)
	}{
		{"SaveReportReadsBackTheSameExtraction", saveReportReadsBack},
		{"SaveReportTwiceKeepsOneReport", saveTwiceKeepsOne},
		{"FailureIsKeptWithReasonAndNeverReplacesAReport", failureIsKept},
		{"FailedOriginalsAreDroppedAfterTheirTime", failedOriginalsDropped},
		{"TrendFollowsTheSeriesYearByYear", trendFollowsSeries},
		{"RecurringProblemsListPlantedRepeats", recurringProblems},
		{"SearchFindsChineseWordsAndIgnoresSyntax", searchFindsWords},
		{"ReportsFilterAndSort", reportsFilterAndSort},
		{"ShortOrganisationNamesJoinTheirSeries", shortNamesJoinSeries},
	}
	for _, tc := range slices.Concat(tests, reviewTests, workbookTests, historyTests) {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// corpus is the labelled corpus, found from this file.
func corpus() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "corpus")
}

// Save reads a corpus file through the pipeline and stores it; with g, as
// the organisation, project and year of its gold label (the series tests
// check the store's grouping, not the extractor's reading of names).
func Save(t *testing.T, st pipeline.Store, name string, g *corpustest.Gold) (int64, *pipeline.Extraction, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus(), name))
	if err != nil {
		t.Fatal(err)
	}
	return SaveBytes(t, st, name, data, g)
}

// SaveBytes is Save of bytes given.
func SaveBytes(t *testing.T, st pipeline.Store, name string, data []byte, g *corpustest.Gold) (int64, *pipeline.Extraction, []byte) {
	t.Helper()
	ext, err := (&run.Runner{}).File(context.Background(), name, data)
	if err != nil {
		t.Fatal(err)
	}
	if g != nil {
		ext.Report.Organization, ext.Report.Project = g.SeriesKey()
		ext.Report.Year = g.Year
	}
	id, err := st.SaveReport(context.Background(), DocOf(name, data, ext), data, ext)
	if err != nil {
		t.Fatal(err)
	}
	return id, ext, data
}

// DocOf is the document record of bytes read into ext.
func DocOf(name string, data []byte, ext *pipeline.Extraction) pipeline.Document {
	sum := sha256.Sum256(data)
	return pipeline.Document{SHA256: hex.EncodeToString(sum[:]), Name: name, Format: ext.Source.Format,
		Extractor: ext.Source.Extractor, Size: int64(len(data)), ExtractorVersion: "test"}
}

func total(t *testing.T, st pipeline.Store, f pipeline.ReportFilter) int {
	t.Helper()
	_, n, err := st.Reports(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func saveReportReadsBack(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	id, ext, data := Save(t, st, "dev-001.txt", nil)
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
	if orig, err := st.Original(ctx, got.Document.SHA256); err != nil || string(orig) != string(data) {
		t.Errorf("original bytes not kept: %v", err)
	}
	if d, err := st.Document(ctx, got.Document.SHA256); err != nil || d == nil || d.Status != pipeline.StatusIngested || d.Name != "dev-001.txt" {
		t.Errorf("Document = %+v, %v", d, err)
	}
	if len(ext.Report.Problems) == 0 || len(ext.Report.Indicators) == 0 || ext.Report.Budget.Planned == nil {
		t.Fatalf("dev-001 should extract problems, indicators and a budget")
	}
	points, err := st.Trend(ctx, ext.Report.Organization, ext.Report.Project)
	if err != nil || len(points) != 1 || !pipeline.SameAmount(points[0].Planned, ext.Report.Budget.Planned) {
		t.Errorf("the planned budget does not come back exact in fen: %+v, %v", points, err)
	}
}

func saveTwiceKeepsOne(t *testing.T, st pipeline.Store) {
	first, _, _ := Save(t, st, "dev-002.txt", nil)
	second, _, _ := Save(t, st, "dev-002.txt", nil)
	list, n, err := st.Reports(context.Background(), pipeline.ReportFilter{})
	if err != nil || n != 1 || len(list) != 1 || list[0].ID != first || second != first {
		t.Fatalf("after saving the same document twice (reports %d, %d; the id must stay): %+v (%d), %v", first, second, list, n, err)
	}
	hits, err := st.Search(context.Background(), "绩效", 10)
	if err != nil || len(hits) != 1 || hits[0].ReportID != second {
		t.Errorf("search finds %+v, %v; want the second extraction only", hits, err)
	}
}

// failedOriginalsDropped: the bytes of a failure older than the time
// given are dropped, its record kept; a newer failure's bytes and a read
// document's stay, however old.
func failedOriginalsDropped(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	now := time.Now()
	failure := func(b []byte, at time.Time) pipeline.Document {
		sum := sha256.Sum256(b)
		doc := pipeline.Document{SHA256: hex.EncodeToString(sum[:]), Name: "junk.bin", Size: int64(len(b)), IngestedAt: at}
		if err := st.SaveFailure(ctx, doc, b, "not a text file"); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	old := failure([]byte{0, 1, 2, 0xff}, now.Add(-40*24*time.Hour))
	recent := failure([]byte{0, 1, 2, 0xfe}, now.Add(-time.Hour))
	_, ext, data := Save(t, st, "dev-003.txt", nil)
	read := DocOf("dev-003.txt", data, ext)
	n, err := st.DropFailedOriginals(ctx, now.Add(-30*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("DropFailedOriginals: %d, %v; want 1", n, err)
	}
	if _, err := st.Original(ctx, old.SHA256); err == nil {
		t.Error("the old failure's bytes are still there")
	}
	if d, _ := st.Document(ctx, old.SHA256); d == nil || d.Status != pipeline.StatusFailed || d.Error != "not a text file" {
		t.Errorf("the old failure's record is %+v, want kept", d)
	}
	for _, sum := range []string{recent.SHA256, read.SHA256} {
		if _, err := st.Original(ctx, sum); err != nil {
			t.Errorf("bytes dropped that should stay: %v", err)
		}
	}
	if n, err := st.DropFailedOriginals(ctx, now.Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("dropping again, and the recent failure: %d, %v; want 1", n, err)
	}
	if _, err := st.Original(ctx, read.SHA256); err != nil {
		t.Errorf("a read document lost its bytes: %v", err)
	}
}

func failureIsKept(t *testing.T, st pipeline.Store) {
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
	_, ext, data := Save(t, st, "dev-003.txt", nil)
	if err := st.SaveFailure(ctx, DocOf("dev-003.txt", data, ext), data, "later failure"); err != nil {
		t.Fatal(err)
	}
	if n := total(t, st, pipeline.ReportFilter{}); n != 1 {
		t.Errorf("a failure removed a stored report (%d reports)", n)
	}
	if d, _ := st.Document(ctx, DocOf("dev-003.txt", data, ext).SHA256); d == nil || d.Status != pipeline.StatusIngested {
		t.Errorf("document %+v after a later failure, want ingested", d)
	}
	if d, _ := st.Document(ctx, strings.Repeat("0", 64)); d != nil {
		t.Error("Document of an unknown sha256 should be nil")
	}
	if _, err := st.Original(ctx, strings.Repeat("0", 64)); err == nil {
		t.Error("Original of an unknown sha256 should fail")
	}
}

// goldSeries reads the gold labels of the corpus by series key.
func goldSeries(t *testing.T) map[string][]corpustest.Gold {
	return corpustest.BySeries(corpustest.Load(t, corpus(), "dev-*.gold.json"))
}

const (
	cultureKey = "宁夏回族自治区文化和旅游厅|公共文化服务体系建设专项"
	cultureOrg = "宁夏回族自治区文化和旅游厅"
)

// Trend gives one point per year of the series, oldest first, with the
// figures each year's report states; the latest ingested report stands for
// a year read twice.
func trendFollowsSeries(t *testing.T, st pipeline.Store) {
	series := goldSeries(t)
	gs := series[cultureKey]
	if len(gs) < 5 {
		t.Fatalf("series %s has %d reports in the corpus", cultureKey, len(gs))
	}
	exts := map[int]*pipeline.Extraction{}
	for i := range gs {
		_, ext, _ := Save(t, st, gs[i].File, &gs[i])
		exts[gs[i].Year] = ext
	}
	// Another project and the department of the same body stay out.
	for _, other := range series[cultureOrg+"|"] {
		Save(t, st, other.File, &other)
	}
	// The same year read again (another copy) replaces that year's point.
	again := gs[2]
	data, _ := os.ReadFile(filepath.Join(corpus(), again.File))
	copyID, _, _ := SaveBytes(t, st, "copy.txt", append(data, []byte("\n（复印件）\n")...), &again)

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
func recurringProblems(t *testing.T, st pipeline.Store) {
	gs := goldSeries(t)[cultureKey]
	for i := range gs {
		Save(t, st, gs[i].File, &gs[i])
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
	if all, err := st.RecurringProblems(context.Background(), "", ""); err != nil || len(all) != len(list) {
		t.Errorf("unfiltered: %d recurring problems, %v; want the series' %d", len(all), err, len(list))
	}
}

func searchFindsWords(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	a, extA, _ := Save(t, st, "dev-001.txt", nil)
	b, _, _ := Save(t, st, "dev-004.txt", nil)
	if !strings.Contains(extA.Text, "政府采购程序") {
		t.Fatal("dev-001 should speak of 政府采购程序")
	}
	// 采购 finds 政府采购 (and dev-004's own 采购).
	if hits, err := st.Search(ctx, "采购", 10); err != nil || len(hits) != 2 {
		t.Errorf("Search(采购) = %+v, %v; want both reports", hits, err)
	}
	cases := []struct {
		query string
		want  []int64 // nil: only check it does not fail
		none  bool
	}{
		{query: "高标准农田", want: []int64{a}},
		{query: "高标准农田 政府采购", want: []int64{a}},
		{query: "农田", want: []int64{a}},     // inside 高标准农田
		{query: "政府采购程序", want: []int64{a}}, // 采购 inside it
		{query: "农田高标准", none: true},
		{query: "高标准农田 公共文化", none: true},
		{query: `"` + "高标准农田" + `" OR *`, none: true},
		{query: "NEAR( ) AND", none: true},
		{query: "' & | ! :*", none: true},
		{query: "公共文化服务", want: []int64{b}},
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
	list, n, err := st.Reports(ctx, pipeline.ReportFilter{Query: "高标准农田"})
	if err != nil || n != 1 || len(list) != 1 || list[0].ID != a {
		t.Errorf("Reports with Query = %v (%d), %v", list, n, err)
	}
}

func reportsFilterAndSort(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	for _, f := range []string{"dev-001.txt", "dev-003.txt", "dev-004.txt"} {
		Save(t, st, f, nil)
	}
	all, n, err := st.Reports(ctx, pipeline.ReportFilter{Sort: "-year"})
	if err != nil || n != 3 || len(all) != 3 {
		t.Fatalf("Reports = %d (%d), %v", len(all), n, err)
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Year < all[i].Year {
			t.Errorf("not sorted by -year: %d before %d", all[i-1].Year, all[i].Year)
		}
	}
	page, n, _ := st.Reports(ctx, pipeline.ReportFilter{Organization: all[0].Organization, Limit: 1})
	if len(page) != 1 || n < 1 || page[0].Organization != all[0].Organization {
		t.Errorf("filter by organisation with limit: %+v of %d", page, n)
	}
	second, n, _ := st.Reports(ctx, pipeline.ReportFilter{Sort: "-year", Limit: 1, Offset: 1})
	if len(second) != 1 || n != 3 || second[0].ID != all[1].ID {
		t.Errorf("second page of one: %+v of %d, want report %d", second, n, all[1].ID)
	}
	if n := total(t, st, pipeline.ReportFilter{Year: all[0].Year}); n < 1 {
		t.Errorf("filter by year %d: %d reports", all[0].Year, n)
	}
	if n := total(t, st, pipeline.ReportFilter{Organization: "没有这个单位"}); n != 0 {
		t.Errorf("an unknown organisation lists %d reports", n)
	}
}

// A report that names its body without the place (自治区文化和旅游厅) joins
// the series of the full name, whichever arrives first; when two bodies
// could be meant, the short form stays on its own.
func shortNamesJoinSeries(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	const full, short, project = cultureOrg, "自治区文化和旅游厅", "公共文化服务体系建设专项"
	as := func(file, org string, year int) {
		g := corpustest.Gold{Series: org + "|" + project, Year: year}
		Save(t, st, file, &g)
	}
	years := func(org string) []int {
		points, err := st.Trend(ctx, org, project)
		if err != nil {
			t.Fatal(err)
		}
		var ys []int
		for _, p := range points {
			ys = append(ys, p.Year)
			if p.Organization != full && org == full {
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
	if err != nil || len(earlier) != 2 || earlier[0].Extraction.Report.Year != 2020 || earlier[1].Extraction.Report.Year != 2018 {
		t.Errorf("EarlierReports by the short name: %d reports (newest first wanted), %v", len(earlier), err)
	}
	as("dev-028.txt", "新疆维吾尔自治区文化和旅游厅", 2023)
	if got := years(full); !reflect.DeepEqual(got, []int{2018}) {
		t.Errorf("with two bodies the short form could mean, %s keeps only its own: %v", full, got)
	}
}
