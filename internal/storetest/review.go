package storetest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/corpustest"
	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// reviewTests are the conformance tests of what reviewers record and of a
// report's versions.
var reviewTests = []struct {
	name string
	fn   func(*testing.T, pipeline.Store)
}{
	{"AResubmissionIsAVersionOfTheSameReport", resubmissionIsAVersion},
	{"ReportIDsStayWhenADocumentIsReadAgain", idsStayOnReread},
	{"ReportIDsStayWhenAStoredDocumentIsReprocessed", idsStayOnReprocess},
	{"ConcurrentSavesOfOneDocumentKeepOneID", concurrentSavesKeepOneID},
	{"MarksAndStatusSurviveReExtraction", marksSurviveReread},
	{"FalseAlarmIsOfferedAgainNextYear", falseAlarmOfferedNextYear},
	{"ReviewWritesRefuseWhatNoStoreKeeps", reviewWritesRefuse},
	{"ReportsFilterByReviewRuleYearsAndRegion", reportsFilterByReview},
	{"OrganizationsCountReportsNotVersions", organizationsCountReports},
}

func organizationsCountReports(t *testing.T, st pipeline.Store) {
	const org = "伊宁县农业农村局"
	data := read(t, "dev-001.txt")
	SaveBytes(t, st, "2024.txt", data, as(org, "高标准农田建设项目", 2024))
	SaveBytes(t, st, "2024-修订.txt", append(append([]byte{}, data...), '\n'), as(org, "高标准农田建设项目", 2024))
	SaveBytes(t, st, "2023.txt", read(t, "dev-003.txt"), as(org, "高标准农田建设项目", 2023))
	SaveBytes(t, st, "dept.txt", read(t, "dev-002.txt"), as("吐鲁番市残疾人联合会", "", 2022))
	got, err := st.Organizations(context.Background())
	if err != nil || len(got) != 2 {
		t.Fatalf("Organizations = %+v, %v", got, err)
	}
	o := got[0]
	if o.Name != "伊宁县农业农村局" {
		o = got[1]
	}
	if o.Name != org || o.Reports != 2 || o.Projects != 1 || len(o.Years) != 2 || o.Years[0] != 2023 || o.Region != "伊宁县" {
		t.Errorf("%s: %+v", org, o)
	}
}

// read is a corpus file's bytes.
func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus(), name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// as is the gold label that files a file under org, project and year.
func as(org, project string, year int) *corpustest.Gold {
	return &corpustest.Gold{Series: org + "|" + project, Year: year}
}

// A revised resubmission of a report (other bytes, the same body, project
// and year) is the same report: listed once by its first id, shown by its
// latest version, the earlier version kept; the search finds it once.
func resubmissionIsAVersion(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	g := as("伊宁县农业农村局", "高标准农田建设项目", 2024)
	data := read(t, "dev-001.txt")
	first, ext1, _ := SaveBytes(t, st, "dev-001.txt", data, g)
	revised := append(append([]byte{}, data...), "\n（修订稿）\n"...)
	second, ext2, _ := SaveBytes(t, st, "dev-001-修订.txt", revised, g)
	if second != first {
		t.Fatalf("the resubmission got report id %d, want the report's %d", second, first)
	}
	list, n, err := st.Reports(ctx, pipeline.ReportFilter{})
	if err != nil || n != 1 || len(list) != 1 || list[0].ID != first || list[0].Versions != 2 || list[0].Name != "dev-001-修订.txt" {
		t.Fatalf("Reports = %+v (%d), %v; want one report %d of 2 versions, named by its latest", list, n, err, first)
	}
	rep, err := st.Report(ctx, first)
	if err != nil || rep == nil || rep.ID != first || rep.Document.Name != "dev-001-修订.txt" || rep.Text != ext2.Text {
		t.Fatalf("Report(%d) = %+v, %v; want the latest version", first, rep, err)
	}
	vs, err := st.Versions(ctx, first)
	if err != nil || len(vs) != 2 || vs[0].Document.Name != "dev-001.txt" || vs[0].Latest || !vs[1].Latest ||
		!pipeline.SameAmount(vs[0].Planned, ext1.Report.Budget.Planned) {
		t.Fatalf("Versions = %+v, %v", vs, err)
	}
	old, err := st.ReportVersion(ctx, vs[0].ID)
	if err != nil || old == nil || old.ID != first || old.VersionID != vs[0].ID || old.Text != ext1.Text {
		t.Fatalf("ReportVersion(%d) = %+v, %v; want the first version", vs[0].ID, old, err)
	}
	if byOld, _ := st.Report(ctx, vs[0].ID); byOld == nil || byOld.VersionID != vs[1].ID {
		t.Errorf("Report by an earlier version's id should give the latest version")
	}
	if hits, err := st.Search(ctx, "高标准农田", 10); err != nil || len(hits) != 1 || hits[0].ReportID != first {
		t.Errorf("Search = %+v, %v; want the report once", hits, err)
	}
	// Another year of the same body and project is another report; so is a
	// project report whose project is not known.
	other, _, _ := SaveBytes(t, st, "2023.txt", append(append([]byte{}, data...), ' '), as("伊宁县农业农村局", "高标准农田建设项目", 2023))
	if other == first {
		t.Error("another year joined the report")
	}
	earlier, err := st.EarlierReports(ctx, "伊宁县农业农村局", 2025)
	if err != nil || len(earlier) != 2 {
		t.Errorf("EarlierReports = %d reports, %v; want one per year (latest versions)", len(earlier), err)
	}
}

// Reading a stored document again (an extractor upgrade) keeps its ids.
func idsStayOnReread(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	a, _, data := Save(t, st, "dev-002.txt", nil)
	Save(t, st, "dev-004.txt", nil)
	vs, _ := st.Versions(ctx, a)
	again, _, _ := SaveBytes(t, st, "dev-002.txt", data, nil)
	vs2, _ := st.Versions(ctx, a)
	if again != a || len(vs) != 1 || len(vs2) != 1 || vs2[0].ID != vs[0].ID {
		t.Errorf("re-read: report %d → %d, versions %+v → %+v", a, again, vs, vs2)
	}
}

// Reprocessing a stored document (ingest --reprocess: its original read
// by a newer extractor, which reads it differently) updates its report in
// place: the id links in letters and bookmarks use stays, and reads show
// the new extraction.
func idsStayOnReprocess(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	a, _, data := Save(t, st, "dev-001.txt", nil)
	Save(t, st, "dev-004.txt", nil)
	ext, err := (&run.Runner{}).File(ctx, "dev-001.txt", data) // a fresh read, as --reprocess makes
	if err != nil {
		t.Fatal(err)
	}
	score := pipeline.MustDecimal("77.5")
	ext.Report.Score, ext.Findings = &score, ext.Findings[:1]
	doc := DocOf("dev-001.txt", data, ext)
	doc.ExtractorVersion = "next"
	again, err := st.SaveReport(ctx, doc, data, ext)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Report(ctx, a)
	if again != a || err != nil || got == nil || got.Extraction.Report.Score.Trim() != "77.5" || len(got.Extraction.Findings) != 1 {
		t.Fatalf("reprocessed: report %d → %d, read back %+v, %v", a, again, got, err)
	}
	if vs, _ := st.Versions(ctx, a); len(vs) != 1 {
		t.Errorf("reprocessed: %d versions, want 1", len(vs))
	}
	if d, _ := st.Document(ctx, doc.SHA256); d == nil || d.ExtractorVersion != "next" {
		t.Errorf("reprocessed document %+v", d)
	}
}

// Two imports of one file at once (two workers, two machines on one
// PostgreSQL) make one report under one id, the id it already had when
// it was stored before.
func concurrentSavesKeepOneID(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	data := read(t, "dev-002.txt")
	ext, err := (&run.Runner{}).File(ctx, "dev-002.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	saveAtOnce := func() []int64 {
		ids := make([]int64, 4)
		errs := make([]error, 4)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ids[i], errs[i] = st.SaveReport(ctx, DocOf("dev-002.txt", data, ext), data, ext)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	first := saveAtOnce()
	again := saveAtOnce()
	for i := range first {
		if first[i] != first[0] || again[i] != first[0] {
			t.Fatalf("concurrent saves of one document: ids %v, then %v", first, again)
		}
	}
	if _, n, err := st.Reports(ctx, pipeline.ReportFilter{}); err != nil || n != 1 {
		t.Errorf("%d reports after concurrent saves of one document, %v", n, err)
	}
	if hits, err := st.Search(ctx, "绩效", 10); err != nil || len(hits) != 1 || hits[0].ReportID != first[0] {
		t.Errorf("search finds %+v, %v; want report %d once", hits, err, first[0])
	}
}

func firstFinding(t *testing.T, ext *pipeline.Extraction) pipeline.Finding {
	t.Helper()
	for _, f := range ext.Findings {
		if len(f.Evidence) > 0 && f.Evidence[0].Quote != "" {
			return f
		}
	}
	t.Fatal("the report should have a finding with a quote")
	return pipeline.Finding{}
}

// A mark is kept by report and finding key: reading the document again
// (new finding rows) finds it; so does its status.
func marksSurviveReread(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	id, ext, data := Save(t, st, "dev-001.txt", nil)
	f := firstFinding(t, ext)
	m := pipeline.MarkOf(id, f)
	m.Status, m.Comment, m.Reviewer = pipeline.MarkConfirmed, "已与单位核对", "王审核"
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	m.At = at
	if err := st.SetMark(ctx, m); err != nil {
		t.Fatal(err)
	}
	state := pipeline.ReviewState{ReportID: id, Status: pipeline.ReviewActive, Reviewer: "王审核", Comment: "待单位回复"}
	if err := st.SetReviewState(ctx, state); err != nil {
		t.Fatal(err)
	}
	id2, ext2, _ := SaveBytes(t, st, "dev-001.txt", data, nil)
	marks, err := st.Marks(ctx, id2)
	if err != nil || len(marks) != 1 {
		t.Fatalf("Marks after re-extraction = %+v, %v", marks, err)
	}
	got := marks[0]
	if got.Key != pipeline.FindingKey(f) || got.Status != pipeline.MarkConfirmed || got.Comment != "已与单位核对" ||
		got.Reviewer != "王审核" || !got.At.Equal(at) || got.Rule != f.Rule || got.Quote != f.Evidence[0].Quote || got.ReportID != id {
		t.Errorf("mark came back as %+v", got)
	}
	found := false
	for _, f2 := range ext2.Findings {
		found = found || pipeline.FindingKey(f2) == got.Key
	}
	if !found {
		t.Error("the re-extracted report has no finding of the mark's key")
	}
	s, err := st.ReviewState(ctx, id2)
	if err != nil || s.Status != pipeline.ReviewActive || s.Reviewer != "王审核" || s.Comment != "待单位回复" || s.At.IsZero() {
		t.Errorf("ReviewState = %+v, %v", s, err)
	}
	if list, _, _ := st.Reports(ctx, pipeline.ReportFilter{}); len(list) != 1 || list[0].Status != pipeline.ReviewActive {
		t.Errorf("the list shows status %+v", list)
	}
	// A new mark of the same finding replaces it; an empty status removes it.
	m.Status, m.At = pipeline.MarkFixed, time.Time{}
	if err := st.SetMark(ctx, m); err != nil {
		t.Fatal(err)
	}
	if marks, _ := st.Marks(ctx, id); len(marks) != 1 || marks[0].Status != pipeline.MarkFixed || marks[0].At.IsZero() {
		t.Errorf("after re-marking: %+v", marks)
	}
	m.Status = ""
	if err := st.SetMark(ctx, m); err != nil {
		t.Fatal(err)
	}
	if marks, _ := st.Marks(ctx, id); len(marks) != 0 {
		t.Errorf("after removing: %+v", marks)
	}
	other, _, _ := Save(t, st, "dev-004.txt", nil)
	if s, err := st.ReviewState(ctx, other); err != nil || s.Status != pipeline.ReviewPending || !s.At.IsZero() {
		t.Errorf("a report never reviewed is %+v, %v; want pending", s, err)
	}
}

// A 误报 mark on a finding is offered again on the next year's report of
// the same body that raises the same finding on the same passage; a
// confirmed mark, another body's, or a later year's is not.
func falseAlarmOfferedNextYear(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	const org, project = "伊宁县农业农村局", "高标准农田建设项目"
	data := read(t, "dev-001.txt")
	y2022, ext, _ := SaveBytes(t, st, "2022.txt", data, as(org, project, 2022))
	y2023, _, _ := SaveBytes(t, st, "2023.txt", append(append([]byte{}, data...), '\n'), as(org, project, 2023))
	y2024, _, _ := SaveBytes(t, st, "2024.txt", append(append([]byte{}, data...), '\n', '\n'), as(org, project, 2024))
	elsewhere, _, _ := SaveBytes(t, st, "other.txt", append(append([]byte{}, data...), ' ', '\n'), as("昌吉市民政局", project, 2025))
	var alarm, confirmed pipeline.Finding
	n := 0
	for _, f := range ext.Findings {
		if len(f.Evidence) == 0 {
			continue
		}
		if n == 0 {
			alarm = f
		} else if n == 1 {
			confirmed = f
		}
		n++
	}
	if n < 2 {
		t.Fatalf("dev-001 should raise two findings with evidence, raises %d", n)
	}
	for _, m := range []pipeline.Mark{pipeline.MarkOf(y2022, alarm), pipeline.MarkOf(y2022, confirmed), pipeline.MarkOf(y2024, confirmed)} {
		m.Status, m.Comment, m.Reviewer = pipeline.MarkFalseAlarm, "口径不同，不是问题", "李审核"
		if m.Key == pipeline.FindingKey(confirmed) && m.ReportID == y2022 {
			m.Status = pipeline.MarkConfirmed
		}
		if err := st.SetMark(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	offered, err := st.OfferedMarks(ctx, y2023)
	if err != nil || len(offered) != 1 || offered[0].Key != pipeline.FindingKey(alarm) || offered[0].Year != 2022 ||
		offered[0].Comment != "口径不同，不是问题" || offered[0].ReportID != y2022 {
		t.Fatalf("OfferedMarks(2023) = %+v, %v; want the 2022 false alarm only", offered, err)
	}
	if offered, _ := st.OfferedMarks(ctx, y2022); len(offered) != 0 {
		t.Errorf("a later year's mark is offered to an earlier year: %+v", offered)
	}
	if offered, _ := st.OfferedMarks(ctx, elsewhere); len(offered) != 0 {
		t.Errorf("another body's mark is offered: %+v", offered)
	}
	if offered, _ := st.OfferedMarks(ctx, y2024); len(offered) != 1 || offered[0].Year != 2022 {
		t.Errorf("2024 should be offered the 2022 mark (its own marks are not offers): %+v", offered)
	}
}

func reviewWritesRefuse(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	id, ext, _ := Save(t, st, "dev-002.txt", nil)
	m := pipeline.MarkOf(id, firstFinding(t, ext))
	m.Status = "done"
	if err := st.SetMark(ctx, m); !errors.Is(err, storelogic.ErrBadStatus) {
		t.Errorf("an unknown mark status: %v", err)
	}
	m.Status, m.ReportID = pipeline.MarkConfirmed, id+1000
	if err := st.SetMark(ctx, m); !errors.Is(err, storelogic.ErrNoReport) {
		t.Errorf("a mark of an unknown report: %v", err)
	}
	if err := st.SetReviewState(ctx, pipeline.ReviewState{ReportID: id, Status: "ok"}); !errors.Is(err, storelogic.ErrBadStatus) {
		t.Errorf("an unknown report status: %v", err)
	}
	if err := st.SetReviewState(ctx, pipeline.ReviewState{ReportID: id + 1000, Status: pipeline.ReviewDone}); !errors.Is(err, storelogic.ErrNoReport) {
		t.Errorf("a status of an unknown report: %v", err)
	}
	if vs, err := st.Versions(ctx, id+1000); err != nil || len(vs) != 0 {
		t.Errorf("Versions of an unknown report = %+v, %v", vs, err)
	}
	if r, err := st.ReportVersion(ctx, id+1000); err != nil || r != nil {
		t.Errorf("ReportVersion of an unknown version = %+v, %v", r, err)
	}
}

func reportsFilterByReview(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	a, extA, _ := SaveBytes(t, st, "a.txt", read(t, "dev-001.txt"), as("新疆维吾尔自治区教育厅", "学前教育发展专项资金", 2019))
	SaveBytes(t, st, "b.txt", read(t, "dev-004.txt"), as("宁夏回族自治区文化和旅游厅", "公共文化服务体系建设专项", 2021))
	SaveBytes(t, st, "c.txt", read(t, "dev-009.txt"), as("新疆维吾尔自治区科学技术协会", "", 2023))
	if err := st.SetReviewState(ctx, pipeline.ReviewState{ReportID: a, Status: pipeline.ReviewReturned}); err != nil {
		t.Fatal(err)
	}
	rule := firstFinding(t, extA).Rule
	cases := []struct {
		f    pipeline.ReportFilter
		want int
	}{
		{pipeline.ReportFilter{Status: pipeline.ReviewReturned}, 1},
		{pipeline.ReportFilter{Status: pipeline.ReviewPending}, 2},
		{pipeline.ReportFilter{YearFrom: 2020}, 2},
		{pipeline.ReportFilter{YearFrom: 2020, YearTo: 2022}, 1},
		{pipeline.ReportFilter{Region: "新疆维吾尔自治区"}, 2},
		{pipeline.ReportFilter{Region: "宁夏"}, 1},
		{pipeline.ReportFilter{Rule: "no.such_rule"}, 0},
	}
	for _, c := range cases {
		if n := total(t, st, c.f); n != c.want {
			t.Errorf("Reports(%+v) = %d, want %d", c.f, n, c.want)
		}
	}
	if list, _, _ := st.Reports(ctx, pipeline.ReportFilter{Rule: rule}); len(list) == 0 || !hasID(list, a) {
		t.Errorf("filter by rule %s: %+v, want report %d among them", rule, list, a)
	}
	for _, key := range []string{"status", "-status", "grade", "kind", "warnings", "-infos", "versions"} {
		if list, n, err := st.Reports(ctx, pipeline.ReportFilter{Sort: key}); err != nil || n != 3 || len(list) != 3 {
			t.Errorf("sort %s: %d, %v", key, n, err)
		}
	}
	if list, _, _ := st.Reports(ctx, pipeline.ReportFilter{Sort: "-status"}); list[0].ID != a {
		t.Errorf("sorted by -status, returned (退回) first: %+v", list)
	}
}

func hasID(list []pipeline.ReportSummary, id int64) bool {
	for _, r := range list {
		if r.ID == id {
			return true
		}
	}
	return false
}
