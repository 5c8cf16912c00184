package postgres

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/internal/storetest"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// BenchmarkSearch measures the full-text search on the corpus texts saved
// many times over (2,000 reports), three ways: the store's own (bigram
// tsvector under GIN, each word then checked in the text), pg_trgm's GIN
// index on the text with ILIKE (Debian's postgresql package has the
// extension), and no index at all (ILIKE over every text). It logs the
// size of each index and what saving cost with the store's.
//
//	go test -tags sqlite_fts5 -run '^$' -bench Search ./internal/postgres
func BenchmarkSearch(b *testing.B) {
	st, err := Open(pgtest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	const copies = 50
	saved := fillCorpus(b, st, copies)
	db := st.DB()
	if _, err := db.Exec(`CREATE EXTENSION IF NOT EXISTS pg_trgm`); err != nil {
		b.Fatal(err)
	}
	var reports int
	db.Get(&reports, `SELECT count(*) FROM reports`)
	b.Logf("%d reports saved in %s (%.2f ms each, the terms written in each save)", reports, saved, float64(saved.Microseconds())/1000/float64(reports))
	queries := []string{"采购", "高标准农田", "政府采购程序", "绩效 资金", "采"}
	byScan := func(q string) string {
		return `SELECT r.id FROM reports r WHERE r.text ILIKE '%' || $1 || '%' ORDER BY r.year DESC, r.id LIMIT 20`
	}
	for _, q := range queries {
		b.Run("terms/"+q, func(b *testing.B) {
			for b.Loop() {
				if _, err := st.Search(context.Background(), q, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, q := range queries[:3] {
		b.Run("scan/"+q, func(b *testing.B) { benchQuery(b, st, byScan(q), q) })
	}
	start := time.Now()
	if _, err := db.Exec(`CREATE INDEX reports_trgm ON reports USING gin (text gin_trgm_ops)`); err != nil {
		b.Fatal(err)
	}
	b.Logf("pg_trgm index built in %s", time.Since(start))
	db.Exec(`ANALYZE`)
	for _, q := range queries[:3] {
		b.Run("trgm/"+q, func(b *testing.B) { benchQuery(b, st, byScan(q), q) })
	}
	var terms, gin, trgm, texts int64
	db.Get(&terms, `SELECT pg_total_relation_size('report_terms') - pg_relation_size('report_terms_gin')`)
	db.Get(&gin, `SELECT pg_relation_size('report_terms_gin')`)
	db.Get(&trgm, `SELECT pg_relation_size('reports_trgm')`)
	db.Get(&texts, `SELECT sum(pg_column_size(text)) FROM reports`)
	b.Logf("texts %d MB stored; terms %d MB + GIN %d MB; pg_trgm GIN %d MB", texts>>20, terms>>20, gin>>20, trgm>>20)
}

func benchQuery(b *testing.B, st *Store, q, arg string) {
	for b.Loop() {
		var ids []int64
		if err := st.DB().Select(&ids, q, arg); err != nil {
			b.Fatal(err)
		}
	}
}

// fillCorpus saves every corpus text copies times (each copy another
// document) and returns the time the saves took.
func fillCorpus(b *testing.B, st *Store, copies int) time.Duration {
	names, _ := filepath.Glob("../../testdata/corpus/dev-*.txt")
	type read struct {
		data []byte
		ext  *pipeline.Extraction
	}
	var texts []read
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		ext, err := (&run.Runner{}).File(context.Background(), filepath.Base(n), data)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, read{data, ext})
	}
	start := time.Now()
	for c := range copies {
		for i, r := range texts {
			data := append(append([]byte{}, r.data...), fmt.Sprintf("\n附：第%d份\n", c)...)
			if _, err := st.SaveReport(context.Background(), storetest.DocOf(names[i], data, r.ext), data, r.ext); err != nil {
				b.Fatal(err)
			}
		}
	}
	return time.Since(start)
}
