package extract

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/internal/textload"
)

// BenchmarkExtract: extraction alone over the normalised corpus reports.
func BenchmarkExtract(b *testing.B) {
	files, _ := filepath.Glob("../../testdata/corpus/*.txt")
	var docs []*document.Doc
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		s, _, err := textload.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, normalize.Parse(s))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Extract(docs[i%len(docs)])
		i++
	}
}
