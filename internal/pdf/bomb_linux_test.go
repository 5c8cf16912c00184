package pdf

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// peakRSS is the process's peak resident memory since resetPeakRSS, in MiB.
func peakRSS(t testing.TB) float64 { return procStatus(t, "VmHWM:") }

// procStatus is a memory figure of /proc/self/status, in MiB.
func procStatus(t testing.TB, field string) float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := bytes.Cut(status, []byte(field))
	line, _, _ := bytes.Cut(rest, []byte("kB"))
	kb, err := strconv.Atoi(string(bytes.TrimSpace(line)))
	if err != nil {
		t.Fatal(err)
	}
	return float64(kb) / 1024
}

// resetPeakRSS sets the peak to the memory now resident.
func resetPeakRSS(t testing.TB) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skip("cannot reset the peak RSS:", err)
	}
}

// Four workers meeting bombs that only pdfium decodes take turns in
// engineBudget: the process's memory grows by about one instance's limit,
// not four.
func TestFourBombsTakeTurns(t *testing.T) {
	const limit = 128 << 20
	bomb := hexFontBomb(256 << 20)
	runtime.GC()
	resetPeakRSS(t)
	before := procStatus(t, "VmRSS:")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			r := NewReader(Options{MaxEngineMemory: limit})
			defer r.Close()
			_, _, errs[i] = r.Pages(context.Background(), bomb)
		})
	}
	wg.Wait()
	grown := peakRSS(t) - before
	t.Logf("peak RSS grew by %.0f MiB", grown)
	for _, err := range errs {
		assertBomb(t, err, "pdfium's memory over 128 MB")
	}
	if grown > 2.5*limit>>20 {
		t.Errorf("the peak RSS grew by %.0f MiB for four bombs, each stopped at %d MiB", grown, limit>>20)
	}
}

// BenchmarkFourBombs: four workers, each with its own Reader as a batch
// gives them, read a 1 GiB Flate bomb at once; reports the process's peak
// RSS. "open": the Go reader opens the file and refuses it before pdfium;
// "no-xref": it cannot, the raw scan refuses it; "hex": neither decodes
// the filter, so pdfium meets the bomb, the runs taking turns in
// engineBudget and each stopped at MaxEngineMemory.
func BenchmarkFourBombs(b *testing.B) {
	font := fontBomb(1<<30, 1)
	for _, c := range []struct {
		name string
		data []byte
	}{{"open", font}, {"no-xref", withoutXref(font)}, {"hex", hexFontBomb(1 << 30)}} {
		b.Run(c.name, func(b *testing.B) {
			var peak float64
			for b.Loop() {
				resetPeakRSS(b)
				var wg sync.WaitGroup
				for range 4 {
					wg.Go(func() {
						r := NewReader(Options{})
						defer r.Close()
						if _, _, err := r.Pages(context.Background(), c.data); err == nil {
							b.Error("a bomb was read")
						}
					})
				}
				wg.Wait()
				peak = max(peak, peakRSS(b))
			}
			b.ReportMetric(peak, "MiB-peak-RSS")
		})
	}
}
