package run_test

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/jixiao/jixiao/internal/office"
	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/pipeline/run"
)

// BenchmarkFormats: what one report costs end to end (load, model,
// extract, check) in each format, on the same report (dev2-019) where the
// corpus has it; warm, one core. The .doc and .xls go through LibreOffice
// (skipped when it is not installed), whose process start dominates.
func BenchmarkFormats(b *testing.B) {
	cases := []struct{ name, path string }{
		{"txt", "../../testdata/corpus2/dev2-019.txt"},
		{"pdf", "../../testdata/corpus2/dev2-019.pdf"},
		{"docx", "../../testdata/corpus2/dev2-019.docx"},
		{"xlsx-3-forms", "../../testdata/corpus2/dev2-019.xlsx"},
		{"doc", "testdata/office/report.doc"},
		{"xls-3-forms", "testdata/office/forms.xls"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			data, err := os.ReadFile(c.path)
			if err != nil {
				b.Fatal(err)
			}
			if office.IsOLE2(data) {
				if _, err := exec.LookPath("soffice"); err != nil {
					b.Skip("LibreOffice not installed")
				}
			}
			r, release := newRunner()
			defer release()
			if _, err := r.Reports(context.Background(), c.name, data); err != nil { // warm
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := r.Reports(context.Background(), c.name, data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/file")
		})
	}
}

// newRunner is the production pipeline: internal/pdf's engines and
// LibreOffice.
func newRunner() (*run.Runner, func()) {
	r, release := pdf.NewRunner()
	r.Office = &office.Converter{}
	return r, func() { release(); office.Cleanup() }
}
