// Package ingest reads many documents into the store: it walks folders,
// runs the pipeline in parallel (each worker with its own run.Runner), skips
// documents already stored (same sha256), records failures with their
// reason, and evaluates the cross-year rules against the store.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// Store is what ingest needs of the store: pipeline.Store plus listing the
// documents (for --reprocess), the years of an organisation's series by
// report id, and the stale cross-year bookkeeping (when an earlier year
// arrives after a later one): marking a report judged without an earlier
// year saved meanwhile, and handing the marked reports out to be judged
// again (the store marks the later years a save makes stale itself, in the
// save's transaction).
type Store interface {
	pipeline.Store
	Documents(ctx context.Context) ([]pipeline.Document, error)
	SeriesYears(ctx context.Context, organization string) (map[int64]int, error)
	MarkStale(ctx context.Context, reportID int64) error
	// RejudgeStale calls judge for each marked report no other worker is
	// judging, replaces the findings of rulePrefix it returns when they
	// changed, and clears the report's marks, in one transaction each.
	RejudgeStale(ctx context.Context, rulePrefix string, judge func(ctx context.Context, reportID int64) ([]pipeline.Finding, bool, error)) error
}

// JudgingSaver is a store with several writers that judges a document's
// reports inside their save, holding off saves of the same organisations
// meanwhile, so that no earlier year can be saved between the judging and
// the save.
type JudgingSaver interface {
	SaveJudged(ctx context.Context, doc pipeline.Document, original []byte, exts []*pipeline.Extraction,
		judge func(context.Context, *pipeline.Extraction) error) ([]int64, error)
}

// Claimer is a store several workers share (PostgreSQL): a document is read
// by the worker that claimed its sha256. A claim lasts until released, or
// until the worker holding it dies; another worker then takes the document
// (or finds it saved).
type Claimer interface {
	// Claim claims the document with this sha256: ok is false when
	// another worker holds it and wait is false; with wait it waits for it.
	Claim(ctx context.Context, sha256 string, wait bool) (release func(), ok bool, err error)
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
	Busy                    // claimed by another worker, who reads it
)

func (o Outcome) String() string {
	return [...]string{"ingested", "present", "failed", "busy"}[o]
}

// Result is one document's outcome.
type Result struct {
	Path    string
	SHA256  string
	Outcome Outcome
	Reason  string // for Failed
	// ReportIDs are the document's reports, for Ingested: one, or a
	// workbook's, one per project's form.
	ReportIDs []int64
	// Org and Year are the first report's.
	Org  string
	Year int
}

// Document reads one document's bytes into the store: skip when its sha256
// is stored (unless reprocess), else run the pipeline, evaluate the
// cross-year rules against the store, save the report or the failure, and
// judge again the reports the save made stale. A document another worker
// is reading is waited for. An error is returned only when the store
// itself fails; a document that cannot be read is a Failed result.
func Document(ctx context.Context, st Store, runner *run.Runner, version, path string, data []byte, reprocess bool) (Result, error) {
	s := NewSession(st)
	s.Wait = true
	res, err := s.Document(ctx, runner, version, path, data, reprocess)
	if err != nil {
		return res, err
	}
	return res, s.End(ctx, 1)
}

// Session reads documents one at a time (an inbox run) and judges the
// reports their saves made stale once, when it ends, however many of its
// documents made a report stale. The marks are in the store, so a killed
// session leaves them for the next one's End (its own or another
// worker's). It is for one goroutine.
type Session struct {
	st Store
	// Wait makes a document another worker has claimed wait for it rather
	// than come back Busy.
	Wait bool
	// Force stores a text that does not look like a report.
	Force bool
}

func NewSession(st Store) *Session { return &Session{st: st} }

// Document is the package's Document without the judging, left to End.
func (s *Session) Document(ctx context.Context, runner *run.Runner, version, path string, data []byte, reprocess bool) (Result, error) {
	p, res, err := prepare(ctx, s.st, runner, version, path, data, readMode{reprocess: reprocess, wait: s.Wait, force: s.Force})
	if err != nil || p == nil {
		return res, err
	}
	return p.save(ctx, s.st)
}

// End judges the stale reports again, on up to workers goroutines: every
// report marked in the store, whichever worker or process marked it.
func (s *Session) End(ctx context.Context, workers int) error {
	return rejudge(ctx, s.st, workers)
}

// prepared is a read document waiting to be judged against the store and
// saved, with the extraction of each report it holds.
type prepared struct {
	res       Result
	reprocess bool
	doc       pipeline.Document
	data      []byte
	exts      []*pipeline.Extraction
	release   func() // the claim on the document
}

// prepare is the first half of Document: skip a stored document, claim
// it, run the pipeline, record a failure. It returns the document to save
// (still claimed), or nil and the final Result.
// readMode is how a document is read: again when stored (reprocess),
// waiting for another worker's claim, stored even when not a report.
type readMode struct{ reprocess, wait, force bool }

func prepare(ctx context.Context, st Store, runner *run.Runner, version, path string, data []byte, mode readMode) (*prepared, Result, error) {
	reprocess := mode.reprocess
	sum := sha256.Sum256(data)
	res := Result{Path: path, SHA256: hex.EncodeToString(sum[:])}
	if present, err := isPresent(ctx, st, res.SHA256, reprocess); err != nil || present {
		res.Outcome = Present
		return nil, res, err
	}
	release, claimed, err := claim(ctx, st, res.SHA256, mode.wait)
	if err != nil || release == nil {
		res.Outcome = Busy
		return nil, res, err
	}
	// Claimed from another worker, which may have saved it just before.
	if claimed {
		if present, err := isPresent(ctx, st, res.SHA256, reprocess); err != nil || present {
			release()
			res.Outcome = Present
			return nil, res, err
		}
	}
	p, res, err := extract(ctx, st, runner, version, path, data, res, mode.force)
	if p == nil {
		release()
		return nil, res, err
	}
	p.release, p.reprocess = release, reprocess
	return p, res, nil
}

// isPresent tells a document stored with its report, which is skipped; one
// stored as a failure is read again (a fixed loader, --force), and fails
// again if it still cannot be read.
func isPresent(ctx context.Context, st Store, sum string, reprocess bool) (bool, error) {
	if reprocess {
		return false, nil
	}
	stored, err := st.Document(ctx, sum)
	return stored != nil && stored.Status != pipeline.StatusFailed, err
}

// claim claims the document where the store is shared by several workers
// (claimed true); a store with one writer has nothing to claim. release is
// nil when another worker holds the document.
func claim(ctx context.Context, st Store, sum string, wait bool) (release func(), claimed bool, err error) {
	c, shared := st.(Claimer)
	if !shared {
		return func() {}, false, nil
	}
	release, ok, err := c.Claim(ctx, sum, wait)
	if !ok {
		return nil, false, err
	}
	return release, true, err
}

// extract runs the pipeline on a claimed document: the document to save,
// or nil and the Result of a failure, recorded.
func extract(ctx context.Context, st Store, runner *run.Runner, version, path string, data []byte, res Result, force bool) (*prepared, Result, error) {
	name := filepath.Base(path)
	doc := pipeline.Document{
		SHA256: res.SHA256, Name: name, Size: int64(len(data)), Format: run.Format(data, name),
		ExtractorVersion: version, IngestedAt: time.Now(),
	}
	exts, err := readable(ctx, runner, name, data)
	if err == nil && !force {
		err = notAReport(name, exts)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, res, ctx.Err()
		}
		res.Outcome, res.Reason = Failed, ReasonZH(err.Error())
		return nil, res, st.SaveFailure(ctx, doc, data, res.Reason)
	}
	src := exts[0].Source
	doc.Format, doc.Pages, doc.Extractor = src.Format, src.Pages, src.Extractor
	// Clone: the name is a slice of the whole normalised text, which a
	// batch must not keep alive for every document it has read.
	res.Org, res.Year = strings.Clone(exts[0].Report.Organization), exts[0].Report.Year
	return &prepared{res: res, doc: doc, data: data, exts: exts}, res, nil
}

// save is the second half of Document: evaluate the cross-year rules
// against the store, save the document's reports and let the claim go. The
// store marks the later years the save made stale; a report that was
// itself judged without an earlier year saved meanwhile is marked here
// (see judgedStale). The caller judges them again: a batch once at its
// end, however many of its saves made a report stale, a single document at
// once.
func (p *prepared) save(ctx context.Context, st Store) (Result, error) {
	defer p.release()
	res := p.res
	// The same bytes twice in one batch (two copies of a file) are read
	// side by side; the one saved second is already present.
	if !p.reprocess {
		if present, err := isPresent(ctx, st, res.SHA256, false); err != nil || present {
			res.Outcome = Present
			return res, err
		}
	}
	if err := noteOrganizations(ctx, st, p.exts); err != nil {
		return res, err
	}
	if j, ok := st.(JudgingSaver); ok {
		judge := func(ctx context.Context, ext *pipeline.Extraction) error { return CrossYear(ctx, st, ext) }
		ids, err := j.SaveJudged(ctx, p.doc, p.data, p.exts, judge)
		res.ReportIDs, res.Outcome = ids, Ingested
		return res, err
	}
	seen := make([]int64, len(p.exts))
	for i, ext := range p.exts {
		var err error
		if seen[i], err = crossYear(ctx, st, ext); err != nil {
			return res, err
		}
	}
	ids, err := st.SaveReports(ctx, p.doc, p.data, p.exts)
	if err != nil {
		return res, err
	}
	res.ReportIDs, res.Outcome = ids, Ingested
	for i, ext := range p.exts {
		stale, err := judgedStale(ctx, st, ids[i], &ext.Report, seen[i])
		if err == nil && stale {
			err = st.MarkStale(ctx, ids[i])
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// noteOrganizations notes the bodies the reports name before they are
// judged (see organizationNoter).
func noteOrganizations(ctx context.Context, st Store, exts []*pipeline.Extraction) error {
	n, ok := st.(organizationNoter)
	if !ok {
		return nil
	}
	for _, ext := range exts {
		if r := ext.Report; r.Organization != "" && r.Year > 0 {
			if err := n.NoteOrganization(ctx, r.Organization); err != nil {
				return err
			}
		}
	}
	return nil
}

// judgedStale tells, right after the save of report id (r), whether it was
// judged without an earlier year of its organisation saved meanwhile by
// another worker or process, or beside it in the same workbook: a report
// id above seen, the highest id its judgement read. Report ids only grow,
// so nothing saved after a judgement has an id it read.
func judgedStale(ctx context.Context, st Store, id int64, r *pipeline.Report, seen int64) (bool, error) {
	if r.Organization == "" || r.Year == 0 {
		return false, nil
	}
	series, err := st.SeriesYears(ctx, r.Organization)
	if err != nil {
		return false, err
	}
	for other, year := range series {
		if other != id && year > 0 && year < r.Year && other > seen {
			return true, nil
		}
	}
	return false, nil
}

// readable runs the pipeline, which gives every report the document
// holds, and refuses what has no text to review.
func readable(ctx context.Context, runner *run.Runner, name string, data []byte) ([]*pipeline.Extraction, error) {
	exts, err := runner.Reports(ctx, name, data)
	if err != nil {
		return nil, err
	}
	for _, ext := range exts {
		if strings.TrimSpace(ext.Text) != "" {
			continue
		}
		if ext.Source.Format == "pdf" {
			return nil, fmt.Errorf("%s: the PDF has no text layer (a scan?)", name)
		}
		return nil, fmt.Errorf("%s: no text", name)
	}
	return exts, nil
}

// notAReport refuses a document of which the checks found a report is no
// self-evaluation report (document.not_a_report): stored, it would be a
// 项目支出 report with no organisation in every list. --force keeps it. A
// workbook is refused whole, naming the sheet: its reports are saved
// together or not at all.
func notAReport(name string, exts []*pipeline.Extraction) error {
	for _, ext := range exts {
		for _, f := range ext.Findings {
			if f.Rule != ruleNotAReport {
				continue
			}
			where := name
			if sheet := ext.Source.Sheet; sheet != "" && len(exts) > 1 {
				where += "（工作表“" + sheet + "”）"
			}
			return fmt.Errorf("%s: 不是绩效自评报告（%s）；确需导入请加 --force（网页上传时勾选“即使不像绩效自评报告也导入”）", where, f.Message)
		}
	}
	return nil
}

// ruleNotAReport is the finding of a text that is no report.
const ruleNotAReport = "document.not_a_report"

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
		seen = max(seen, e.ID, e.VersionID)
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

// Upload reads one document a person hands in (a web upload) into st, as
// Document does, and says which reports it holds: the new ones, or, when
// the same bytes are stored already (Present), the stored ones, which a
// person is then shown instead of a second copy. A document that is not a
// report fails unless force. A failure is a Failed result with its reason.
func Upload(ctx context.Context, st Store, runner *run.Runner, version, name string, data []byte, force bool) (Result, error) {
	s := NewSession(st)
	s.Wait, s.Force = true, force
	res, err := s.Document(ctx, runner, version, name, data, false)
	if err != nil {
		return res, err
	}
	if err := s.End(ctx, 1); err != nil {
		return res, err
	}
	if res.Outcome == Present {
		res.ReportIDs, err = st.ReportIDs(ctx, res.SHA256)
	}
	return res, err
}
