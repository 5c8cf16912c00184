package postgres

import (
	"context"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/internal/sqlstore"
	"github.com/jixiao/jixiao/internal/storetest"
)

// A database made before a document could hold several reports
// (migrations up to 002) keeps every report and every row referring to
// one; a document's reports are unique by place, no longer by document.
func TestMigrationToSeveralReportsPerDocumentKeepsTheData(t *testing.T) {
	url := pgtest.URL(t)
	db, err := sqlx.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	old := storetest.MigrationsBefore(t, migrations, "migrations", "003")
	ctx := context.Background()
	conn, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Migrate(ctx, conn, old, "migrations", nil); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	stored := storetest.FillOneReportPerDocument(t, db)

	st := mustOpen(t, url)
	var unique []string
	if err := st.DB().Select(&unique, `SELECT conname FROM pg_constraint WHERE conrelid = 'reports'::regclass AND contype = 'u'`); err != nil ||
		!slices.Equal(unique, []string{"reports_document_place"}) {
		t.Errorf("unique constraints of reports: %v, %v", unique, err)
	}
	storetest.CheckMigrated(t, st, st.DB(), stored)
}
