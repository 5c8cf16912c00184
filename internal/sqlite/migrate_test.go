package sqlite

import (
	"context"
	"net/url"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/sqlstore"
	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/internal/storetest"
	"github.com/jixiao/jixiao/pipeline"
)

// A store made before reports had versions (migrations up to 007) holding
// a report's text and PDF twins and a resubmission is, once opened, one
// report with three versions, its latest the last saved; other reports stay
// apart.
func TestMigrationGroupsStoredTwinsIntoVersions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := migratedTo(t, path, "008")
	ctx := context.Background()
	conn, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		name, org, project, kind string
		year                     int
	}{
		{"a.txt", "吐鲁番市残疾人联合会", "", "department", 2022},
		{"a.pdf", "吐鲁番市残疾人联合会", "", "department", 2022},
		{"b.txt", "吐鲁番市残疾人联合会", "", "department", 2021},
		{"a-修订.txt", "吐鲁番市残疾人联合会", "", "department", 2022},
		{"c.txt", "甘肃省民政厅", "", "project", 2022}, // a project report of no known project
		{"d.txt", "甘肃省民政厅", "", "project", 2022},
	}
	for i, r := range rows {
		if _, err := conn.ExecContext(ctx, `INSERT INTO documents (id, sha256, name, status, ingested_at) VALUES (?, ?, ?, 'ingested', '2025-01-01T00:00:00Z')`,
			i+1, r.name, r.name); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO reports (id, document_id, organization, project, kind, year, grade, extraction, text, series_org)
			VALUES (?, ?, ?, ?, ?, ?, '', '{}', '', ?)`, i+1, i+1, r.org, r.project, r.kind, r.year, r.org); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	db.Close()

	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, n, err := st.Reports(ctx, pipeline.ReportFilter{Sort: "name"})
	if err != nil || n != 4 {
		t.Fatalf("%d reports after the migration, want 4: %+v, %v", n, list, err)
	}
	vs, err := st.Versions(ctx, 2)
	if err != nil || len(vs) != 3 || vs[0].ID != 1 || !vs[2].Latest || vs[2].Document.Name != "a-修订.txt" || vs[0].ReportID != 1 {
		t.Errorf("versions of report 1: %+v, %v", vs, err)
	}
	for _, id := range []int64{5, 6} {
		if vs, _ := st.Versions(ctx, id); len(vs) != 1 {
			t.Errorf("report %d of no known project was grouped: %+v", id, vs)
		}
	}
}

// A store made before a document could hold several reports (migrations
// up to 008) keeps every report and every row referring to one through
// the rebuild of reports (009): the full-text index still finds its
// reports, the rows still cascade with their document, foreign keys are on
// again on every connection, and every index is there.
func TestMigrationToSeveralReportsPerDocumentKeepsTheData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := migratedTo(t, path, "009")
	old := storetest.FillOneReportPerDocument(t, db)
	if hasOldIndex(t, db) { // the first report indexed, the other waiting
		text := old.Exts[0]
		if _, err := db.Exec(`INSERT INTO report_fts (rowid, organization, project, body) VALUES (?, ?, ?, ?)`, old.IDs[0],
			storelogic.Segment(text.Report.Organization), storelogic.Segment(text.Report.Project), storelogic.Segment(text.Text)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO fts_pending (report_id) VALUES (?)`, old.IDs[1]); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if hits, err := st.Search(ctx, "高标准农田", 10); err != nil || len(hits) != 1 || hits[0].ReportID != old.IDs[0] {
		t.Errorf("the index after the migration finds %+v, %v; want report %d", hits, err, old.IDs[0])
	}
	var indexes []string
	st.DB().Select(&indexes, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports' ORDER BY name`)
	if want := []string{"reports_lineage", "reports_series", "reports_series_org", "sqlite_autoindex_reports_1"}; !slices.Equal(indexes, want) {
		t.Errorf("indexes of reports: %v, want %v", indexes, want)
	}
	// Every connection the pool may hand out but the store's writer, which
	// the workbook's save in CheckMigrated checks: its old rows must
	// cascade away.
	free := st.DB().Stats().MaxOpenConnections - st.DB().Stats().InUse
	conns := make([]*sqlx.Conn, free)
	for i := range conns {
		c, err := st.DB().Connx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
		var on int
		if err := c.GetContext(ctx, &on, `PRAGMA foreign_keys`); err != nil || on != 1 {
			t.Errorf("connection %d: foreign_keys = %d, %v", i, on, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	storetest.CheckMigrated(t, st, st.DB(), old)
	var items int
	st.DB().Get(&items, `SELECT count(*) FROM line_items WHERE report_id = ?`, old.IDs[1])
	if items != len(old.Exts[1].Report.LineItems) {
		t.Errorf("the workbook read again has %d line items, its extraction %d: the writer's foreign keys are off", items, len(old.Exts[1].Report.LineItems))
	}
	var integrity string
	if err := st.DB().Get(&integrity, `PRAGMA integrity_check`); err != nil || integrity != "ok" {
		t.Errorf("integrity_check = %q, %v", integrity, err)
	}
	if _, err := st.DB().Exec(`DELETE FROM documents WHERE name = 'dev-001.txt'`); err != nil {
		t.Fatal(err)
	}
	st.DB().Get(&items, `SELECT count(*) FROM line_items WHERE report_id = ?`, old.IDs[0])
	if items != 0 {
		t.Errorf("a deleted document's report left %d line items: the rebuilt table's keys do not cascade", items)
	}
}

// migratedTo makes a SQLite database at path with the migrations before
// the one numbered upTo, as a store of that time left it.
func migratedTo(t *testing.T, path, upTo string) *sqlx.DB {
	t.Helper()
	old := storetest.MigrationsBefore(t, migrations, "migrations", upTo)
	db, err := sqlx.Open("sqlite3", "file:"+path+"?"+url.Values{"_foreign_keys": {"on"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Connx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := sqlstore.Migrate(context.Background(), conn, old, "migrations", nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// hasOldIndex gives a database made by migratedTo the FTS5 table stores
// had before migration 010 (made by the migrations then), and tells
// whether this binary can write to it. A binary without FTS5 gets the
// table's entry in the schema alone, written as SQLite's own schema table
// allows, which is what such a binary finds in a store an FTS5 build made.
func hasOldIndex(t *testing.T, db *sqlx.DB) bool {
	t.Helper()
	const create = `CREATE VIRTUAL TABLE report_fts USING fts5 (organization, project, body,
		tokenize = 'ascii', content = '', contentless_delete = 1)`
	var on bool
	if err := db.Get(&on, "SELECT sqlite_compileoption_used('ENABLE_FTS5')"); err != nil {
		t.Fatal(err)
	}
	if on {
		if _, err := db.Exec(create); err != nil {
			t.Fatal(err)
		}
		return true
	}
	db.MustExec(`PRAGMA writable_schema = ON`)
	db.MustExec(`INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', 'report_fts', 'report_fts', 0, ?)`, create)
	db.MustExec(`PRAGMA writable_schema = OFF`)
	return false
}
