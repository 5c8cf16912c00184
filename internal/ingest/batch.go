package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/internal/office"
	"github.com/jixiao/jixiao/internal/ooxml"
	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/internal/textload"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// Options tune a batch. Runners is required.
type Options struct {
	Runners RunnerFactory
	// Workers run the pipeline at once; 0 means twice the number of CPUs.
	Workers int
	// Reprocess re-extracts documents already stored. With no paths, every
	// stored document is re-extracted from its kept original.
	Reprocess bool
	// Force stores a text that does not look like a self-evaluation report
	// (a meeting notice), which is otherwise refused as a failure.
	Force bool
	// Version is the extractor version recorded with each document.
	Version string
	// Progress receives a progress bar (TTY) or periodic lines; nil is quiet.
	Progress io.Writer
	TTY      bool
	// Every is the interval of the plain progress lines; 0 means 5 s.
	Every time.Duration
}

// Failure is a document that could not be read.
type Failure struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Summary is the outcome of a batch.
type Summary struct {
	Files    int `json:"files"`
	Ingested int `json:"ingested"`
	// Reports are those the ingested files hold: more than the files when
	// a workbook holds several projects' forms.
	Reports  int       `json:"reports"`
	Present  int       `json:"present"`
	Failed   int       `json:"failed"`
	Failures []Failure `json:"failures"`
	// Skipped are the files a folder walk passed over, each with why:
	// symbolic links, named pipes, devices, sockets, files neither named
	// nor made like a report.
	Skipped []Failure     `json:"skipped"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Write prints the summary for a person.
func (s Summary) Write(w io.Writer) {
	reports := ""
	if s.Reports != s.Ingested {
		reports = fmt.Sprintf("（共 %d 份报告）", s.Reports)
	}
	fmt.Fprintf(w, "共 %d 份文件（用时 %s）：新导入 %d 份%s，已在库中 %d 份（内容相同，跳过），未能读取 %d 份\n",
		s.Files, elapsedText(s.Elapsed), s.Ingested, reports, s.Present, s.Failed)
	for _, f := range s.Failures {
		fmt.Fprintf(w, "  未能读取：%s：%s\n", f.Path, f.Reason)
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "跳过 %d 个文件：\n", len(s.Skipped))
		for _, f := range s.Skipped {
			fmt.Fprintf(w, "  跳过：%s：%s\n", f.Path, f.Reason)
		}
	}
}

// Extensions a folder walk picks up by name (scans among them: page images
// go to OCR); files named on the command line are read whatever their
// name. Any other file in a folder is read when its bytes say PDF, Word,
// Excel or a page image (a report saved under a wrong name), and listed in
// Summary.Skipped otherwise: any file is "text", so only text is taken by
// its name.
var Extensions = []string{".txt", ".text", ".pdf", ".docx", ".xlsx", ".doc", ".xls", ".wps", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}

// job is one document to read: a file, or a stored original to reprocess
// (read when its turn comes, not all at once).
type job struct {
	path   string
	stored string // sha256 of a stored original
	wait   bool   // wait for another worker's claim on it
	root   string // the folder it was found in ("" when named): read only inside it
}

// Run ingests every document under paths (files, or folders walked for
// Extensions) and returns the summary. With Reprocess and no paths it
// re-extracts every stored document. Cancelling ctx stops handing out new
// documents; those in hand are finished.
func Run(ctx context.Context, st Store, paths []string, opts Options) (Summary, error) {
	start := time.Now()
	files := 0
	var skipped []Failure
	skip := func(path, reason string) { skipped = append(skipped, Failure{Path: path, Reason: reason}) }
	if err := walk(ctx, st, paths, opts.Reprocess, skip, func(job) error { files++; return nil }); err != nil {
		return Summary{}, err
	}
	workers := opts.Workers
	if workers <= 0 {
		// Twice the CPUs: saves take turns on the store's one writer,
		// which is busy three quarters of the time, so on few cores a
		// worker waiting for it would leave a core idle; spare workers
		// keep a report read and ready for when the writer frees.
		workers = 2 * runtime.NumCPU()
	}
	workers = max(1, min(workers, files))

	prog := newProgress(opts, files)
	feed := make(chan job)
	results := make(chan Result)
	errs := make(chan error, workers+1)
	feedCtx, stopFeed := context.WithCancel(ctx)
	defer stopFeed()
	queue := newSaveQueue()
	later := &jobList{}
	// Documents in hand (read, or waiting in the queue) finish even when
	// ctx is cancelled.
	inHand := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runner, release := opts.Runners()
			defer release()
			fail := func(err error) {
				errs <- err
				stopFeed()
			}
			save := func(t *turn) bool {
				res, err := t.save(inHand, st)
				if err != nil {
					fail(err)
					return false
				}
				results <- res
				return true
			}
			take := func(j job) bool {
				p, res, err := one(inHand, st, runner, opts, j)
				if err != nil {
					fail(err)
					return false
				}
				if res.Outcome == Busy && p == nil {
					later.push(j)
					return true
				}
				if p == nil {
					results <- res
					return true
				}
				t, dup := queue.push(p)
				if dup {
					p.release()
					res.Outcome = Present
					results <- res
					return true
				}
				return t == nil || save(t)
			}
			drain := func() bool {
				for t := queue.pop(); t != nil; t = queue.pop() {
					if !save(t) {
						return false
					}
				}
				return true
			}
			for j := range feed {
				if !take(j) {
					return
				}
			}
			if !drain() {
				return
			}
			// Documents another worker held when their turn came: waited
			// for now, and found saved, or read here if it let go unsaved.
			// The queue is empty first, so no claim waited for is held by
			// a document waiting in it.
			for j, ok := later.pop(); ok; j, ok = later.pop() {
				j.wait = true
				if !take(j) || !drain() {
					return
				}
			}
		}()
	}
	go func() {
		defer close(feed)
		send := func(j job) error {
			select {
			case feed <- j:
				return nil
			case <-feedCtx.Done():
				return feedCtx.Err()
			}
		}
		err := walkFrom(feedCtx, st, paths, opts.Reprocess, startAt(st, files), send)
		if err != nil && feedCtx.Err() == nil {
			errs <- err // a folder that went away between the count and the read
		}
	}()
	go func() { wg.Wait(); close(results) }()

	sum := Summary{Files: files, Failures: []Failure{}, Skipped: skipped}
	for res := range results {
		sum.add(res)
		prog.update(sum)
	}
	prog.finish(sum)
	select {
	case err := <-errs:
		return sum, err
	default:
	}
	// The reports saves made stale are judged again once the batch is saved.
	if err := NewSession(st).End(context.WithoutCancel(ctx), workers); err != nil {
		return sum, err
	}
	// A batch ends searchable: stores that index in batches index the rest.
	if ix, ok := st.(interface{ IndexPending(context.Context) error }); ok {
		if err := ix.IndexPending(context.WithoutCancel(ctx)); err != nil {
			return sum, err
		}
	}
	sum.Elapsed = time.Since(start)
	if ctx.Err() != nil {
		return sum, ctx.Err()
	}
	return sum, nil
}

// elapsedText is a duration as a person reads it: 1.2 秒, 3 分 5 秒.
func elapsedText(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d 毫秒", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f 秒", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%d 分 %d 秒", int(d.Minutes()), int(d.Seconds())%60)
}

func (s *Summary) add(r Result) {
	switch r.Outcome {
	case Ingested:
		s.Ingested++
		s.Reports += len(r.ReportIDs)
	case Present:
		s.Present++
	case Failed:
		s.Failed++
		s.Failures = append(s.Failures, Failure{Path: r.Path, Reason: r.Reason})
	}
}

// one reads a document and runs the pipeline on it: the document to save,
// or nil and its Result (already stored, or failed).
func one(ctx context.Context, st Store, runner *run.Runner, opts Options, j job) (*prepared, Result, error) {
	var data []byte
	var err error
	if j.stored != "" {
		if data, err = st.Original(ctx, j.stored); err != nil {
			return nil, Result{Path: j.path, Outcome: Failed, Reason: fmt.Sprintf("%s: %v", j.path, err)}, nil
		}
	} else if data, err = readJob(j); err != nil {
		return nil, Result{Path: j.path, Outcome: Failed, Reason: ReasonZH(err.Error())}, nil
	}
	return prepare(ctx, st, runner, opts.Version, j.path, data, readMode{reprocess: opts.Reprocess, wait: j.wait, force: opts.Force})
}

func readJob(j job) ([]byte, error) {
	if j.root != "" {
		return ReadFound(j.root, j.path)
	}
	return ReadFile(j.path)
}

// startAt is where in the walk a batch starts. Where several workers share
// the store and import the same folders, each starts at a place of its own
// and goes round: they meet rarely on one document, and more rarely still
// on one body's reports, whose files lie near each other and whose saves
// at the same moment make each other's cross-year findings stale.
func startAt(st Store, files int) int {
	if _, shared := st.(Claimer); !shared || files == 0 {
		return 0
	}
	return rand.IntN(files)
}

// walkFrom is walk beginning at the document numbered start and going
// round to the ones before it.
func walkFrom(ctx context.Context, st Store, paths []string, reprocess bool, start int, fn func(job) error) error {
	i := 0
	err := walk(ctx, st, paths, reprocess, nil, func(j job) error {
		i++
		if i <= start {
			return nil
		}
		return fn(j)
	})
	if err != nil || start == 0 {
		return err
	}
	i = 0
	err = walk(ctx, st, paths, reprocess, nil, func(j job) error {
		if i++; i > start {
			return errStop
		}
		return fn(j)
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// errStop ends a walk early.
var errStop = errors.New("stop")

// walk calls fn for each document to read, in walk order: the files under
// paths, or every stored original when reprocessing with no paths. A batch
// walks twice, to count and to read, rather than keep a list of every
// file: its memory must not grow with the number of files.
func walk(ctx context.Context, st Store, paths []string, reprocess bool, skip func(path, reason string), fn func(job) error) error {
	if len(paths) == 0 && reprocess {
		docs, err := st.Documents(ctx)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if err := fn(job{path: d.Name, stored: d.SHA256}); err != nil {
				return err
			}
		}
		return nil
	}
	if skip == nil {
		skip = func(string, string) {}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !info.IsDir() {
			if err := fn(job{path: p}); err != nil {
				return err
			}
			continue
		}
		if err := walkFolder(folderRoot(p), skip, fn); err != nil {
			return err
		}
	}
	return nil
}

// folderRoot is the folder a person named, itself when it is a symbolic
// link to a folder: the links found inside are refused, not the one named.
func folderRoot(p string) string {
	if info, err := os.Lstat(p); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return real
		}
	}
	return p
}

// walkFolder calls fn for each document under root, subfolders included,
// and skip for each file passed over, with why: symbolic links (never
// followed), named pipes, devices and sockets, files neither named nor
// made like a report. Hidden files and folders are passed over unlisted
// (editors' and synchronisers' own).
func walkFolder(root string, skip func(path, reason string), fn func(job) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		hidden := strings.HasPrefix(d.Name(), ".") && path != root
		switch {
		case d.IsDir() && hidden:
			return filepath.SkipDir
		case d.IsDir() || hidden:
			return nil
		case !d.Type().IsRegular():
			skip(path, KindReason(d.Type()))
			return nil
		case wanted(d.Name()):
			return fn(job{path: path, root: root})
		}
		if reason := notReport(root, path); reason != "" {
			skip(path, reason)
			return nil
		}
		return fn(job{path: path, root: root})
	})
}

func wanted(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range Extensions {
		if ext == e {
			return true
		}
	}
	return false
}

// rejudge judges again the reports marked stale, on up to n goroutines
// (each report by one of them, or by another worker's); the first error
// ends it.
func rejudge(ctx context.Context, st Store, n int) error {
	judge := func(ctx context.Context, id int64) ([]pipeline.Finding, bool, error) { return reevaluate(ctx, st, id) }
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range max(1, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- st.RejudgeStale(ctx, history.Prefix, judge)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// reevaluate judges one stored report against the store again: its fresh
// cross-year findings and whether they changed. A report replaced meanwhile
// (reprocessed under a new id) is gone, and nothing to judge.
func reevaluate(ctx context.Context, st Store, id int64) ([]pipeline.Finding, bool, error) {
	sr, err := st.Report(ctx, id)
	if err != nil || sr == nil || sr.VersionID != id {
		// Gone, or an earlier version of its report: only the latest
		// version of a report is judged against the other years.
		return nil, false, err
	}
	r := &sr.Extraction.Report
	earlier, err := earlierReports(ctx, st, r.Organization, r.Year)
	if err != nil {
		return nil, false, err
	}
	fresh := history.Evaluate(sr.Extraction, earlier)
	var old []pipeline.Finding
	for _, f := range sr.Extraction.Findings {
		if strings.HasPrefix(f.Rule, history.Prefix) {
			old = append(old, f)
		}
	}
	return fresh, !sameFindings(old, fresh), nil
}

func sameFindings(a, b []pipeline.Finding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Rule != b[i].Rule || a[i].Message != b[i].Message {
			return false
		}
	}
	return true
}

// jobList holds the documents another worker had claimed when their turn
// came, for the end of the batch.
type jobList struct {
	mu   sync.Mutex
	jobs []job
}

func (l *jobList) push(j job) {
	l.mu.Lock()
	l.jobs = append(l.jobs, j)
	l.mu.Unlock()
}

func (l *jobList) pop() (job, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.jobs) == 0 {
		return job{}, false
	}
	j := l.jobs[len(l.jobs)-1]
	l.jobs = l.jobs[:len(l.jobs)-1]
	return j, true
}

// notReport says why a file not named like a report is skipped, "" when
// its bytes make it one (a PDF, a Word or Excel file, an old Office file).
func notReport(root, path string) string {
	head, err := readHead(root, path)
	if err != nil {
		return ReasonZH(err.Error())
	}
	switch {
	case textload.IsPDF(head), office.IsOLE2(head), raster.Format(head) != "":
		return ""
	case ooxml.IsZip(head):
		data, err := ReadFound(root, path)
		if err != nil {
			return ReasonZH(err.Error())
		}
		if f := run.Format(data, path); f == "docx" || f == "xlsx" {
			return ""
		}
		return "是 zip 压缩包，不是 Word（.docx）或 Excel（.xlsx）文件"
	}
	return "扩展名不是报告格式（.txt .pdf .docx .xlsx .doc .xls .wps .png .jpg .tif），内容也不是 PDF、Word、Excel 或扫描图像"
}

// readHead reads the first kilobyte of path, found under root, as
// ReadFound reads the whole.
func readHead(root, path string) ([]byte, error) {
	f, err := openFound(root, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := regular(f, path); err != nil {
		return nil, err
	}
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	return head[:n], nil
}
