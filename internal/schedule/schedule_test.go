package schedule

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/internal/pdf/pdftest"
	"github.com/jixiao/jixiao/internal/sqlite"
	"github.com/jixiao/jixiao/pipeline"
)

const corpus = "../../testdata/corpus"

// runners is the production pipeline: text, and PDF through internal/pdf.
var runners = pdf.NewRunner

// syncBuffer is a log sink safe for the intake's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newIntake(t *testing.T, spec string) (*Intake, string, *sqlite.Store, *syncBuffer) {
	t.Helper()
	inbox := filepath.Join(t.TempDir(), "inbox")
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	logs := &syncBuffer{}
	in, err := New(st, runners, inbox, spec, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	in.Settle, in.Quiet = 100*time.Millisecond, 100*time.Millisecond
	return in, inbox, st, logs
}

// emptyPDF is a valid one-page PDF with no text at all, like a scan
// without OCR.
func emptyPDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	}
	return pdftest.Assemble("1.4", objs...)
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestBadInboxInputEndsInFailedWithItsReason(t *testing.T) {
	in, inbox, st, logs := newIntake(t, "@every 1h")
	in.MaxWait = 300 * time.Millisecond
	good, err := os.ReadFile(filepath.Join(corpus, "dev-002.txt"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(inbox, "good.txt"), good)
	bad := map[string][]byte{
		"empty.txt":  {},
		"junk.doc":   {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0, 0, 0, 0, 0, 0x3e, 0, 3, 0, 0xfe, 0xff},
		"scan.pdf":   emptyPDF(),
		"broken.pdf": append([]byte("%PDF-1.7\n"), good[:200]...),
	}
	for name, data := range bad {
		write(t, filepath.Join(inbox, name), data)
	}
	// A file still being written the whole time: it must wait, then be
	// given up after MaxWait, never read half-written.
	growing := filepath.Join(inbox, "growing.txt")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f, err := os.Create(growing)
		if err != nil {
			return
		}
		defer f.Close()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				f.Write(good[i%len(good) : i%len(good)+1])
			}
		}
	}()
	defer func() { close(stop); wg.Wait() }()
	time.Sleep(30 * time.Millisecond)

	in.RunOnce()
	if !exists(filepath.Join(inbox, DoneDir, "good.txt")) {
		t.Errorf("good.txt not in done/; log:\n%s", logs)
	}
	for name := range bad {
		reason, err := os.ReadFile(filepath.Join(inbox, FailedDir, name+".reason.txt"))
		if err != nil || !exists(filepath.Join(inbox, FailedDir, name)) {
			t.Errorf("%s not in failed/ with its reason: %v; log:\n%s", name, err, logs)
			continue
		}
		if !strings.Contains(string(reason), name) || len(strings.TrimSpace(string(reason))) <= len(name)+2 {
			t.Errorf("%s: reason %q should name the file and say why", name, reason)
		}
	}
	if !exists(growing) {
		t.Fatal("a file still being written was taken on the first run")
	}
	time.Sleep(in.MaxWait + 50*time.Millisecond)
	in.RunOnce()
	reason, err := os.ReadFile(filepath.Join(inbox, FailedDir, "growing.txt.reason.txt"))
	if err != nil || !strings.Contains(string(reason), "仍在写入") {
		t.Errorf("growing.txt: reason %q, %v; log:\n%s", reason, err, logs)
	}
	if exists(growing) {
		t.Error("growing.txt still in the inbox after MaxWait")
	}

	// Every failure is in the store too, with its bytes.
	docs, err := st.Failures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(bad) {
		t.Errorf("%d failures stored, want %d", len(docs), len(bad))
	}
	if _, total, _ := st.Reports(context.Background(), pipeline.ReportFilter{}); total != 1 {
		t.Errorf("%d reports stored, want 1", total)
	}
}

// The same file arriving twice is not read twice and does not overwrite
// the first copy in done/; the scheduled service keeps taking files in
// after bad ones, and stops cleanly.
func TestScheduledIntakeKeepsRunningAndNeverOverwrites(t *testing.T) {
	in, inbox, st, logs := newIntake(t, "@every 1s")
	good, _ := os.ReadFile(filepath.Join(corpus, "dev-004.txt"))
	write(t, filepath.Join(inbox, "report.txt"), good)
	write(t, filepath.Join(inbox, "junk.txt"), []byte{0, 0, 0, 1, 2, 3})
	in.Start()
	waitFor(t, logs, filepath.Join(inbox, DoneDir, "report.txt"))
	waitFor(t, logs, filepath.Join(inbox, FailedDir, "junk.txt.reason.txt"))
	write(t, filepath.Join(inbox, "report.txt"), good)
	waitFor(t, logs, filepath.Join(inbox, DoneDir, "report-1.txt"))
	other, _ := os.ReadFile(filepath.Join(corpus, "dev-005.txt"))
	write(t, filepath.Join(inbox, "other.txt"), other)
	waitFor(t, logs, filepath.Join(inbox, DoneDir, "other.txt"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := in.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := st.Reports(context.Background(), pipeline.ReportFilter{}); total != 2 {
		t.Errorf("%d reports stored, want 2 (the copy is the same document)", total)
	}
	if !strings.Contains(logs.String(), "已在库中") {
		t.Errorf("the second copy should be logged as already stored; log:\n%s", logs)
	}
}

func waitFor(t *testing.T, logs *syncBuffer, path string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !exists(path) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear; log:\n%s", path, logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A later year taken in before an earlier one in the same run still gets
// its cross-year findings.
func TestIntakeEvaluatesCrossYearRulesWhateverTheOrder(t *testing.T) {
	in, inbox, st, logs := newIntake(t, "@every 1h")
	y2019, _ := os.ReadFile(filepath.Join(corpus, "dev-026.txt"))
	y2018, _ := os.ReadFile(filepath.Join(corpus, "dev-004.txt"))
	write(t, filepath.Join(inbox, "a-2019.txt"), y2019)
	write(t, filepath.Join(inbox, "b-2018.txt"), y2018)
	in.RunOnce()
	list, _, err := st.Reports(context.Background(), pipeline.ReportFilter{Sort: "-year"})
	if err != nil || len(list) != 2 {
		t.Fatalf("%d reports, %v; log:\n%s", len(list), err, logs)
	}
	r, err := st.Report(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range r.Extraction.Findings {
		if strings.HasPrefix(f.Rule, "history.") {
			n++
		}
	}
	if n == 0 {
		t.Errorf("the %d report has no cross-year findings against the year before it", list[0].Year)
	}
}

// A file named as still being copied (.part) waits however stable it is;
// renamed to its own name it is taken. The log says when the next run is
// (not 0001-01-01), and a failure's reason is in Chinese.
func TestPartialFilesWaitAndTheLogSaysTheNextRun(t *testing.T) {
	in, inbox, _, logs := newIntake(t, "@every 1h")
	good, _ := os.ReadFile(filepath.Join(corpus, "dev-004.txt"))
	part := filepath.Join(inbox, "report.txt.part")
	write(t, part, good)
	write(t, filepath.Join(inbox, "junk.txt"), []byte{0, 0, 0, 1, 2, 3})
	in.RunOnce()
	if !exists(part) {
		t.Fatal("a .part file was taken")
	}
	if err := os.Rename(part, filepath.Join(inbox, "report.txt")); err != nil {
		t.Fatal(err)
	}
	in.RunOnce()
	if !exists(filepath.Join(inbox, DoneDir, "report.txt")) {
		t.Errorf("the completed file was not taken; log:\n%s", logs)
	}
	reason, _ := os.ReadFile(filepath.Join(inbox, FailedDir, "junk.txt.reason.txt"))
	if !strings.Contains(string(reason), "junk.txt") || !strings.Contains(string(reason), "不是文本文件") {
		t.Errorf("reason %q", reason)
	}
	in.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := in.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	next := time.Now().Add(time.Hour).Format("2006-01-02")
	if !strings.Contains(logs.String(), "下次运行=\""+next) || strings.Contains(logs.String(), "0001-01-01") {
		t.Errorf("the log does not say the next run; log:\n%s", logs)
	}
}

// A workbook of several forms in the inbox is taken in whole: every report
// stored, the file moved to done/. Its two years of one project are judged
// against each other when the run ends.
func TestAWorkbookInTheInboxIsAllItsReports(t *testing.T) {
	in, inbox, st, logs := newIntake(t, "@every 1h")
	data, err := os.ReadFile("../../testdata/corpus2/dev2-025.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(inbox, "两年.xlsx"), data)
	in.RunOnce()
	if !exists(filepath.Join(inbox, DoneDir, "两年.xlsx")) {
		t.Fatalf("the workbook is not in done/; log:\n%s", logs)
	}
	ids, err := st.ReportIDs(context.Background(), sha256Hex(data))
	if err != nil || len(ids) != 2 {
		t.Fatalf("the workbook's reports: %v, %v", ids, err)
	}
	later, err := st.Report(context.Background(), ids[1])
	if err != nil || later == nil || later.Extraction.Report.Year != 2020 {
		t.Fatalf("second report: %+v, %v", later, err)
	}
	n := 0
	for _, f := range later.Extraction.Findings {
		if strings.HasPrefix(f.Rule, "history.") {
			n++
		}
	}
	if n == 0 {
		t.Error("the 2020 form has no cross-year findings against the 2019 form beside it")
	}
	if !strings.Contains(logs.String(), "新报告=2") {
		t.Errorf("the log does not count the reports; log:\n%s", logs)
	}
}

func sha256Hex(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}
