package pdf

import (
	"context"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// corpusWithText are the fixtures with a text layer, the batch a worker sees.
var corpusWithText = []string{
	"seed-libreoffice.pdf", "seed-libreoffice-noto.pdf", "seed-chromium-sungti.pdf",
	"seed-gopdf.pdf", "seed-cid-ucs2.pdf", "seed-ghostscript.pdf", "seed-chromium.pdf",
	"seed-cid-utf16.pdf", "seed-cid-gbk.pdf", "seed-libreoffice-aes256.pdf",
	"seed-xobject.pdf", "selfeval-table-libreoffice.pdf", "selfeval-table-chromium.pdf",
}

// benchPages reads files with r b.N times and reports pages/s.
func benchPages(b *testing.B, r *Reader, files []string) {
	datas := make([][]byte, len(files))
	for i, f := range files {
		datas[i] = readFixture(b, f)
	}
	if _, _, err := r.Pages(context.Background(), datas[0]); err != nil { // start engines outside the timer
		b.Fatal(err)
	}
	pages := 0
	b.ResetTimer()
	for b.Loop() {
		for _, d := range datas {
			p, _, err := r.Pages(context.Background(), d)
			if err != nil {
				b.Fatal(err)
			}
			pages += len(p)
		}
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkPages: routed (what a batch worker does), and each engine forced
// on each file it can read.
func BenchmarkPages(b *testing.B) {
	b.Run("routed/corpus", func(b *testing.B) { benchPages(b, shared, corpusWithText) })
	fast := NewReader(Options{ForceEngine: EngineFast})
	pdfium := NewReader(Options{ForceEngine: EnginePdfium})
	defer pdfium.Close()
	for _, f := range corpusWithText {
		b.Run("pdfium/"+f, func(b *testing.B) { benchPages(b, pdfium, []string{f}) })
	}
	for _, f := range []string{"seed-libreoffice.pdf", "seed-chromium-sungti.pdf", "seed-gopdf.pdf", "seed-cid-ucs2.pdf", "seed-ghostscript.pdf", "selfeval-table-libreoffice.pdf", "seed-chromium.pdf", "selfeval-table-chromium.pdf"} {
		b.Run("fast/"+f, func(b *testing.B) { benchPages(b, fast, []string{f}) })
	}
}

// BenchmarkColdStart: a new Reader reading one file, as one CLI process does
// (the compilation cache is filled by the first iteration). Reports the
// wall time and the Go runtime's memory from the OS (wazero's linear memory
// included) after the file.
func BenchmarkColdStart(b *testing.B) {
	for _, c := range []struct{ engine, file string }{
		{EnginePdfium, "seed-cid-gbk.pdf"},
		{EngineFast, "seed-libreoffice.pdf"},
		{EngineFast, "seed-chromium.pdf"}, // Type 3 fonts, read by the fast engine since their ToUnicode allows
	} {
		b.Run(c.engine+"/"+filepath.Base(c.file), func(b *testing.B) {
			data := readFixture(b, c.file)
			warm := NewReader(Options{ForceEngine: c.engine})
			warm.Pages(context.Background(), data)
			warm.Close()
			var total time.Duration
			var sys uint64
			for b.Loop() {
				start := time.Now()
				r := NewReader(Options{ForceEngine: c.engine})
				if _, _, err := r.Pages(context.Background(), data); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				sys = max(sys, m.Sys)
				r.Close()
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/start")
			b.ReportMetric(float64(sys)/(1<<20), "MiB-sys")
		})
	}
}

// BenchmarkBatchTwoWorkers: two workers, each with its own Reader, share the
// routed corpus, as the batch importer runs on a 2-core machine.
func BenchmarkBatchTwoWorkers(b *testing.B) {
	datas := make([][]byte, len(corpusWithText))
	for i, f := range corpusWithText {
		datas[i] = readFixture(b, f)
	}
	readers := []*Reader{NewReader(Options{}), NewReader(Options{})}
	for _, r := range readers {
		defer r.Close()
		r.Pages(context.Background(), readFixture(b, "seed-cid-gbk.pdf")) // start pdfium outside the timer
	}
	var pages atomic.Int64
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		for w, r := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(datas); i += len(readers) {
					p, _, err := r.Pages(context.Background(), datas[i])
					if err != nil {
						b.Error(err)
						return
					}
					pages.Add(int64(len(p)))
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(pages.Load())/b.Elapsed().Seconds(), "pages/s")
}
