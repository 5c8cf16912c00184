// Package memstore is pipeline.Store in memory: what the web tests serve
// from, and the reference the database stores are held to (it passes the
// same conformance suite, internal/storetest). Everything a store decides
// it asks internal/storelogic, as the database stores do; it keeps
// extractions as JSON, as they do, so what comes back is a copy. It does
// not check original bytes against their sha256, so that tests may name
// documents as they like.
package memstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// Store is an in-memory pipeline.Store, safe for concurrent use.
type Store struct {
	mu        sync.Mutex
	docs      map[string]*pipeline.Document // by sha256
	reports   []*report                     // by id, oldest first
	originals map[string][]byte
	nextDoc   int64
	nextID    int64
	marks     map[int64]map[string]pipeline.Mark // by report, then finding key
	states    map[int64]pipeline.ReviewState
}

// report is one stored report: its extraction as JSON, and the section
// offsets the JSON contract does not carry.
type report struct {
	id      int64
	lineage int64 // the report's id: its first version's
	sha     string
	place   storelogic.Place // in its document
	kind    string
	rules   map[string]bool
	blob    []byte
	text    string
	offsets []int
	// positions is the text's position map, which the JSON leaves out.
	positions []pipeline.Position
	org       string
	project   string
	year      int
	problems  []string
	summary   pipeline.ReportSummary
}

var _ pipeline.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{docs: map[string]*pipeline.Document{}, originals: map[string][]byte{},
		marks: map[int64]map[string]pipeline.Mark{}, states: map[int64]pipeline.ReviewState{}}
}

func (s *Store) Close() error { return nil }

func (s *Store) Document(_ context.Context, sum string) (*pipeline.Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[sum]
	if !ok {
		return nil, nil
	}
	c := *d
	return &c, nil
}

func (s *Store) Original(_ context.Context, sum string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.originals[sum]
	if !ok {
		return nil, fmt.Errorf("original of %s is not in the store", sum)
	}
	return b, nil
}

// SaveReport stores a document of one report (see SaveReports).
func (s *Store) SaveReport(ctx context.Context, doc pipeline.Document, original []byte, ext *pipeline.Extraction) (int64, error) {
	return storelogic.SaveOne(ctx, s, doc, original, ext)
}

// SaveReports stores the document's reports, replacing its earlier ones:
// a report at the same place keeps its version id. A report of the same
// series, project, kind and year already stored gets it as its latest
// version.
func (s *Store) SaveReports(_ context.Context, doc pipeline.Document, original []byte, exts []*pipeline.Extraction) ([]int64, error) {
	if err := storelogic.CheckReports(exts); err != nil {
		return nil, fmt.Errorf("%s: save: %w", doc.Name, err)
	}
	blobs := make([][]byte, len(exts))
	for i, ext := range exts {
		var err error
		if blobs[i], err = json.Marshal(ext); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	doc.Status, doc.Error = pipeline.StatusIngested, ""
	d := s.keep(doc, original)
	old := map[storelogic.Place]int64{}
	s.reports = slices.DeleteFunc(s.reports, func(r *report) bool {
		if r.sha == doc.SHA256 {
			old[r.place] = r.id
		}
		return r.sha == doc.SHA256
	})
	ids := make([]int64, len(exts))
	for i, ext := range exts {
		ids[i] = s.add(d, old[storelogic.PlaceOf(ext)], ext, blobs[i])
	}
	return ids, nil
}

// add stores one report of document d under version id (0: a new one)
// and returns its report id.
func (s *Store) add(d *pipeline.Document, id int64, ext *pipeline.Extraction, blob []byte) int64 {
	if id == 0 {
		s.nextID++
		id = s.nextID
	}
	rep := &ext.Report
	r := &report{id: id, sha: d.SHA256, place: storelogic.PlaceOf(ext), blob: blob, text: ext.Text, kind: rep.Kind,
		rules: map[string]bool{}, org: rep.Organization, project: rep.Project, year: rep.Year,
		problems: append([]string{}, rep.Problems...), positions: slices.Clone(ext.Positions)}
	r.lineage = s.lineageOf(r)
	for _, sec := range rep.Sections {
		r.offsets = append(r.offsets, sec.Offset)
	}
	for _, f := range ext.Findings {
		r.rules[f.Rule] = true
	}
	r.summary = summary(r, d, ext)
	s.reports = append(s.reports, r)
	slices.SortFunc(s.reports, func(a, b *report) int { return cmp.Compare(a.id, b.id) })
	return r.lineage
}

// ReportIDs lists the reports of a document, in the order first saved.
func (s *Store) ReportIDs(_ context.Context, sum string) ([]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := []int64{}
	for _, r := range s.reports { // by version id: the order first saved
		if r.sha == sum {
			ids = append(ids, r.lineage)
		}
	}
	return ids, nil
}

// lineageOf is the id of the report r is a version of: the first stored
// of its series, project, kind and year, or r's own.
func (s *Store) lineageOf(r *report) int64 {
	series := s.series(r.org)
	if series == "" || r.year <= 0 || r.project == "" && r.kind == pipeline.KindProject {
		return r.id
	}
	best := r.id
	for _, o := range s.reports {
		if o.year == r.year && o.project == r.project && o.kind == r.kind && s.series(o.org) == series {
			best = min(best, o.lineage)
		}
	}
	return best
}

// newest tells the version that stands for its report: the last saved.
func (s *Store) newest(r *report) bool {
	for _, o := range s.reports {
		if o.lineage == r.lineage && o.id > r.id {
			return false
		}
	}
	return true
}

// find is the stored version with this id, or nil.
func (s *Store) find(id int64) *report {
	for _, r := range s.reports {
		if r.id == id {
			return r
		}
	}
	return nil
}

// current is the latest version of the report an id names (see lineage).
func (s *Store) current(id int64) *report {
	l := s.lineage(id)
	for _, o := range s.reports {
		if l != 0 && o.lineage == l && s.newest(o) {
			return o
		}
	}
	return nil
}

// SaveFailure records a document that could not be read; it never
// replaces a stored report.
func (s *Store) SaveFailure(_ context.Context, doc pipeline.Document, original []byte, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.docs[doc.SHA256]; ok && d.Status == pipeline.StatusIngested {
		return nil
	}
	doc.Status, doc.Error = pipeline.StatusFailed, reason
	s.keep(doc, original)
	return nil
}

// DropFailedOriginals drops the bytes of the failures recorded before
// before.
func (s *Store) DropFailedOriginals(_ context.Context, before time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for sum, d := range s.docs {
		if _, kept := s.originals[sum]; kept && d.Status == pipeline.StatusFailed && d.IngestedAt.Before(before) {
			delete(s.originals, sum)
			n++
		}
	}
	return n, nil
}

// keep records the document (keeping its id) and its original.
func (s *Store) keep(doc pipeline.Document, original []byte) *pipeline.Document {
	if old, ok := s.docs[doc.SHA256]; ok {
		doc.ID = old.ID
	} else {
		s.nextDoc++
		doc.ID = s.nextDoc
	}
	if doc.IngestedAt.IsZero() {
		doc.IngestedAt = time.Now()
	}
	s.docs[doc.SHA256] = &doc
	if _, ok := s.originals[doc.SHA256]; !ok {
		s.originals[doc.SHA256] = append([]byte(nil), original...)
	}
	return &doc
}

func summary(r *report, d *pipeline.Document, ext *pipeline.Extraction) pipeline.ReportSummary {
	sum := pipeline.ReportSummary{ID: r.lineage, DocumentID: d.ID, Name: d.Name, Organization: r.org, Project: r.project,
		Kind: ext.Report.Kind, Year: r.year, Grade: ext.Report.Grade}
	if sc := ext.Report.Score; sc != nil {
		v := *sc
		sum.Score = &v
	}
	for _, f := range ext.Findings {
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

// stored decodes a report as the database stores give it back.
func (s *Store) stored(r *report) (*pipeline.StoredReport, error) {
	ext := pipeline.NewExtraction()
	if err := json.Unmarshal(r.blob, ext); err != nil {
		return nil, err
	}
	ext.Text, ext.Positions = r.text, slices.Clone(r.positions)
	if len(r.offsets) == len(ext.Report.Sections) {
		for i := range r.offsets {
			ext.Report.Sections[i].Offset = r.offsets[i]
		}
	}
	return &pipeline.StoredReport{ID: r.lineage, VersionID: r.id, Document: *s.docs[r.sha], Extraction: ext, Text: r.text}, nil
}

func (s *Store) Report(_ context.Context, id int64) (*pipeline.StoredReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.current(id); r != nil {
		return s.stored(r)
	}
	return nil, nil
}

func (s *Store) ReportVersion(_ context.Context, id int64) (*pipeline.StoredReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.find(id); r != nil {
		return s.stored(r)
	}
	return nil, nil
}

// series is the series name of an organisation among the stored names.
func (s *Store) series(name string) string {
	var longer []string
	for _, r := range s.reports {
		if len(r.org) > len(name) && strings.HasSuffix(r.org, name) && !slices.Contains(longer, r.org) {
			longer = append(longer, r.org)
		}
	}
	return storelogic.Canonical(name, longer)
}

// latest is, of the reports of one series, project and year, the last
// saved: the one that stands for its year.
func (s *Store) latest(r *report) bool {
	for _, o := range s.reports {
		if o.id > r.id && o.project == r.project && o.year == r.year && s.series(o.org) == s.series(r.org) {
			return false
		}
	}
	return true
}

func (s *Store) EarlierReports(_ context.Context, organization string, year int) ([]*pipeline.StoredReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	series := s.series(organization)
	var out []*pipeline.StoredReport
	for i := len(s.reports) - 1; i >= 0; i-- {
		if r := s.reports[i]; r.year > 0 && r.year < year && s.series(r.org) == series && s.newest(r) {
			sr, err := s.stored(r)
			if err != nil {
				return nil, err
			}
			out = append(out, sr)
		}
	}
	slices.SortStableFunc(out, func(a, b *pipeline.StoredReport) int {
		return cmp.Compare(b.Extraction.Report.Year, a.Extraction.Report.Year)
	})
	return out, nil
}

func (s *Store) Trend(_ context.Context, organization, project string) ([]pipeline.TrendPoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	series := s.series(organization)
	out := []pipeline.TrendPoint{}
	for _, r := range s.reports {
		if r.year <= 0 || r.project != project || s.series(r.org) != series || !s.latest(r) {
			continue
		}
		sr, err := s.stored(r)
		if err != nil {
			return nil, err
		}
		rep := sr.Extraction.Report
		out = append(out, pipeline.TrendPoint{ReportID: r.lineage, Year: r.year, Organization: series, Project: project,
			Planned: rep.Budget.Planned, Adjusted: rep.Budget.Adjusted, Executed: rep.Budget.Executed,
			ExecutionRate: rep.Budget.ExecutionRate, Score: rep.Score, Grade: rep.Grade, Problems: r.problems,
			Findings: map[string]int{pipeline.SeverityError: r.summary.Errors, pipeline.SeverityWarning: r.summary.Warnings,
				pipeline.SeverityInfo: r.summary.Infos}})
	}
	slices.SortFunc(out, func(a, b pipeline.TrendPoint) int { return cmp.Compare(a.Year, b.Year) })
	return out, nil
}

func (s *Store) RecurringProblems(_ context.Context, organization, project string) ([]pipeline.RecurringProblem, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	series := s.series(organization)
	var rows []storelogic.ProblemRow
	for _, r := range s.reports {
		rs := s.series(r.org)
		if r.year <= 0 || organization != "" && rs != series || project != "" && r.project != project || !s.latest(r) {
			continue
		}
		if len(r.problems) == 0 {
			rows = append(rows, storelogic.ProblemRow{ReportID: r.lineage, Org: rs, Project: r.project, Year: r.year})
		}
		for _, p := range r.problems {
			rows = append(rows, storelogic.ProblemRow{ReportID: r.lineage, Org: rs, Project: r.project, Year: r.year, Text: p, HasText: true})
		}
	}
	slices.SortStableFunc(rows, func(a, b storelogic.ProblemRow) int {
		return cmp.Or(cmp.Compare(a.Org, b.Org), cmp.Compare(a.Project, b.Project), cmp.Compare(a.Year, b.Year), cmp.Compare(a.ReportID, b.ReportID))
	})
	return storelogic.Recurring(rows), nil
}

func (s *Store) Search(_ context.Context, query string, limit int) ([]pipeline.SearchHit, error) {
	words := storelogic.QueryWords(query)
	if limit <= 0 {
		limit = 20
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []pipeline.SearchHit{}
	if len(words) == 0 {
		return out, nil
	}
	for _, r := range s.byYearDesc() {
		if len(out) < limit && s.newest(r) && storelogic.Matches(words, r.org, r.project, r.text) {
			out = append(out, pipeline.SearchHit{ReportID: r.lineage, Name: s.docs[r.sha].Name, Organization: r.org,
				Project: r.project, Year: r.year, Snippet: storelogic.Snippet(r.text, query)})
		}
	}
	return out, nil
}

// byYearDesc is the reports newest year first, then by id: the order of
// hits that match equally well.
func (s *Store) byYearDesc() []*report {
	out := slices.Clone(s.reports)
	slices.SortStableFunc(out, func(a, b *report) int { return cmp.Or(cmp.Compare(b.year, a.year), cmp.Compare(a.id, b.id)) })
	return out
}
