package ingest

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var benchSizes = flag.String("ingest.sizes", "1000,10000", "comma-separated batch sizes of BenchmarkIngest")

// BenchmarkIngest imports n generated text reports into a fresh store with
// the default workers and reports reports/s and the peak RSS of the run
// (which should not grow with n). Target: ≥ 500 reports/s on 2 cores.
//
//	go test -tags sqlite_fts5 -run '^$' -bench Ingest -benchtime 1x ./internal/ingest
//	go test -tags sqlite_fts5 -run '^$' -bench Ingest -benchtime 1x ./internal/ingest -ingest.sizes 30000
func BenchmarkIngest(b *testing.B) {
	for _, f := range strings.Split(*benchSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			b.Fatalf("-ingest.sizes: %q is not a batch size", f)
		}
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			writeVariants(b, dir, n)
			resetPeakRSS()
			var elapsed time.Duration
			cpu0, written0 := cpuTime(), writtenBytes()
			for i := 0; i < b.N; i++ {
				st := openStore(b, filepath.Join(b.TempDir(), "j.db"))
				start := time.Now()
				sum, err := Run(context.Background(), st, []string{dir}, Options{Runners: runners, Version: "bench"})
				elapsed += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				if sum.Ingested != n {
					b.Fatalf("ingested %d of %d: %+v", sum.Ingested, n, sum.Failures[:min(3, len(sum.Failures))])
				}
				st.Close()
			}
			b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "reports/s")
			b.ReportMetric(float64(peakRSSKB())/1024, "peakRSS-MB")
			// On a shared machine wall time says little: CPU per report
			// gives the rate on two free cores (2000 / cpu-ms/report).
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(n*b.N), "cpu-ms/report")
			// What reaches the disk: WAL frames, checkpoints, packs. On
			// this machine the run is ~15% faster on tmpfs, so bytes
			// written per report is the figure to lower next.
			if w := writtenBytes(); w >= 0 {
				b.ReportMetric(float64(w-written0)/1024/float64(n*b.N), "disk-KB/report")
			}
		})
	}
}

// cpuTime is the user and system CPU time used by the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writtenBytes is write_bytes of /proc/self/io (bytes this process sent
// to storage), -1 where there is none.
func writtenBytes() int64 {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err == nil {
				return n
			}
		}
	}
	return -1
}

// resetPeakRSS restarts the kernel's high-water mark of resident memory.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSKB is VmHWM of /proc/self/status, 0 where there is none.
func peakRSSKB() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kb
		}
	}
	return 0
}
