// Package ingest reads many documents into the store: it walks folders,
// runs the pipeline in parallel (each worker with its own run.Runner), skips
// documents already stored (same sha256), records failures with their
// reason, and evaluates the cross-year rules against the store.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/internal/textload"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// Store is what ingest needs of the store: pipeline.Store plus listing the
// documents (for --reprocess), the years of an organisation's series by
// report id, and what judging cross-year findings again needs (when an
// earlier year arrives after a later one).
type Store interface {
	pipeline.Store
	Documents(ctx context.Context) ([]pipeline.Document, error)
	SeriesYears(ctx context.Context, organization string) (map[int64]int, error)
	ReplaceFindings(ctx context.Context, reportID int64, rulePrefix string, fs []pipeline.Finding) error
	// StaleReports lists the reports saves of earlier years marked stale
	// (in the saves' transactions), and the last mark, for ClearStale.
	StaleReports(ctx context.Context) (ids []int64, upTo int64, err error)
	ClearStale(ctx context.Context, upTo int64) error
}

// RunnerFactory makes a pipeline runner and the function releasing it.
type RunnerFactory func() (*run.Runner, func())

// MaxFileSize bounds one document; larger files fail before being read.
const MaxFileSize = 256 << 20

// Outcome is what became of one document.
type Outcome int

const (
	Ingested Outcome = iota // read and stored
	Present                 // already in the store (same sha256), skipped
	Failed                  // could not be read; recorded with its reason
)

func (o Outcome) String() string {
	return [...]string{"ingested", "present", "failed"}[o]
}

// Result is one document's outcome.
type Result struct {
	Path     string
	SHA256   string
	Outcome  Outcome
	Reason   string // for Failed
	ReportID int64  // for Ingested
	Org      string
	Year     int
	// stale says the report was judged without an earlier year another
	// worker saved meanwhile (see judgedStale).
	stale bool
}

// Document reads one document's bytes into the store: skip when its sha256
// is stored (unless reprocess), else run the pipeline, evaluate the
// cross-year rules against the store, save the report or the failure, and
// judge again the reports the save made stale. An error is returned only
// when the store itself fails; a document that cannot be read is a Failed
// result.
func Document(ctx context.Context, st Store, runner *run.Runner, version, path string, data []byte, reprocess bool) (Result, error) {
	s := NewSession(st)
	res, err := s.Document(ctx, runner, version, path, data, reprocess)
	if err != nil {
		return res, err
	}
	return res, s.End(ctx, 1)
}

// Session reads documents one at a time (an inbox run) and judges the
// reports their saves made stale once, when it ends, however many of its
// documents made a report stale. The store marks the later years a save
// makes stale in the save's transaction, so a killed session leaves them
// for the next one's End; a session keeps only the rarer reports judged
// without an earlier year saved meanwhile. It is for one goroutine.
type Session struct {
	st    Store
	stale map[int64]struct{}
}

func NewSession(st Store) *Session { return &Session{st: st, stale: map[int64]struct{}{}} }

// Document is the package's Document without the judging, left to End.
func (s *Session) Document(ctx context.Context, runner *run.Runner, version, path string, data []byte, reprocess bool) (Result, error) {
	p, res, err := prepare(ctx, s.st, runner, version, path, data, reprocess)
	if err != nil || p == nil {
		return res, err
	}
	res, err = p.save(ctx, s.st)
	s.add(res)
	return res, err
}

func (s *Session) add(res Result) {
	if res.stale {
		s.stale[res.ReportID] = struct{}{}
	}
}

// End judges the stale reports again, on up to workers goroutines: those
// the store has marks for (this session's, or a killed one's) and those
// the session kept.
func (s *Session) End(ctx context.Context, workers int) error {
	marked, upTo, err := s.st.StaleReports(ctx)
	if err != nil {
		return err
	}
	for _, id := range marked {
		s.stale[id] = struct{}{}
	}
	err = rejudge(ctx, s.st, s.stale, workers)
	clear(s.stale)
	if err != nil {
		return err
	}
	return s.st.ClearStale(ctx, upTo)
}

// prepared is a read document waiting to be judged against the store and
// saved.
type prepared struct {
	res  Result
	doc  pipeline.Document
	data []byte
	ext  *pipeline.Extraction
}

// prepare is the first half of Document: skip a stored document, run the
// pipeline, record a failure. It returns the document to save, or nil and
// the final Result.
func prepare(ctx context.Context, st Store, runner *run.Runner, version, path string, data []byte, reprocess bool) (*prepared, Result, error) {
	sum := sha256.Sum256(data)
	res := Result{Path: path, SHA256: hex.EncodeToString(sum[:])}
	stored, err := st.Document(ctx, res.SHA256)
	if err != nil {
		return nil, res, err
	}
	if stored != nil && !reprocess {
		res.Outcome = Present
		return nil, res, nil
	}
	name := filepath.Base(path)
	doc := pipeline.Document{
		SHA256: res.SHA256, Name: name, Size: int64(len(data)), Format: guessFormat(data),
		ExtractorVersion: version, IngestedAt: time.Now(),
	}
	ext, err := readable(ctx, runner, name, data)
	if err != nil {
		if ctx.Err() != nil {
			return nil, res, ctx.Err()
		}
		res.Outcome, res.Reason = Failed, err.Error()
		return nil, res, st.SaveFailure(ctx, doc, data, res.Reason)
	}
	doc.Format, doc.Pages, doc.Extractor = ext.Source.Format, ext.Source.Pages, ext.Source.Extractor
	// Clone: the name is a slice of the whole normalised text, which a
	// batch must not keep alive for every document it has read.
	res.Org, res.Year = strings.Clone(ext.Report.Organization), ext.Report.Year
	return &prepared{res: res, doc: doc, data: data, ext: ext}, res, nil
}

// save is the second half of Document: evaluate the cross-year rules
// against the store and save the report. The store marks the later years
// the save made stale; the Result says whether the report itself is (see
// judgedStale). The caller judges them again: a batch once at its end,
// however many of its saves made a report stale, a single document at once.
func (p *prepared) save(ctx context.Context, st Store) (Result, error) {
	res := p.res
	if n, ok := st.(organizationNoter); ok && res.Org != "" && res.Year > 0 {
		if err := n.NoteOrganization(ctx, res.Org); err != nil {
			return res, err
		}
	}
	seen, err := crossYear(ctx, st, p.ext)
	if err != nil {
		return res, err
	}
	id, err := st.SaveReport(ctx, p.doc, p.data, p.ext)
	if err != nil {
		return res, err
	}
	res.ReportID = id
	res.Outcome = Ingested
	res.stale, err = judgedStale(ctx, st, res, seen)
	return res, err
}

// judgedStale tells, right after the save of report res, whether it was
// judged without an earlier year of its organisation saved meanwhile by
// another worker or process: a report id above seen, the highest id its
// judgement read. Report ids only grow, so nothing saved after a judgement
// has an id it read.
func judgedStale(ctx context.Context, st Store, res Result, seen int64) (bool, error) {
	if res.Org == "" || res.Year == 0 {
		return false, nil
	}
	series, err := st.SeriesYears(ctx, res.Org)
	if err != nil {
		return false, err
	}
	for id, year := range series {
		if id != res.ReportID && year > 0 && year < res.Year && id > seen {
			return true, nil
		}
	}
	return false, nil
}

// readable runs the pipeline and refuses what has no text to review.
func readable(ctx context.Context, runner *run.Runner, name string, data []byte) (*pipeline.Extraction, error) {
	ext, err := runner.File(ctx, name, data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(ext.Text) == "" {
		if ext.Source.Format == "pdf" {
			return nil, fmt.Errorf("%s: the PDF has no text layer (a scan?)", name)
		}
		return nil, fmt.Errorf("%s: no text", name)
	}
	return ext, nil
}

// CrossYear replaces the extraction's cross-year findings (history.*) by
// those against the same organisation's earlier reports in st; `check --db`
// and every ingest use it.
func CrossYear(ctx context.Context, st pipeline.Store, ext *pipeline.Extraction) error {
	_, err := crossYear(ctx, st, ext)
	return err
}

// crossYear is CrossYear that also returns the highest report id it read.
func crossYear(ctx context.Context, st pipeline.Store, ext *pipeline.Extraction) (seen int64, err error) {
	r := &ext.Report
	if r.Organization == "" || r.Year == 0 {
		return 0, nil
	}
	earlier, err := earlierReports(ctx, st, r.Organization, r.Year)
	if err != nil {
		return 0, err
	}
	for _, e := range earlier {
		seen = max(seen, e.ID)
	}
	ext.Findings = append(withoutHistory(ext.Findings), history.Evaluate(ext, earlier)...)
	return seen, nil
}

// organizationNoter is a store that files short and full names of one body
// in one series: a new name is noted before its report is judged, so the
// earlier reports filed under its short form are judged with it.
type organizationNoter interface {
	NoteOrganization(ctx context.Context, name string) error
}

// historyReader is a store that can hand the cross-year rules just what
// they read, cheaper than full EarlierReports.
type historyReader interface {
	HistoryReports(ctx context.Context, organization string, year int) ([]*pipeline.StoredReport, error)
}

func earlierReports(ctx context.Context, st pipeline.Store, org string, year int) ([]*pipeline.StoredReport, error) {
	if h, ok := st.(historyReader); ok {
		return h.HistoryReports(ctx, org, year)
	}
	return st.EarlierReports(ctx, org, year)
}

func withoutHistory(fs []pipeline.Finding) []pipeline.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if !strings.HasPrefix(f.Rule, history.Prefix) {
			out = append(out, f)
		}
	}
	return out
}

func guessFormat(data []byte) string {
	if textload.IsPDF(data) {
		return "pdf"
	}
	if raster.Format(data) != "" {
		return "image"
	}
	return "text"
}

// ReadFile reads a document, refusing directories and files over MaxFileSize.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s: file too large (%d bytes, limit %d)", path, st.Size(), MaxFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: file too large (limit %d bytes)", path, MaxFileSize)
	}
	return data, nil
}

// reportFinder is a store that can name the report of a stored document.
type reportFinder interface {
	ReportID(ctx context.Context, sha256 string) (int64, error)
}

// Func returns a function that reads one uploaded document into st — the
// web server's upload handler — with a runner of its own per call. It
// returns the report id (the stored one when the document is already
// there), or an error naming the file and why it could not be read; the
// failure is recorded in the store as well.
func Func(st Store, runners RunnerFactory, version string) func(ctx context.Context, name string, data []byte) (int64, error) {
	return func(ctx context.Context, name string, data []byte) (int64, error) {
		runner, release := runners()
		defer release()
		res, err := Document(ctx, st, runner, version, name, data, false)
		if err != nil {
			return 0, err
		}
		switch res.Outcome {
		case Failed:
			return 0, errors.New(res.Reason)
		case Present:
			if f, ok := st.(reportFinder); ok {
				id, err := f.ReportID(ctx, res.SHA256)
				if err != nil {
					return 0, err
				}
				if id == 0 {
					d, _ := st.Document(ctx, res.SHA256)
					if d != nil && d.Error != "" {
						return 0, fmt.Errorf("%s: read before and failed: %s", filepath.Base(name), d.Error)
					}
				}
				return id, nil
			}
		}
		return res.ReportID, nil
	}
}
