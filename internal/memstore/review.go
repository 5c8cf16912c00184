package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// report id (lineage) of any version id, or of a report whose first
// version is gone while others remain; 0 when none is stored.
func (s *Store) lineage(id int64) int64 {
	if r := s.find(id); r != nil {
		return r.lineage
	}
	for _, r := range s.reports {
		if r.lineage == id {
			return id
		}
	}
	return 0
}

func stamp(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	// The database stores keep RFC 3339 text in UTC; so does this one.
	return t.UTC()
}

func (s *Store) SetMark(_ context.Context, m pipeline.Mark) error {
	if err := storelogic.CheckMark(m); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.lineage(m.ReportID)
	if id == 0 {
		return fmt.Errorf("%w: %d", storelogic.ErrNoReport, m.ReportID)
	}
	if m.Status == "" {
		delete(s.marks[id], m.Key)
		return nil
	}
	if s.marks[id] == nil {
		s.marks[id] = map[string]pipeline.Mark{}
	}
	m.ReportID, m.At = id, stamp(m.At)
	s.marks[id][m.Key] = m
	return nil
}

func (s *Store) Marks(_ context.Context, reportID int64) ([]pipeline.Mark, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.marksOf(s.lineage(reportID)), nil
}

func (s *Store) marksOf(id int64) []pipeline.Mark {
	out := []pipeline.Mark{}
	for _, m := range s.marks[id] {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b pipeline.Mark) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

func (s *Store) OfferedMarks(ctx context.Context, reportID int64) ([]pipeline.OfferedMark, error) {
	rep, err := s.Report(ctx, reportID)
	if err != nil || rep == nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := rep.Extraction.Report
	series := s.series(r.Organization)
	if series == "" || r.Year <= 0 {
		return nil, nil
	}
	var earlier []pipeline.OfferedMark
	for _, o := range s.reports {
		if !s.newest(o) || o.year <= 0 || o.year >= r.Year || s.series(o.org) != series {
			continue
		}
		for _, m := range s.marksOf(o.lineage) {
			if m.Status == pipeline.MarkFalseAlarm {
				earlier = append(earlier, pipeline.OfferedMark{Mark: m, Year: o.year})
			}
		}
	}
	slices.SortStableFunc(earlier, func(a, b pipeline.OfferedMark) int {
		return cmp.Or(cmp.Compare(b.Year, a.Year), b.At.Compare(a.At))
	})
	return storelogic.Offered(rep.Extraction.Findings, earlier), nil
}

func (s *Store) SetReviewState(_ context.Context, st pipeline.ReviewState) error {
	if !pipeline.ValidReviewStatus(st.Status) {
		return fmt.Errorf("%w: %q", storelogic.ErrBadStatus, st.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.lineage(st.ReportID)
	if id == 0 {
		return fmt.Errorf("%w: %d", storelogic.ErrNoReport, st.ReportID)
	}
	st.ReportID, st.At = id, stamp(st.At)
	s.states[id] = st
	return nil
}

func (s *Store) ReviewState(_ context.Context, reportID int64) (pipeline.ReviewState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.lineage(reportID)
	if st, ok := s.states[id]; ok {
		return st, nil
	}
	return pipeline.ReviewState{ReportID: id, Status: pipeline.ReviewPending}, nil
}

func (s *Store) Versions(_ context.Context, reportID int64) ([]pipeline.Version, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.lineage(reportID)
	out := []pipeline.Version{}
	for _, r := range s.reports {
		if r.lineage != id || id == 0 {
			continue
		}
		sr, err := s.stored(r)
		if err != nil {
			return nil, err
		}
		rep := sr.Extraction.Report
		out = append(out, pipeline.Version{ID: r.id, ReportID: r.lineage, Document: sr.Document, Latest: s.newest(r),
			Planned: rep.Budget.Planned, Adjusted: rep.Budget.Adjusted, Executed: rep.Budget.Executed,
			ExecutionRate: rep.Budget.ExecutionRate, Score: rep.Score, Grade: rep.Grade,
			Errors: r.summary.Errors, Warnings: r.summary.Warnings, Infos: r.summary.Infos})
	}
	return out, nil
}

func (s *Store) Organizations(context.Context) ([]pipeline.OrgSummary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rows []storelogic.OrgRow
	for _, r := range s.reports {
		if s.newest(r) {
			rows = append(rows, storelogic.OrgRow{Org: s.series(r.org), Project: r.project, Year: r.year})
		}
	}
	return storelogic.Organizations(rows), nil
}
