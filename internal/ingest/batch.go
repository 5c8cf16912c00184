package ingest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jixiao/jixiao/internal/history"
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
	Files    int           `json:"files"`
	Ingested int           `json:"ingested"`
	Present  int           `json:"present"`
	Failed   int           `json:"failed"`
	Failures []Failure     `json:"failures"`
	Elapsed  time.Duration `json:"elapsed_ns"`
}

// Write prints the summary for a person.
func (s Summary) Write(w io.Writer) {
	fmt.Fprintf(w, "%d files in %s: %d ingested, %d already present (same sha256, skipped), %d failed\n",
		s.Files, s.Elapsed.Round(time.Millisecond), s.Ingested, s.Present, s.Failed)
	for _, f := range s.Failures {
		fmt.Fprintf(w, "  failed: %s: %s\n", f.Path, f.Reason)
	}
}

// Extensions a folder walk picks up (scans among them: page images go to
// OCR); files named on the command line are read whatever their name.
var Extensions = []string{".txt", ".text", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}

// job is one document to read: a file, or a stored original to reprocess
// (read when its turn comes, not all at once).
type job struct {
	path   string
	stored string // sha256 of a stored original
}

// Run ingests every document under paths (files, or folders walked for
// Extensions) and returns the summary. With Reprocess and no paths it
// re-extracts every stored document. Cancelling ctx stops handing out new
// documents; those in hand are finished.
func Run(ctx context.Context, st Store, paths []string, opts Options) (Summary, error) {
	start := time.Now()
	files := 0
	if err := walk(ctx, st, paths, opts.Reprocess, func(job) error { files++; return nil }); err != nil {
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
			for j := range feed {
				p, res, err := one(inHand, st, runner, opts, j)
				if err != nil {
					fail(err)
					return
				}
				if p == nil {
					results <- res
					continue
				}
				t, dup := queue.push(p)
				if dup {
					res.Outcome = Present
					results <- res
					continue
				}
				if t != nil && !save(t) {
					return
				}
			}
			for t := queue.pop(); t != nil; t = queue.pop() {
				if !save(t) {
					return
				}
			}
		}()
	}
	go func() {
		defer close(feed)
		err := walk(feedCtx, st, paths, opts.Reprocess, func(j job) error {
			select {
			case feed <- j:
				return nil
			case <-feedCtx.Done():
				return feedCtx.Err()
			}
		})
		if err != nil && feedCtx.Err() == nil {
			errs <- err // a folder that went away between the count and the read
		}
	}()
	go func() { wg.Wait(); close(results) }()

	sum := Summary{Files: files, Failures: []Failure{}}
	// The reports to judge again once the batch is saved.
	session := NewSession(st)
	for res := range results {
		sum.add(res)
		prog.update(sum)
		session.add(res)
	}
	prog.finish(sum)
	select {
	case err := <-errs:
		return sum, err
	default:
	}
	if err := session.End(context.WithoutCancel(ctx), workers); err != nil {
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

func (s *Summary) add(r Result) {
	switch r.Outcome {
	case Ingested:
		s.Ingested++
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
	} else if data, err = ReadFile(j.path); err != nil {
		return nil, Result{Path: j.path, Outcome: Failed, Reason: err.Error()}, nil
	}
	return prepare(ctx, st, runner, opts.Version, j.path, data, opts.Reprocess)
}

// walk calls fn for each document to read, in walk order: the files under
// paths, or every stored original when reprocessing with no paths. A batch
// walks twice, to count and to read, rather than keep a list of every
// file: its memory must not grow with the number of files.
func walk(ctx context.Context, st Store, paths []string, reprocess bool, fn func(job) error) error {
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
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			hidden := strings.HasPrefix(d.Name(), ".") && path != p
			if d.IsDir() {
				if hidden {
					return filepath.SkipDir
				}
				return nil
			}
			if !hidden && d.Type().IsRegular() && wanted(d.Name()) {
				return fn(job{path: path})
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
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

// rejudge re-evaluates the cross-year rules of the stale reports, oldest
// id first, on up to n goroutines; the first error ends it.
func rejudge(ctx context.Context, st Store, stale map[int64]struct{}, n int) error {
	ids := slices.Sorted(maps.Keys(stale))
	feed := make(chan int64)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range max(1, min(n, len(ids))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range feed {
				if err := reevaluate(ctx, st, id); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var err error
loop:
	for _, id := range ids {
		select {
		case feed <- id:
		case err = <-errs:
			break loop
		}
	}
	close(feed)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return err
}

// reevaluate judges one stored report against the store again and replaces
// its cross-year findings when they changed. A report replaced meanwhile
// (reprocessed under a new id) is gone, and nothing to judge.
func reevaluate(ctx context.Context, st Store, id int64) error {
	sr, err := st.Report(ctx, id)
	if err != nil || sr == nil {
		return err
	}
	r := &sr.Extraction.Report
	earlier, err := earlierReports(ctx, st, r.Organization, r.Year)
	if err != nil {
		return err
	}
	fresh := history.Evaluate(sr.Extraction, earlier)
	var old []pipeline.Finding
	for _, f := range sr.Extraction.Findings {
		if strings.HasPrefix(f.Rule, history.Prefix) {
			old = append(old, f)
		}
	}
	if sameFindings(old, fresh) {
		return nil
	}
	return st.ReplaceFindings(ctx, id, history.Prefix, fresh)
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
