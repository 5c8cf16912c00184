package web

import (
	"context"
	"sync"
	"testing"

	"github.com/jixiao/jixiao/internal/memstore"
	"github.com/jixiao/jixiao/internal/storetest"
	"github.com/jixiao/jixiao/pipeline"
)

// fakeStore is the in-memory store the handler tests serve from, with two
// hooks: recurring problems set by hand (for pages that show hostile or
// many of them), and an error every read fails with.
type fakeStore struct {
	*memstore.Store
	mu        sync.Mutex
	recurring []pipeline.RecurringProblem // when set, RecurringProblems answers these
	err       error                       // when set, every list and report read fails with it
}

func newFakeStore() *fakeStore { return &fakeStore{Store: memstore.New()} }

var _ pipeline.Store = (*fakeStore)(nil)

// The fake store is held to the same conformance suite as the database
// stores, so what the handler tests see is what a real store does.
func TestFakeStoreConforms(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pipeline.Store { return newFakeStore() })
}

func (s *fakeStore) failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *fakeStore) Reports(ctx context.Context, f pipeline.ReportFilter) ([]pipeline.ReportSummary, int, error) {
	if err := s.failure(); err != nil {
		return nil, 0, err
	}
	return s.Store.Reports(ctx, f)
}

func (s *fakeStore) Report(ctx context.Context, id int64) (*pipeline.StoredReport, error) {
	if err := s.failure(); err != nil {
		return nil, err
	}
	return s.Store.Report(ctx, id)
}

func (s *fakeStore) RecurringProblems(ctx context.Context, org, project string) ([]pipeline.RecurringProblem, error) {
	s.mu.Lock()
	preset := s.recurring
	s.mu.Unlock()
	if preset == nil {
		return s.Store.RecurringProblems(ctx, org, project)
	}
	var out []pipeline.RecurringProblem
	for _, p := range preset {
		if (org == "" || p.Organization == org) && (project == "" || p.Project == project) {
			out = append(out, p)
		}
	}
	return out, nil
}
