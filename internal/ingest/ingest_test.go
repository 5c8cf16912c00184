package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/internal/sqlite"
	"github.com/jixiao/jixiao/pipeline"
)

const corpus = "../../testdata/corpus"

// runners is the production pipeline: text, and PDF through internal/pdf.
var runners = pdf.NewRunner

func openStore(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestIngestingTheCorpusTwiceStoresEachReportOnce(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	ctx := context.Background()
	opts := Options{Runners: runners, Workers: 2, Version: "test"}
	first, err := Run(ctx, st, []string{corpus}, opts)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(corpus, "*.txt"))
	pdfs, _ := filepath.Glob(filepath.Join(corpus, "*.pdf"))
	if first.Files != len(files)+len(pdfs) {
		t.Errorf("walked %d files, the corpus has %d .txt and %d .pdf (gold .json must be skipped)", first.Files, len(files), len(pdfs))
	}
	if first.Ingested != first.Files || first.Failed != 0 || first.Present != 0 {
		t.Errorf("first run: %+v", first)
	}
	second, err := Run(ctx, st, []string{corpus}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if second.Present != first.Files || second.Ingested != 0 || second.Failed != 0 {
		t.Errorf("second run should find every document present: %+v", second)
	}
	// A PDF and its text twin are one report with two versions.
	_, total, err := st.Reports(ctx, pipeline.ReportFilter{})
	if err != nil || total != len(files) {
		t.Errorf("%d reports stored, want %d, one per text file, each PDF a version of its twin (%v)", total, len(files), err)
	}
	docs, err := st.Documents(ctx)
	if err != nil || len(docs) != first.Files {
		t.Errorf("%d documents kept, want every one of %d (%v)", len(docs), first.Files, err)
	}
}

func TestFailuresAreRecordedWithTheirReason(t *testing.T) {
	dir := t.TempDir()
	inputs := map[string][]byte{
		"empty.txt":  {},
		"junk.txt":   {0x00, 0x9f, 0x92, 0x96, 0x00, 0x01, 0xff, 0xfe, 0x00, 0x00},
		"broken.pdf": []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
	}
	for name, data := range inputs {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	good, _ := os.ReadFile(filepath.Join(corpus, "dev-002.txt"))
	os.WriteFile(filepath.Join(dir, "good.txt"), good, 0o644)
	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	sum, err := Run(context.Background(), st, []string{dir}, Options{Runners: runners, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 1 || sum.Failed != 3 {
		t.Fatalf("summary %+v, want 1 ingested and 3 failed", sum)
	}
	for _, f := range sum.Failures {
		name := filepath.Base(f.Path)
		if _, bad := inputs[name]; !bad || !strings.Contains(f.Reason, name) {
			t.Errorf("failure %s: reason %q should name the file", name, f.Reason)
		}
		d, err := st.Document(context.Background(), sha(inputs[name]))
		if err != nil || d == nil || d.Status != pipeline.StatusFailed || d.Error != f.Reason {
			t.Errorf("%s: stored as %+v, %v", name, d, err)
		}
	}
}

// The cross-year findings of a series do not depend on the order its
// years arrive in: an earlier year ingested after a later one re-evaluates
// the later one.
func TestCrossYearFindingsDoNotDependOnIngestOrder(t *testing.T) {
	files := []string{"dev-004.txt", "dev-026.txt", "dev-034.txt", "dev-005.txt", "dev-028.txt", "dev-018.txt"}
	oldestFirst := historyFindings(t, files)
	reversed := append([]string(nil), files...)
	sort.Sort(sort.Reverse(sort.StringSlice(reversed)))
	newestFirst := historyFindings(t, reversed)
	if len(oldestFirst) == 0 {
		t.Fatal("the series should repeat problems and passages across years")
	}
	if strings.Join(oldestFirst, "\n") != strings.Join(newestFirst, "\n") {
		t.Errorf("findings differ by order:\noldest first:\n%s\nnewest first:\n%s",
			strings.Join(oldestFirst, "\n"), strings.Join(newestFirst, "\n"))
	}
	recurring := 0
	for _, f := range oldestFirst {
		if strings.Contains(f, history.RuleRecurringProblem) {
			recurring++
		}
	}
	if recurring == 0 {
		t.Error("no history.recurring_problem in a series that repeats problems")
	}
}

// One parallel batch given the series newest first judges every report
// as one-by-one ingest in year order does: reports judged before an
// earlier year was saved, by this worker or another, are judged again.
func TestCrossYearFindingsOfOneParallelBatch(t *testing.T) {
	files := []string{"dev-004.txt", "dev-026.txt", "dev-034.txt", "dev-005.txt", "dev-028.txt", "dev-018.txt"}
	want := historyFindings(t, files)
	dir := t.TempDir()
	for i, f := range files {
		data, err := os.ReadFile(filepath.Join(corpus, f))
		if err != nil {
			t.Fatal(err)
		}
		// Walk order newest first: a folder per file, named in reverse.
		sub := filepath.Join(dir, fmt.Sprint(len(files)-i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, workers := range []int{1, 3} {
		st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
		if _, err := Run(context.Background(), st, []string{dir}, Options{Runners: runners, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		if got := storedHistoryFindings(t, st); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%d workers, newest first:\n%s\nwant:\n%s", workers, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// An import killed before it judged its stale reports again leaves them
// marked in the store; the next one judges them (here: a session that
// never ended, then another that does).
func TestStaleReportsOfAKilledImportAreJudgedByTheNext(t *testing.T) {
	files := []string{"dev-004.txt", "dev-026.txt", "dev-034.txt", "dev-005.txt", "dev-028.txt", "dev-018.txt"}
	want := historyFindings(t, files)
	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	ctx := context.Background()
	runner, release := runners()
	defer release()
	killed := NewSession(st)
	for i := len(files) - 1; i >= 0; i-- {
		data, err := os.ReadFile(filepath.Join(corpus, files[i]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := killed.Document(ctx, runner, "test", files[i], data, false); err != nil {
			t.Fatal(err)
		}
	}
	if got := storedHistoryFindings(t, st); strings.Join(got, "\n") == strings.Join(want, "\n") {
		t.Fatal("newest first without judging again should leave stale findings")
	}
	if err := NewSession(st).End(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if got := storedHistoryFindings(t, st); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after the next session:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n, err := st.StaleCount(ctx); err != nil || n != 0 {
		t.Errorf("%d marks left after judging: %v", n, err)
	}
}

// countingStore counts the stored reports read back, which only judging a
// report again does during an import.
type countingStore struct {
	*sqlite.Store
	reads atomic.Int64
}

func (c *countingStore) Report(ctx context.Context, id int64) (*pipeline.StoredReport, error) {
	c.reads.Add(1)
	return c.Store.Report(ctx, id)
}

// A batch whose series comes newest first, each year further from the next
// than the save queue reaches, judges each stale report again once, not
// once for every earlier year saved after it, and ends with the findings
// of year order.
func TestABatchJudgesEachStaleReportAgainOnce(t *testing.T) {
	files := []string{"dev-004.txt", "dev-026.txt", "dev-034.txt", "dev-005.txt", "dev-028.txt", "dev-018.txt"}
	want := historyFindings(t, files)
	dir := t.TempDir()
	// Other bodies: variants past the first copy (the corpus itself), whose
	// places are renamed.
	texts, err := filepath.Glob(filepath.Join(corpus, "dev-*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	fillers := writeVariants(t, t.TempDir(), len(texts)+queueDocs+1)[len(texts):]
	for i, f := range files {
		// Walk order newest first, a queue's length of other reports between.
		sub := filepath.Join(dir, fmt.Sprint(len(files)-i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		copyFile(t, filepath.Join(corpus, f), filepath.Join(sub, f))
		for k, p := range fillers {
			copyFile(t, p, filepath.Join(sub, fmt.Sprintf("z%d-%d.txt", i, k)))
		}
	}
	st := &countingStore{Store: openStore(t, filepath.Join(t.TempDir(), "j.db"))}
	if _, err := Run(context.Background(), st, []string{dir}, Options{Runners: runners, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if n := st.reads.Load(); n > int64(len(files)) {
		t.Errorf("%d reports judged again for a series of %d", n, len(files))
	}
	var got []string
	for _, f := range storedHistoryFindings(t, st) {
		if !strings.HasPrefix(f, "z") { // the fillers' own series
			got = append(got, f)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings differ from year order:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// historyFindings ingests files one by one in this order (separate batches,
// the worst case) and lists the stored history.* findings.
func historyFindings(t *testing.T, files []string) []string {
	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	ctx := context.Background()
	for _, f := range files {
		if _, err := Run(ctx, st, []string{filepath.Join(corpus, f)}, Options{Runners: runners, Workers: 1}); err != nil {
			t.Fatal(err)
		}
	}
	return storedHistoryFindings(t, st)
}

// storedHistoryFindings lists the history.* findings of every stored
// report as "file rule message", sorted.
func storedHistoryFindings(t *testing.T, st Store) []string {
	t.Helper()
	ctx := context.Background()
	list, _, err := st.Reports(ctx, pipeline.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range list {
		r, err := st.Report(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Extraction.Findings {
			if strings.HasPrefix(f.Rule, history.Prefix) {
				out = append(out, fmt.Sprintf("%s %s %s", r.Document.Name, f.Rule, f.Message))
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestReprocessReExtractsStoredOriginals(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	ctx := context.Background()
	path := filepath.Join(corpus, "dev-001.txt")
	if _, err := Run(ctx, st, []string{path}, Options{Runners: runners}); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(ctx, st, nil, Options{Runners: runners, Reprocess: true, Version: "next"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 1 || sum.Present != 0 {
		t.Fatalf("reprocess summary %+v", sum)
	}
	data, _ := os.ReadFile(path)
	d, _ := st.Document(ctx, sha(data))
	if d == nil || d.ExtractorVersion != "next" {
		t.Errorf("reprocessed document %+v should carry the new extractor version", d)
	}
	if _, total, _ := st.Reports(ctx, pipeline.ReportFilter{}); total != 1 {
		t.Errorf("%d reports after reprocessing one document", total)
	}
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// An upload names its report, the stored one when the bytes are stored
// already; a failure is read again each time and named; a text that is no
// report is refused unless forced.
func TestUploadNamesItsReportAndFailures(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	ctx := context.Background()
	runner, release := runners()
	defer release()
	good, _ := os.ReadFile(filepath.Join(corpus, "dev-001.txt"))
	res, err := Upload(ctx, st, runner, "test", "report.txt", good, false)
	if err != nil || res.Outcome != Ingested || len(res.ReportIDs) != 1 || res.ReportIDs[0] == 0 {
		t.Fatalf("upload = %+v, %v", res, err)
	}
	again, err := Upload(ctx, st, runner, "test", "copy.txt", good, false)
	if err != nil || again.Outcome != Present || !slices.Equal(again.ReportIDs, res.ReportIDs) {
		t.Errorf("the same document again = %+v, %v; want present as report %v", again, err, res.ReportIDs)
	}
	junk := []byte{0, 1, 2, 3, 0, 0xff}
	for i := 0; i < 2; i++ {
		res, err := Upload(ctx, st, runner, "test", "junk.txt", junk, false)
		if err != nil || res.Outcome != Failed || !strings.Contains(res.Reason, "junk.txt") || !strings.Contains(res.Reason, "不是文本文件") {
			t.Errorf("upload %d of junk: %+v, %v; want a failure naming the file, in Chinese", i+1, res, err)
		}
	}
	notice := []byte("关于召开工作会议的通知\n各科室：定于下周一上午九点在三楼会议室召开工作会议，请准时参加。\n办公室\n")
	refused, err := Upload(ctx, st, runner, "test", "通知.txt", notice, false)
	if err != nil || refused.Outcome != Failed || !strings.Contains(refused.Reason, "不是绩效自评报告") || !strings.Contains(refused.Reason, "--force") {
		t.Errorf("a meeting notice: %+v, %v", refused, err)
	}
	forced, err := Upload(ctx, st, runner, "test", "通知.txt", notice, true)
	if err != nil || forced.Outcome != Ingested {
		t.Errorf("a meeting notice, forced: %+v, %v", forced, err)
	}
}

// A short name's report stored before the first report under the full name
// counts among the full name's earlier years as soon as the full name
// arrives, as it does in the other order (自治区文化和旅游厅 2020 is an
// earlier year of 宁夏回族自治区文化和旅游厅 2022).
func TestShortNameStoredFirstJoinsTheFullNamesHistory(t *testing.T) {
	shortFirst := historyFindings(t, []string{"dev-034.txt", "dev-005.txt"})
	fullFirst := historyFindings(t, []string{"dev-005.txt", "dev-034.txt"})
	if strings.Join(shortFirst, "\n") != strings.Join(fullFirst, "\n") {
		t.Errorf("findings differ by order:\nshort name first:\n%s\nfull name first:\n%s",
			strings.Join(shortFirst, "\n"), strings.Join(fullFirst, "\n"))
	}
	if !strings.Contains(strings.Join(shortFirst, "\n"), "dev-005.txt history.") {
		t.Errorf("dev-005 (2022) has no finding against dev-034 (2020):\n%s", strings.Join(shortFirst, "\n"))
	}
}

func TestMain(m *testing.M) { pgtest.Main(m) }

// A folder with two copies of one report and a broken file: two documents
// read, one already present, the broken one failed — and failed again on
// the next run, never counted as present; the summary says so in Chinese.
func TestBatchCountsCopiesAndRetriesFailures(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile(filepath.Join(corpus, "dev-002.txt"))
	os.WriteFile(filepath.Join(dir, "a.txt"), good, 0o644)
	os.WriteFile(filepath.Join(dir, "b.txt"), good, 0o644)
	os.WriteFile(filepath.Join(dir, "bad.txt"), []byte{0, 1, 2, 0xff, 0xfe, 0}, 0o644)
	os.WriteFile(filepath.Join(dir, "通知.txt"), []byte("关于召开工作会议的通知\n各科室：定于下周一上午九点召开工作会议。\n"), 0o644)
	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	ctx := context.Background()
	for _, workers := range []int{1, 4} {
		first, err := Run(ctx, st, []string{dir}, Options{Runners: runners, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if workers == 1 && (first.Files != 4 || first.Ingested != 1 || first.Present != 1 || first.Failed != 2) {
			t.Errorf("first run: %+v; want 4 files, 1 ingested, 1 present, 2 failed", first)
		}
		if workers == 4 && (first.Present != 2 || first.Failed != 2 || first.Ingested != 0) {
			t.Errorf("second run: %+v; want the copies present and both failures tried and failed again", first)
		}
		var b strings.Builder
		first.Write(&b)
		for _, s := range []string{"共 4 份文件", "已在库中", "未能读取 2 份", "bad.txt", "不是文本文件", "不是绩效自评报告"} {
			if !strings.Contains(b.String(), s) {
				t.Errorf("summary lacks %q:\n%s", s, b.String())
			}
		}
	}
	forced, err := Run(ctx, st, []string{filepath.Join(dir, "通知.txt")}, Options{Runners: runners, Force: true})
	if err != nil || forced.Ingested != 1 {
		t.Errorf("--force: %+v, %v", forced, err)
	}
}
