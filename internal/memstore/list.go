package memstore

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// Reports lists the reports matching f, sorted as the database stores sort
// them, and their number before Limit.
func (s *Store) Reports(_ context.Context, f pipeline.ReportFilter) ([]pipeline.ReportSummary, int, error) {
	words := storelogic.QueryWords(f.Query)
	if f.Query != "" && len(words) == 0 {
		return []pipeline.ReportSummary{}, 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	series := s.series(f.Organization)
	var out []*report
	for _, r := range s.reports {
		sum := r.summary
		if f.Organization != "" && r.org != f.Organization && s.series(r.org) != series ||
			f.Project != "" && r.project != f.Project || f.Year != 0 && r.year != f.Year ||
			f.Grade != "" && sum.Grade != f.Grade || f.HasErrors && sum.Errors == 0 ||
			len(words) > 0 && !storelogic.Matches(words, r.org, r.project, r.text) {
			continue
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, s.order(f.Sort))
	total := len(out)
	out = out[min(max(f.Offset, 0), len(out)):]
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	list := make([]pipeline.ReportSummary, len(out))
	for i, r := range out {
		list[i] = r.summary
	}
	return list, total, nil
}

// order compares reports by a sort key ("year", "-score", …) as the
// database stores do: missing values last, then by id; unknown keys sort
// by organisation, project, year.
func (s *Store) order(key string) func(a, b *report) int {
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	by := func(c int) int {
		if desc {
			return -c
		}
		return c
	}
	return func(a, b *report) int {
		x, y := a.summary, b.summary
		var c int
		switch key {
		case "year":
			c = by(cmp.Compare(x.Year, y.Year))
		case "score":
			c = compareScores(x.Score, y.Score, by)
		case "organization":
			c = by(cmp.Compare(x.Organization, y.Organization))
		case "project":
			c = by(cmp.Compare(x.Project, y.Project))
		case "name":
			c = by(cmp.Compare(x.Name, y.Name))
		case "errors":
			c = by(cmp.Compare(x.Errors, y.Errors))
		case "ingested":
			c = by(s.docs[a.sha].IngestedAt.Compare(s.docs[b.sha].IngestedAt))
		default:
			c = cmp.Or(cmp.Compare(x.Organization, y.Organization), cmp.Compare(x.Project, y.Project), cmp.Compare(x.Year, y.Year))
		}
		return cmp.Or(c, cmp.Compare(x.ID, y.ID))
	}
}

func compareScores(a, b *pipeline.Decimal, by func(int) int) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return by(a.Cmp(*b))
}
