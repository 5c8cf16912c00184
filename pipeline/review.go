package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Marks a reviewer puts on a finding.
const (
	MarkConfirmed  = "confirmed"   // 已核实: the finding holds
	MarkFalseAlarm = "false_alarm" // 误报: the finding is wrong
	MarkFixed      = "fixed"       // 已整改: the body has corrected it
)

// Review statuses of a report, in the order a review goes.
const (
	ReviewPending  = "pending"   // 待审
	ReviewActive   = "in_review" // 审核中
	ReviewDone     = "reviewed"  // 已审
	ReviewReturned = "returned"  // 退回
)

// MarkStatuses and ReviewStatuses list the valid values, in display order.
var (
	MarkStatuses   = []string{MarkConfirmed, MarkFalseAlarm, MarkFixed}
	ReviewStatuses = []string{ReviewPending, ReviewActive, ReviewDone, ReviewReturned}
)

// FindingKey identifies a finding across extractions of a report: its rule
// and what it quotes, never its position in a list or a row id, so that a
// mark survives a re-extraction that finds the same thing, and a finding of
// next year's report on the same passage has the same key. A finding
// without evidence is known by its message.
func FindingKey(f Finding) string {
	h := sha256.New()
	h.Write([]byte(f.Rule))
	quoted := false
	for _, e := range f.Evidence {
		if q := strings.TrimSpace(e.Quote); q != "" {
			h.Write([]byte{0})
			h.Write([]byte(q))
			quoted = true
		}
	}
	if !quoted {
		h.Write([]byte{1})
		h.Write([]byte(f.Message))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Mark is a reviewer's verdict on one finding of a report.
type Mark struct {
	ReportID int64  `json:"report_id"`
	Key      string `json:"finding_key"`
	Rule     string `json:"rule"`
	// Quote is the finding's first quote, kept so a mark can be shown (and
	// offered again next year) when its finding is not at hand.
	Quote    string    `json:"quote"`
	Status   string    `json:"status"`
	Comment  string    `json:"comment"`
	Reviewer string    `json:"reviewer"`
	At       time.Time `json:"at"`
}

// MarkOf is an empty mark of finding f of report id, to fill in.
func MarkOf(id int64, f Finding) Mark {
	m := Mark{ReportID: id, Key: FindingKey(f), Rule: f.Rule}
	if len(f.Evidence) > 0 {
		m.Quote = f.Evidence[0].Quote
	}
	return m
}

// OfferedMark is a 误报 mark on the same finding in an earlier year's report
// of the same body, offered to the reviewer of a later one.
type OfferedMark struct {
	Mark
	Year int `json:"year"`
}

// ReviewState is where the review of a report stands.
type ReviewState struct {
	ReportID int64     `json:"report_id"`
	Status   string    `json:"status"`
	Comment  string    `json:"comment"`
	Reviewer string    `json:"reviewer"`
	At       time.Time `json:"at"` // zero when never set (待审)
}

// Version is one document of a report: the same report as text and PDF,
// or a revised resubmission. The latest stands for the report.
type Version struct {
	ID            int64    `json:"version_id"`
	ReportID      int64    `json:"report_id"`
	Document      Document `json:"document"`
	Latest        bool     `json:"latest"`
	Planned       *Amount  `json:"planned_yuan"`
	Adjusted      *Amount  `json:"adjusted_yuan"`
	Executed      *Amount  `json:"executed_yuan"`
	ExecutionRate *Decimal `json:"execution_rate"`
	Score         *Decimal `json:"score"`
	Grade         string   `json:"grade"`
	Errors        int      `json:"errors"`
	Warnings      int      `json:"warnings"`
	Infos         int      `json:"infos"`
}

// Reviews keeps what reviewers record: marks on findings, the status of a
// report, and the versions a report has. Report ids here are those of
// Store.Reports and Store.Report.
type Reviews interface {
	// SetMark records m (at its At, or now), replacing the mark of the same
	// finding; a Status of "" removes it.
	SetMark(ctx context.Context, m Mark) error
	// Marks lists the marks of a report, by finding key.
	Marks(ctx context.Context, reportID int64) ([]Mark, error)
	// OfferedMarks lists the 误报 marks of the same body's earlier years
	// whose finding key the report's latest version raises again, the
	// nearest year first, one per key.
	OfferedMarks(ctx context.Context, reportID int64) ([]OfferedMark, error)
	// SetReviewState records the status of a report.
	SetReviewState(ctx context.Context, s ReviewState) error
	// ReviewState is the status of a report; ReviewPending with a zero At
	// when none was recorded.
	ReviewState(ctx context.Context, reportID int64) (ReviewState, error)
	// Versions lists the versions of a report, oldest first.
	Versions(ctx context.Context, reportID int64) ([]Version, error)
	// ReportVersion returns one version of a report by its version id, or
	// nil when there is none.
	ReportVersion(ctx context.Context, versionID int64) (*StoredReport, error)
}

// ValidMark and ValidReviewStatus tell a known value.
func ValidMark(s string) bool         { return contains(MarkStatuses, s) }
func ValidReviewStatus(s string) bool { return contains(ReviewStatuses, s) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
