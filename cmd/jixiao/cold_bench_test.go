package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkColdProcess runs `jixiao extract FILE` as a whole new process,
// the way a reviewer or a script calls it, and reports its wall time and
// peak resident memory (targets: text ≤ 150 ms and ≤ 80 MB; PDF, once the
// first run has filled pdfium's compilation cache, ≤ 300 ms and ≤ 120 MB).
func BenchmarkColdProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "jixiao")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatal(err)
	}
	for _, file := range []string{"xj-redcross-2022.txt", "dev-003.pdf"} {
		path := filepath.Join("..", "..", "testdata", "corpus", file)
		b.Run(file, func(b *testing.B) {
			exec.Command(bin, "extract", path).Run() // fills caches, like a first run
			var wall time.Duration
			var peak int64
			for b.Loop() {
				cmd := exec.Command(bin, "extract", path)
				start := time.Now()
				if out, err := cmd.Output(); err != nil || len(out) == 0 {
					b.Fatalf("extract %s: %v", file, err)
				}
				wall += time.Since(start)
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					peak = max(peak, ru.Maxrss) // KiB on Linux
				}
			}
			b.ReportMetric(float64(wall.Microseconds())/1000/float64(b.N), "ms/process")
			b.ReportMetric(float64(peak)/1024, "MB-peak-RSS")
		})
	}
}
