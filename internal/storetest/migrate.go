package storetest

import (
	"context"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// MigrationsBefore are the migrations of dir in files numbered before
// upTo ("009"): those a store of the time had applied.
func MigrationsBefore(t *testing.T, files fs.FS, dir, upTo string) fs.FS {
	t.Helper()
	old := fstest.MapFS{}
	names, err := fs.Glob(files, dir+"/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if path.Base(n) < upTo {
			data, _ := fs.ReadFile(files, n)
			old[n] = &fstest.MapFile{Data: data}
		}
	}
	return old
}

// OldStore is what FillOneReportPerDocument wrote into a database made
// before a document could hold several reports (SQLite's migrations up to
// 008, PostgreSQL's up to 002): a text report and a workbook read as one
// report, with rows in the tables that refer to reports.
type OldStore struct {
	IDs   []int64 // the reports, text first
	Exts  []*pipeline.Extraction
	Data  [][]byte
	Names []string
	Rows  map[string]int // rows of each table that refers to reports
}

// FillOneReportPerDocument writes two documents of one report each into db,
// as the store of the time wrote them, with a finding's evidence, a line
// item, a reviewer's mark and a stale mark.
func FillOneReportPerDocument(t *testing.T, db *sqlx.DB) *OldStore {
	t.Helper()
	ctx := context.Background()
	old := &OldStore{Names: []string{"dev-001.txt", "dev2-035.xlsx"}}
	for i, path := range []string{filepath.Join(corpus(), "dev-001.txt"), filepath.Join(corpus2(), "dev2-035.xlsx")} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ext, err := (&run.Runner{}).File(ctx, old.Names[i], data)
		if err != nil {
			t.Fatal(err)
		}
		old.Data, old.Exts = append(old.Data, data), append(old.Exts, ext)
		old.IDs = append(old.IDs, insertOldReport(t, db, old.Names[i], data, ext))
	}
	if old.Exts[1].Source.Sheet == "" {
		t.Fatal("the workbook's report should name its sheet")
	}
	old.Rows = referringRows(t, db)
	return old
}

// insertOldReport writes a document and its report as migrations before
// several reports per document left them.
func insertOldReport(t *testing.T, db *sqlx.DB, name string, data []byte, ext *pipeline.Extraction) int64 {
	t.Helper()
	blob, err := json.Marshal(ext)
	if err != nil {
		t.Fatal(err)
	}
	r := ext.Report
	var docID, id, findingID int64
	steps := []struct {
		dest *int64
		q    string
		args []any
	}{
		{&docID, `INSERT INTO documents (sha256, name, format, status, ingested_at) VALUES (?, ?, ?, 'ingested', '2025-01-01T00:00:00Z') RETURNING id`,
			[]any{sum(data), name, ext.Source.Format}},
		{&id, `INSERT INTO reports (document_id, organization, project, kind, year, grade, extraction, text, series_org)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			[]any{&docID, r.Organization, r.Project, r.Kind, r.Year, r.Grade, string(blob), ext.Text, r.Organization}},
		{nil, `UPDATE reports SET lineage = id`, nil},
		{nil, `INSERT INTO organizations (name, canonical) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, []any{r.Organization, r.Organization}},
		{nil, `INSERT INTO line_items (report_id, seq, purpose, fen, quote, page, line, pos) VALUES (?, 0, '示例用途', 100, '', 0, 1, 0)`, []any{&id}},
		{&findingID, `INSERT INTO findings (report_id, seq, rule, severity, message, vals) VALUES (?, 0, ?, ?, ?, '{}') RETURNING id`,
			[]any{&id, ext.Findings[0].Rule, ext.Findings[0].Severity, ext.Findings[0].Message}},
		{nil, `INSERT INTO evidence (finding_id, seq, quote, page, line, pos) VALUES (?, 0, '引文', 0, 1, 0)`, []any{&findingID}},
		{nil, `INSERT INTO history_stale (report_id) VALUES (?)`, []any{&id}},
		{nil, `INSERT INTO finding_marks (report_id, finding_key, rule, status, marked_at) VALUES (?, ?, ?, 'confirmed', '2025-01-02T00:00:00Z')`,
			[]any{&id, pipeline.FindingKey(ext.Findings[0]), ext.Findings[0].Rule}},
	}
	for _, s := range steps {
		args := make([]any, len(s.args))
		for i, a := range s.args {
			if p, ok := a.(*int64); ok {
				a = *p
			}
			args[i] = a
		}
		var err error
		if s.dest != nil {
			err = db.Get(s.dest, db.Rebind(s.q), args...)
		} else {
			_, err = db.Exec(db.Rebind(s.q), args...)
		}
		if err != nil {
			t.Fatalf("%s: %v", s.q, err)
		}
	}
	return id
}

// referringTables are the tables whose rows refer to a report.
var referringTables = []string{"line_items", "findings", "evidence", "history_stale", "finding_marks"}

func referringRows(t *testing.T, db *sqlx.DB) map[string]int {
	t.Helper()
	rows := map[string]int{}
	for _, table := range referringTables {
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		rows[table] = n
	}
	return rows
}

// CheckMigrated checks a store opened (and so migrated) on the database
// FillOneReportPerDocument wrote: every report and every row referring to
// one is still there; the workbook's report found its sheet, so reading
// the workbook again keeps its id; a workbook of several reports can now
// be saved.
func CheckMigrated(t *testing.T, st pipeline.Store, db *sqlx.DB, old *OldStore) {
	t.Helper()
	ctx := context.Background()
	if got := referringRows(t, db); !maps.Equal(got, old.Rows) {
		t.Errorf("rows referring to reports: %v before the migration, %v after", old.Rows, got)
	}
	for i, id := range old.IDs {
		rep, err := st.Report(ctx, id)
		if err != nil || rep == nil || rep.Text != old.Exts[i].Text || rep.Extraction.Report.Organization != old.Exts[i].Report.Organization {
			t.Fatalf("report %d after the migration: %+v, %v", id, rep, err)
		}
		if ids, err := st.ReportIDs(ctx, sum(old.Data[i])); err != nil || !slices.Equal(ids, []int64{id}) {
			t.Errorf("ReportIDs of %s = %v, %v", old.Names[i], ids, err)
		}
		if marks, err := st.Marks(ctx, id); err != nil || len(marks) != 1 {
			t.Errorf("marks of report %d: %+v, %v", id, marks, err)
		}
		var sheet string
		if err := db.Get(&sheet, db.Rebind(`SELECT sheet FROM reports WHERE id = ?`), id); err != nil || sheet != old.Exts[i].Source.Sheet {
			t.Errorf("report %d on sheet %q, %v; want %q", id, sheet, err, old.Exts[i].Source.Sheet)
		}
	}
	wb := old.Exts[1]
	again, err := st.SaveReports(ctx, DocOf(old.Names[1], old.Data[1], wb), old.Data[1], []*pipeline.Extraction{wb})
	if err != nil || !slices.Equal(again, old.IDs[1:]) {
		t.Errorf("the workbook read again: %v, %v; want its report %d", again, err, old.IDs[1])
	}
	if vs, _ := st.Versions(ctx, old.IDs[1]); len(vs) != 1 || vs[0].ID != old.IDs[1] {
		t.Errorf("the workbook's report read again has versions %+v, want its own id", vs)
	}
	if ids, _, _ := SaveWorkbook(t, st, "dev2-019.xlsx"); len(ids) != 3 {
		t.Errorf("a workbook of three forms saved %d reports", len(ids))
	}
	if n := total(t, st, pipeline.ReportFilter{}); n != 5 {
		t.Errorf("%d reports after the migration and a workbook, want 5", n)
	}
}
