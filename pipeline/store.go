package pipeline

import (
	"context"
	"time"
)

// Document statuses in the store.
const (
	StatusIngested = "ingested"
	StatusFailed   = "failed"
)

// Document is one file the store has seen, read or not.
type Document struct {
	ID               int64     `json:"id" db:"id"`
	SHA256           string    `json:"sha256" db:"sha256"`
	Name             string    `json:"name" db:"name"`
	Format           string    `json:"format" db:"format"`
	Pages            int       `json:"pages" db:"pages"`
	Size             int64     `json:"size" db:"size"`
	Extractor        string    `json:"extractor" db:"extractor"`
	ExtractorVersion string    `json:"extractor_version" db:"extractor_version"`
	Status           string    `json:"status" db:"status"`
	Error            string    `json:"error,omitempty" db:"error"`
	IngestedAt       time.Time `json:"ingested_at" db:"ingested_at"`
}

// ReportSummary is one row of the reports list.
type ReportSummary struct {
	ID           int64    `json:"id"`
	DocumentID   int64    `json:"document_id"`
	Name         string   `json:"name"`
	Organization string   `json:"organization"`
	Project      string   `json:"project"`
	Kind         string   `json:"kind"`
	Year         int      `json:"year"`
	Score        *Decimal `json:"score"`
	Grade        string   `json:"grade"`
	Errors       int      `json:"errors"`
	Warnings     int      `json:"warnings"`
	Infos        int      `json:"infos"`
	// Status is the review status (ReviewPending when none was recorded);
	// Versions the number of documents the report has.
	Status   string `json:"status"`
	Versions int    `json:"versions"`
}

// ReportFilter selects reports for a list. Zero fields do not filter.
type ReportFilter struct {
	Organization string
	Project      string
	Year         int
	// YearFrom and YearTo bound the year, both included.
	YearFrom, YearTo int
	// Region keeps the bodies whose name starts with this place
	// (新疆维吾尔自治区, 吐鲁番市).
	Region    string
	Grade     string
	HasErrors bool
	Status    string // review status
	Rule      string // reports with a finding of this rule
	Query     string // full-text search over the report text
	Sort      string // "year", "-year", "score", "-score", "organization", …
	Limit     int
	Offset    int
}

// StoredReport is a report as kept: its document, the full extraction and
// the normalised text. ID is the report's, the same for all its versions;
// VersionID names the version (the document) shown.
type StoredReport struct {
	ID         int64       `json:"id"`
	VersionID  int64       `json:"version_id"`
	Document   Document    `json:"document"`
	Extraction *Extraction `json:"extraction"`
	Text       string      `json:"-"`
}

// TrendPoint is one year of an organisation's (and project's) series.
type TrendPoint struct {
	ReportID      int64          `json:"report_id"`
	Year          int            `json:"year"`
	Organization  string         `json:"organization"`
	Project       string         `json:"project"`
	Planned       *Amount        `json:"planned_yuan"`
	Adjusted      *Amount        `json:"adjusted_yuan"`
	Executed      *Amount        `json:"executed_yuan"`
	ExecutionRate *Decimal       `json:"execution_rate"`
	Score         *Decimal       `json:"score"`
	Grade         string         `json:"grade"`
	Problems      []string       `json:"problems"`
	Findings      map[string]int `json:"findings"` // by severity
}

// OrgSummary is one body the store holds reports of.
type OrgSummary struct {
	Name string `json:"name"`
	// Region is the place the name starts with (新疆维吾尔自治区, 吐鲁番市),
	// "" when it names none.
	Region   string `json:"region"`
	Years    []int  `json:"years"`
	Reports  int    `json:"reports"`
	Projects int    `json:"projects"` // series: the department-wide one counts
}

// RecurringProblem is a problem stated again in a later year by the same
// organisation and project.
type RecurringProblem struct {
	Organization string  `json:"organization"`
	Project      string  `json:"project"`
	Problem      string  `json:"problem"`
	Years        []int   `json:"years"`
	ReportIDs    []int64 `json:"report_ids"`
	Similarity   float64 `json:"similarity"`
	Earlier      string  `json:"earlier"`
}

// SearchHit is one report matching a full-text query.
type SearchHit struct {
	ReportID     int64  `json:"report_id"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	Project      string `json:"project"`
	Year         int    `json:"year"`
	Snippet      string `json:"snippet"`
}

// Store keeps documents, their extractions and original bytes, and answers
// the cross-year questions. The SQLite implementation lives in
// internal/sqlite; another database can implement the same interface
// without touching the pipeline.
type Store interface {
	Reviews
	// Document returns the stored document with this sha256, or nil.
	Document(ctx context.Context, sha256 string) (*Document, error)
	// SaveReports stores a read document, its original bytes and the
	// extraction of every report it holds (one, or a workbook's forms, told
	// apart by source.sheet and source.form) in one transaction, replacing
	// the document's earlier reports: a report read again at the same
	// place keeps its version's id, one the document no longer holds is
	// removed. A report of a report already stored (the same organisation,
	// project, kind and year) becomes its latest version. It returns the
	// report ids, in the order of exts.
	SaveReports(ctx context.Context, doc Document, original []byte, exts []*Extraction) ([]int64, error)
	// SaveReport is SaveReports of a document that holds one report.
	SaveReport(ctx context.Context, doc Document, original []byte, ext *Extraction) (int64, error)
	// SaveFailure records a document that could not be read, with its
	// original bytes and the reason.
	SaveFailure(ctx context.Context, doc Document, original []byte, reason string) error
	// DropFailedOriginals drops the original bytes of the documents that
	// could not be read and were recorded before before (an upload that
	// failed is kept for a stated time only); the record of each (name,
	// reason, time) stays. It returns how many it dropped.
	DropFailedOriginals(ctx context.Context, before time.Time) (int, error)
	// Original returns the bytes of a stored document.
	Original(ctx context.Context, sha256 string) ([]byte, error)
	// ReportIDs returns the ids of the reports of the stored document with
	// this sha256, in the order they were first saved (a workbook's in
	// sheet order); none when it is not stored or stored as a failure.
	ReportIDs(ctx context.Context, sha256 string) ([]int64, error)

	// Reports lists the reports (each by its latest version) matching f,
	// and their number before Limit.
	Reports(ctx context.Context, f ReportFilter) ([]ReportSummary, int, error)
	// Report returns the latest version of the report with this id; the id
	// of any of its versions leads to it too.
	Report(ctx context.Context, id int64) (*StoredReport, error)
	// EarlierReports returns the same organisation's reports of years before
	// year (all projects, latest versions), newest first; for the
	// cross-year rules.
	EarlierReports(ctx context.Context, organization string, year int) ([]*StoredReport, error)
	Trend(ctx context.Context, organization, project string) ([]TrendPoint, error)
	RecurringProblems(ctx context.Context, organization, project string) ([]RecurringProblem, error)
	Search(ctx context.Context, query string, limit int) ([]SearchHit, error)
	// Organizations lists the bodies with reports, by name.
	Organizations(ctx context.Context) ([]OrgSummary, error)
	Close() error
}
