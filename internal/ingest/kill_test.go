package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/postgres"
	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// buildBinary builds cmd/jixiao for the test (with the FTS5 tag the store
// needs).
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "jixiao")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(gobin, "build", "-tags", "sqlite_fts5", "-o", bin, "./cmd/jixiao")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// binaryAndVariants builds the binary and writes n variant reports to a
// folder for an import test that runs the binary, with two workbooks of
// several projects' forms among the first tenth (whose reports are saved
// together or not at all); -short skips such tests.
func binaryAndVariants(t *testing.T, n int) (bin, dir string, paths []string) {
	if testing.Short() {
		t.Skip("builds the binary and imports reports with it")
	}
	dir = t.TempDir()
	paths = writeVariants(t, dir, n)
	for i, wb := range []string{"dev2-019.xlsx", "dev2-025.xlsx"} {
		p := filepath.Join(dir, fmt.Sprintf("v%05dw-%s", n/20+i*n/40, wb))
		copyFile(t, "../../testdata/corpus2/"+wb, p)
		paths = append(paths, p)
	}
	return buildBinary(t), dir, paths
}

// storeKinds are the stores an import is killed on: a file for SQLite, a
// database on the test server for PostgreSQL.
var storeKinds = []struct {
	name  string
	newDB func(t testing.TB) string
}{
	{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "j.db") }},
	{"postgres", pgtest.URL},
}

// dbStore is a store whose tables a test can count.
type dbStore interface {
	Store
	DB() *sqlx.DB
}

// openDB opens the store --db names, SQLite or PostgreSQL.
func openDB(t testing.TB, db string) dbStore {
	t.Helper()
	if postgres.IsURL(db) {
		st, err := postgres.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	return openStore(t, db)
}

// rebound runs queries written with "?" on either database.
type rebound struct{ db *sqlx.DB }

func (r rebound) Get(dest any, q string, args ...any) error {
	return r.db.Get(dest, r.db.Rebind(q), args...)
}

// An ingest killed with SIGKILL part-way and run again stores every report
// exactly once with all its rows and its original, and the database is
// intact.
func TestKilledIngestResumesWithEveryReportOnce(t *testing.T) {
	bin, dir, paths := binaryAndVariants(t, 300)
	n := len(paths)
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			db := kind.newDB(t)
			stored := killDuringIngest(t, bin, db, dir, n)
			out, err := exec.Command(bin, "ingest", "--db", db, "--json", "-j", "2", dir).Output()
			if err != nil {
				t.Fatalf("second ingest: %v\n%s", err, out)
			}
			var sum Summary
			if err := json.Unmarshal(out, &sum); err != nil {
				t.Fatalf("summary %s: %v", out, err)
			}
			if sum.Failed != 0 || sum.Ingested+sum.Present != n || sum.Present < stored {
				t.Errorf("second run: %+v (after %d stored)", sum, stored)
			}
			checkEveryReportOnce(t, db, paths)
		})
	}
}

// killDuringIngest starts an import of dir into db, kills it with SIGKILL
// once reports of a tenth of the n files are stored, checks what it left,
// and returns how many files it stored.
func killDuringIngest(t *testing.T, bin, db, dir string, n int) int {
	first := exec.Command(bin, "ingest", "--db", db, "-j", "2", dir)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	st := openDB(t, db)
	stored := 0
	for stored < n/10 {
		select {
		case err := <-exited:
			t.Fatalf("ingest ended (%v) before it could be killed; %d reports stored", err, stored)
		case <-time.After(5 * time.Millisecond):
		}
		st.DB().Get(&stored, "SELECT count(*) FROM reports")
	}
	first.Process.Kill() // SIGKILL: no clean-up of any kind
	<-exited
	st.DB().Get(&stored, "SELECT count(*) FROM reports")
	if stored >= n {
		t.Fatalf("the kill came too late: %d reports of %d files already stored", stored, n)
	}
	t.Logf("killed after %d reports (of %d files)", stored, n)
	checkIndex(t, st, stored, true)
	var files int
	st.DB().Get(&files, "SELECT count(*) FROM documents WHERE status = 'ingested'")
	return files
}

// checkIndex checks the full-text index against the reports stored, and
// the database's own integrity. SQLite's index lags the reports by a
// batch at most after a kill, never by a report it half holds;
// PostgreSQL's holds every report, written in the save's transaction.
func checkIndex(t *testing.T, st dbStore, reports int, killed bool) {
	t.Helper()
	db := st.DB()
	if _, pg := st.(*postgres.Store); pg {
		if indexed := countOf(t, rebound{db}, "SELECT count(*) FROM report_terms"); indexed != reports {
			t.Errorf("%d reports, %d in the full-text index", reports, indexed)
		}
		checkPostgresIndexes(t, db)
		return
	}
	waiting := countOf(t, db, "SELECT count(*) FROM fts_pending")
	indexed := countOf(t, db, "SELECT count(*) FROM report_fts")
	if waiting+indexed != reports || !killed && waiting != 0 {
		t.Errorf("%d reports, %d indexed and %d waiting", reports, indexed, waiting)
	}
	var integrity string
	db.Get(&integrity, "PRAGMA integrity_check")
	if integrity != "ok" {
		t.Errorf("PRAGMA integrity_check = %q", integrity)
	}
	if _, err := db.Exec("INSERT INTO report_fts (report_fts) VALUES ('integrity-check')"); err != nil {
		t.Errorf("FTS integrity-check: %v", err)
	}
}

// checkPostgresIndexes is PostgreSQL's integrity check: amcheck verifies
// every B-tree index of the store's tables against its table.
func checkPostgresIndexes(t *testing.T, db *sqlx.DB) {
	t.Helper()
	if _, err := db.Exec(`CREATE EXTENSION IF NOT EXISTS amcheck`); err != nil {
		t.Fatalf("amcheck: %v", err)
	}
	var checked int
	err := db.Get(&checked, `SELECT count(bt_index_check(c.oid, true)) FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE a.amname = 'btree' AND n.nspname = 'public'`)
	if err != nil || checked == 0 {
		t.Errorf("amcheck of %d indexes: %v", checked, err)
	}
}

// checkEveryReportOnce checks that every file is stored once with each of
// its reports (a workbook's all), their rows and its original.
func checkEveryReportOnce(t *testing.T, db string, paths []string) {
	t.Helper()
	st := openDB(t, db)
	q := rebound{st.DB()}
	ctx := context.Background()
	all := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		exts, err := (&run.Runner{}).Reports(ctx, p, data)
		if err != nil {
			t.Fatal(err)
		}
		all += len(exts)
		docs := countOf(t, q, "SELECT count(*) FROM documents WHERE sha256 = ? AND status = 'ingested'", sha(data))
		reports := countOf(t, q, "SELECT count(*) FROM reports r JOIN documents d ON d.id = r.document_id WHERE d.sha256 = ?", sha(data))
		if docs != 1 || reports != len(exts) {
			t.Errorf("%s: %d documents and %d reports, want 1 and %d", filepath.Base(p), docs, reports, len(exts))
		}
		// A kill between appending an original to its pack and committing
		// leaves stray bytes in the pack: originals must still read whole.
		if got, err := st.Original(ctx, sha(data)); err != nil || string(got) != string(data) {
			t.Errorf("%s: original not read back: %v", filepath.Base(p), err)
		}
	}
	var ids []int64
	st.DB().Select(&ids, "SELECT id FROM reports")
	if len(ids) != all {
		t.Errorf("%d reports stored for %d files of %d reports", len(ids), len(paths), all)
	}
	for _, id := range ids {
		r, err := st.Report(ctx, id)
		if err != nil || r == nil {
			t.Fatalf("report %d: %v", id, err)
		}
		checkRows(t, q, r)
		if rep := r.Extraction.Report; (len(rep.Sections) == 0 && r.Extraction.Source.Sheet == "") || rep.Year == 0 {
			t.Errorf("report %d (%s): no sections or year; the variants should read like the corpus", r.ID, r.Document.Name)
		}
	}
	checkIndex(t, st, len(ids), false)
	if orphans := countOf(t, q, "SELECT count(*) FROM documents d WHERE status = 'ingested' AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.document_id = d.id)"); orphans != 0 {
		t.Errorf("%d ingested documents without a report", orphans)
	}
}

type getter interface {
	Get(dest any, query string, args ...any) error
}

func countOf(t *testing.T, db getter, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkRows compares a report's rows with its stored extraction.
func checkRows(t *testing.T, db getter, r *pipeline.StoredReport) {
	t.Helper()
	rep := r.Extraction.Report
	evidence := 0
	for _, f := range r.Extraction.Findings {
		evidence += len(f.Evidence)
	}
	items := 0
	for _, b := range rep.Breakdowns {
		items += len(b.Items)
	}
	want := map[string]int{
		"SELECT count(*) FROM line_items WHERE report_id = ?":                                                     len(rep.LineItems),
		"SELECT count(*) FROM breakdowns WHERE report_id = ?":                                                     len(rep.Breakdowns),
		"SELECT count(*) FROM indicators WHERE report_id = ?":                                                     len(rep.Indicators),
		"SELECT count(*) FROM problems WHERE report_id = ?":                                                       len(rep.Problems),
		"SELECT count(*) FROM suggestions WHERE report_id = ?":                                                    len(rep.Suggestions),
		"SELECT count(*) FROM sections WHERE report_id = ?":                                                       len(rep.Sections),
		"SELECT count(*) FROM findings WHERE report_id = ?":                                                       len(r.Extraction.Findings),
		"SELECT count(*) FROM breakdown_items i JOIN breakdowns b ON b.id = i.breakdown_id WHERE b.report_id = ?": items,
		"SELECT count(*) FROM evidence e JOIN findings f ON f.id = e.finding_id WHERE f.report_id = ?":            evidence,
	}
	for q, n := range want {
		if got := countOf(t, db, q, r.ID); got != n {
			table := strings.Fields(q)[3]
			t.Errorf("report %d (%s): %d rows in %s, the extraction has %d", r.ID, r.Document.Name, got, table, n)
		}
	}
}
