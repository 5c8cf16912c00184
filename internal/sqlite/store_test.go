package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/jixiao/jixiao/internal/storetest"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

const corpus = "../../testdata/corpus"

func openTemp(t *testing.T) *Store { return openTempAs(t, false) }

// openTempAs is openTemp; noFTS5 indexes without FTS5 whatever the build.
func openTempAs(t *testing.T, noFTS5 bool) *Store {
	t.Helper()
	st, err := open(filepath.Join(t.TempDir(), "j.db"), noFTS5)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// save reads a corpus file through the pipeline and stores it.
func save(t *testing.T, st *Store, name string) (int64, *pipeline.Extraction, []byte) {
	t.Helper()
	return storetest.Save(t, st, name, nil)
}

// TestConformance runs the suite every store passes, with the index of
// this build (FTS5 with the tag sqlite_fts5, the token table without).
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pipeline.Store { return openTemp(t) })
}

// TestConformanceWithoutFTS5 runs it with the token table in any build, so
// that the tagged build's tests (make test) hold both forms to the suite.
func TestConformanceWithoutFTS5(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pipeline.Store { return openTempAs(t, true) })
}

// indexed counts the reports in the store's full-text index, whichever
// its form.
func indexed(t *testing.T, st *Store) int {
	t.Helper()
	if st.index.engine() == "fts5" {
		return count(t, st, "SELECT count(*) FROM report_fts")
	}
	return count(t, st, "SELECT count(DISTINCT report_id) FROM report_terms")
}

func count(t *testing.T, st *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.db.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSaveReportTwiceKeepsOneReport(t *testing.T) {
	st := openTemp(t)
	first, _, _ := save(t, st, "dev-002.txt")
	// Once indexed, then saved again: the index row is replaced too.
	if err := st.IndexPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	second, _, _ := save(t, st, "dev-002.txt")
	if n := count(t, st, "SELECT count(*) FROM reports"); n != 1 {
		t.Fatalf("%d reports after saving the same document twice", n)
	}
	if err := st.IndexPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := indexed(t, st); n != 1 {
		t.Errorf("%d reports in the full-text index, want 1", n)
	}
	if st.index.engine() == "fts5" {
		if _, err := st.db.Exec("INSERT INTO report_fts (report_fts) VALUES ('integrity-check')"); err != nil {
			t.Errorf("FTS integrity-check: %v", err)
		}
	}
	if count(t, st, "SELECT count(*) FROM reports WHERE id = ?", second) != 1 || count(t, st, "SELECT count(*) FROM documents") != 1 {
		t.Errorf("the second save (report %d, first %d) should replace the first extraction", second, first)
	}
}

func TestReopenKeepsDataAndDoesNotReapplyMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	save(t, st, "dev-004.txt")
	st.Close()
	st, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n := count(t, st, "SELECT count(*) FROM reports"); n != 1 {
		t.Errorf("%d reports after reopening, want 1", n)
	}
	if n := count(t, st, "SELECT count(*) FROM schema_migrations"); n < 1 {
		t.Error("no migration recorded")
	}
	var mode string
	st.db.Get(&mode, "PRAGMA journal_mode")
	var fk int
	st.db.Get(&fk, "PRAGMA foreign_keys")
	if mode != "wal" || fk != 1 {
		t.Errorf("journal_mode %q foreign_keys %d, want wal and 1", mode, fk)
	}
}

// Saved reports wait for the full-text index in batches; a search, the end
// of a batch and Close index them, so no query misses one and a store at
// rest has none waiting.
func TestFullTextIndexTakesSavedReportsInBatches(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, _, _ := save(t, st, "dev-001.txt")
	if n := count(t, st, "SELECT count(*) FROM fts_pending WHERE report_id = ?", id); n != 1 {
		t.Fatalf("a report just saved: %d waiting rows, want 1", n)
	}
	hits, err := st.Search(ctx, "高标准农田", 10)
	if err != nil || len(hits) != 1 || hits[0].ReportID != id {
		t.Fatalf("search right after the save = %v, %v; want report %d", hits, err, id)
	}
	if n := count(t, st, "SELECT count(*) FROM fts_pending"); n != 0 {
		t.Errorf("%d reports still waiting after a search", n)
	}
	save(t, st, "dev-004.txt")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if waiting, indexed := count(t, st, "SELECT count(*) FROM fts_pending"), indexed(t, st); waiting != 0 || indexed != 2 {
		t.Errorf("after Close: %d waiting, %d indexed; want 0 and 2", waiting, indexed)
	}
}

// A store with no index recorded (made before migration 010 with an
// index of an older form) is indexed afresh when it opens: every report is
// searchable again once the waiting ones are indexed.
func TestRebuiltIndexFindsEveryStoredReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := save(t, st, "dev-001.txt")
	save(t, st, "dev-004.txt")
	if _, err := st.db.Exec(`DELETE FROM text_index`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if st, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n := count(t, st, "SELECT count(*) FROM fts_pending"); n != 2 {
		t.Errorf("after the rebuild %d reports wait for the index, want 2", n)
	}
	hits, err := st.Search(context.Background(), "高标准农田", 10)
	if err != nil || len(hits) != 1 || hits[0].ReportID != a {
		t.Errorf("search after the rebuild = %v, %v; want report %d", hits, err, a)
	}
}

// A Store that only reads closes without touching the waiting list (it
// may belong to an import running in another process).
func TestCloseOfAReadingStoreLeavesTheWaitingListAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	writer, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	save(t, writer, "dev-004.txt")
	reader, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reader.Trend(context.Background(), "宁夏回族自治区文化和旅游厅", ""); err != nil {
		t.Fatal(err)
	}
	if err := reader.Close(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, writer, "SELECT count(*) FROM fts_pending"); n != 1 {
		t.Errorf("%d reports wait after a reading Store closed, want the writer's 1", n)
	}
}

// A full batch is indexed by the save that fills it, not left for later.
func TestAFullBatchIsIndexedBySaving(t *testing.T) {
	st := openTemp(t)
	names, err := filepath.Glob(filepath.Join(corpus, "dev-*.txt"))
	if err != nil || len(names) == 0 {
		t.Fatal("no corpus texts")
	}
	ctx := context.Background()
	r := &run.Runner{}
	for i := 0; i < indexBatch; i++ {
		name := names[i%len(names)]
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, fmt.Sprintf("\n附：第%d份\n", i)...) // another document each time
		ext, err := r.File(ctx, filepath.Base(name), data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveReport(ctx, storetest.DocOf(filepath.Base(name), data, ext), data, ext); err != nil {
			t.Fatal(err)
		}
	}
	if waiting, indexed := count(t, st, "SELECT count(*) FROM fts_pending"), indexed(t, st); waiting != 0 || indexed != indexBatch {
		t.Errorf("after %d saves: %d waiting, %d indexed", indexBatch, waiting, indexed)
	}
}

// A store's path is a file name, whatever it holds: ?, # and % are not
// read as a URI's query, fragment or escape, and spaces and Chinese pass
// through, so each store is the one file named, beside its originals.
func TestOpenTakesAnyFileName(t *testing.T) {
	for _, name := range []string{"q/a?b.db", "c#d.db", "e%41.db", "f%zz.db", "sp ace.db", "a+b&c=d;e:f@g.db", "绩效 2024.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			st, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			save(t, st, "dev-001.txt")
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			got, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*"))
			want := []string{path, path + ".files"}
			if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
				t.Errorf("files made: %q, want %q", got, want)
			}
			st, err = Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if n := count(t, st, "SELECT count(*) FROM reports"); n != 1 {
				t.Errorf("reopened: %d reports, want 1", n)
			}
		})
	}
}
