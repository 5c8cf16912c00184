package segment

import (
	"os"
	"runtime"
	"testing"

	"github.com/go-ego/gse"

	"github.com/jixiao/jixiao/dictionaries"
)

// liveHeapMB is the heap in use after a full collection.
func liveHeapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// BenchmarkLoad builds the default segmenter (compact dictionary + domain
// terms) and reports the heap it keeps alive.
func BenchmarkLoad(b *testing.B) {
	var s *Segmenter
	before := liveHeapMB()
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if s, err = Load(dictionaries.ZhCompact, dictionaries.Domain); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(liveHeapMB()-before, "MB-live")
	b.ReportMetric(float64(s.Size()), "words")
	runtime.KeepAlive(s)
}

// BenchmarkLoadGseFull is what the compact dictionary avoids: gse's own
// loader with its full embedded Chinese dictionary (slow: over a second per
// op).
func BenchmarkLoadGseFull(b *testing.B) {
	var seg gse.Segmenter
	before := liveHeapMB()
	for b.Loop() {
		seg = gse.Segmenter{}
		if err := seg.LoadDictEmbed("zh_s"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(liveHeapMB()-before, "MB-live")
	runtime.KeepAlive(&seg)
}

// BenchmarkWords segments the real report (14 KB) with a loaded segmenter.
func BenchmarkWords(b *testing.B) {
	data, err := os.ReadFile("../../testdata/corpus/xj-redcross-2022.txt")
	if err != nil {
		b.Skip(err)
	}
	text := string(data)
	s := Default()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		s.Words(text)
	}
}
