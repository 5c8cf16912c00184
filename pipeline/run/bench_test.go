package run

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRealReport: extract and check the real report, warm (the
// segmenter and dictionaries already loaded).
func BenchmarkRealReport(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "xj-redcross-2022.txt"))
	if err != nil {
		b.Fatal(err)
	}
	r := &Runner{}
	r.File(context.Background(), "warm", data)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.File(context.Background(), "xj-redcross-2022.txt", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCorpusParallel: many reports in one process on every core, the
// batch import's load; reports/s is the figure to compare (target ≥ 1,000/s
// on 2 cores).
func BenchmarkCorpusParallel(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	var docs [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, d)
	}
	(&Runner{}).File(context.Background(), "warm", docs[0])
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := &Runner{}
		i := 0
		for pb.Next() {
			if _, err := r.File(context.Background(), "r.txt", docs[i%len(docs)]); err != nil {
				b.Error(err)
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}
