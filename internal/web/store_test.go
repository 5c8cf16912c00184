package web

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/jixiao/jixiao/pipeline"
)

// fakeStore is an in-memory pipeline.Store for the handler tests: it keeps
// what it is given and answers the list and series questions the simple
// way.
type fakeStore struct {
	mu        sync.Mutex
	reports   []*pipeline.StoredReport
	originals map[string][]byte
	recurring []pipeline.RecurringProblem
	err       error // when set, every read fails with it
}

func newFakeStore() *fakeStore { return &fakeStore{originals: map[string][]byte{}} }

var _ pipeline.Store = (*fakeStore)(nil)

func (s *fakeStore) Document(ctx context.Context, sha string) (*pipeline.Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.reports {
		if r.Document.SHA256 == sha {
			d := r.Document
			return &d, nil
		}
	}
	return nil, nil
}

func (s *fakeStore) SaveReport(ctx context.Context, doc pipeline.Document, original []byte, ext *pipeline.Extraction) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := int64(len(s.reports) + 1)
	doc.ID = id
	doc.Status = pipeline.StatusIngested
	s.reports = append(s.reports, &pipeline.StoredReport{ID: id, Document: doc, Extraction: ext, Text: ext.Text})
	s.originals[doc.SHA256] = original
	return id, nil
}

func (s *fakeStore) SaveFailure(ctx context.Context, doc pipeline.Document, original []byte, reason string) error {
	return nil
}

func (s *fakeStore) Original(ctx context.Context, sha string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.originals[sha]
	if !ok {
		return nil, errors.New("original not in the store")
	}
	return b, nil
}

func (s *fakeStore) summary(r *pipeline.StoredReport) pipeline.ReportSummary {
	rep := r.Extraction.Report
	sum := pipeline.ReportSummary{ID: r.ID, DocumentID: r.Document.ID, Name: r.Document.Name,
		Organization: rep.Organization, Project: rep.Project, Kind: rep.Kind, Year: rep.Year,
		Score: rep.Score, Grade: rep.Grade}
	for _, f := range r.Extraction.Findings {
		switch f.Severity {
		case pipeline.SeverityError:
			sum.Errors++
		case pipeline.SeverityWarning:
			sum.Warnings++
		case pipeline.SeverityInfo:
			sum.Infos++
		}
	}
	return sum
}

func (s *fakeStore) Reports(ctx context.Context, f pipeline.ReportFilter) ([]pipeline.ReportSummary, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, 0, s.err
	}
	var out []pipeline.ReportSummary
	for _, r := range s.reports {
		sum := s.summary(r)
		if f.Organization != "" && sum.Organization != f.Organization ||
			f.Project != "" && sum.Project != f.Project ||
			f.Year != 0 && sum.Year != f.Year ||
			f.Grade != "" && sum.Grade != f.Grade ||
			f.HasErrors && sum.Errors == 0 ||
			f.Query != "" && !strings.Contains(r.Text, f.Query) {
			continue
		}
		out = append(out, sum)
	}
	desc := strings.HasPrefix(f.Sort, "-")
	key := strings.TrimPrefix(f.Sort, "-")
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		var less bool
		switch key {
		case "year":
			less = a.Year < b.Year
		case "organization":
			less = a.Organization < b.Organization
		default:
			less = a.ID < b.ID
		}
		if desc {
			return !less
		}
		return less
	})
	total := len(out)
	if f.Offset > 0 {
		out = out[min(f.Offset, len(out)):]
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, total, nil
}

func (s *fakeStore) Report(ctx context.Context, id int64) (*pipeline.StoredReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	if id < 1 || id > int64(len(s.reports)) {
		return nil, nil
	}
	r := *s.reports[id-1]
	ext := *r.Extraction
	ext.Text = "" // as a store gives it back: the text beside, not inside
	r.Extraction = &ext
	return &r, nil
}

func (s *fakeStore) EarlierReports(ctx context.Context, org string, year int) ([]*pipeline.StoredReport, error) {
	return nil, nil
}

func (s *fakeStore) Trend(ctx context.Context, org, project string) ([]pipeline.TrendPoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []pipeline.TrendPoint
	for _, r := range s.reports {
		rep := r.Extraction.Report
		if rep.Organization != org || rep.Project != project || rep.Year == 0 {
			continue
		}
		out = append(out, pipeline.TrendPoint{ReportID: r.ID, Year: rep.Year, Organization: org, Project: project,
			Planned: rep.Budget.Planned, Adjusted: rep.Budget.Adjusted, Executed: rep.Budget.Executed,
			ExecutionRate: rep.Budget.ExecutionRate, Score: rep.Score, Grade: rep.Grade, Problems: rep.Problems})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, nil
}

func (s *fakeStore) RecurringProblems(ctx context.Context, org, project string) ([]pipeline.RecurringProblem, error) {
	var out []pipeline.RecurringProblem
	for _, p := range s.recurring {
		if (org == "" || p.Organization == org) && (project == "" || p.Project == project) {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *fakeStore) Search(ctx context.Context, query string, limit int) ([]pipeline.SearchHit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []pipeline.SearchHit
	for _, r := range s.reports {
		if i := strings.Index(r.Text, query); i >= 0 && len(out) < limit {
			out = append(out, pipeline.SearchHit{ReportID: r.ID, Name: r.Document.Name, Snippet: "…【" + query + "】" + r.Text[i+len(query):i+len(query)+12]})
		}
	}
	return out, nil
}

func (s *fakeStore) Close() error { return nil }
