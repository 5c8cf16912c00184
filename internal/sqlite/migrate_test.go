package sqlite

import (
	"context"
	"io/fs"
	"net/url"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/sqlstore"
	"github.com/jixiao/jixiao/pipeline"
)

// A store made before reports had versions (migrations up to 007) holding
// a report's text and PDF twins and a resubmission is, once opened, one
// report with three versions, its latest the last saved; other reports stay
// apart.
func TestMigrationGroupsStoredTwinsIntoVersions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	old := fstest.MapFS{}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	for _, n := range names {
		if filepath.Base(n) < "008" {
			data, _ := fs.ReadFile(migrations, n)
			old[n] = &fstest.MapFile{Data: data}
		}
	}
	db, err := sqlx.Open("sqlite3", "file:"+path+"?"+url.Values{"_foreign_keys": {"on"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Migrate(ctx, conn, old, "migrations"); err != nil {
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
