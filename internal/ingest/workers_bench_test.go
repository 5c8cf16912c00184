package ingest

import (
	"encoding/json"
	"flag"
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/postgres/pgtest"
)

var workersReports = flag.Int("workers.reports", 10000, "reports BenchmarkWorkers imports in each run")

// BenchmarkWorkers imports the same generated reports, in one run, into
// PostgreSQL by 1, 2 and 4 worker processes (`jixiao ingest` started that
// many times on one folder, each with its default goroutines) and into
// SQLite by one, and reports for each the reports/s of the whole import,
// the largest peak RSS of a worker process and the workers' CPU per report.
// The PostgreSQL server is a throwaway cluster with fsync on and
// synchronous_commit off: a commit is not waited for on disk, as SQLite's
// WAL with synchronous=NORMAL does not wait either.
//
//	go test -tags sqlite_fts5 -run '^$' -bench Workers -benchtime 1x -timeout 30m ./internal/ingest
func BenchmarkWorkers(b *testing.B) {
	bin := buildBinary(b)
	dir := b.TempDir()
	n := *workersReports
	writeVariants(b, dir, n)
	srv, err := pgtest.Start("synchronous_commit=off")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Stop()
	runs := []struct {
		store   string
		workers int
	}{{"sqlite", 1}, {"postgres", 1}, {"postgres", 2}, {"postgres", 4}}
	for i, r := range runs {
		b.Run(fmt.Sprintf("%s/workers=%d", r.store, r.workers), func(b *testing.B) {
			for k := 0; k < b.N; k++ {
				db := filepath.Join(b.TempDir(), "j.db")
				if r.store == "postgres" {
					if db, err = srv.NewDatabase(fmt.Sprintf("bench_%d_%d", i, k)); err != nil {
						b.Fatal(err)
					}
				}
				server0, _ := srv.CPU()
				w := importWith(b, bin, db, dir, r.workers)
				if w.ingested != n {
					b.Fatalf("%d of %d reports ingested", w.ingested, n)
				}
				b.ReportMetric(float64(n)/w.elapsed.Seconds(), "reports/s")
				b.ReportMetric(float64(w.peakKB)/1024, "peakRSS-MB")
				b.ReportMetric(perReport(w.cpu, n), "worker-cpu-ms/report")
				if r.store == "postgres" {
					// What the server spends a report: with workers on
					// machines of their own, its cores bound the rate.
					server, err := srv.CPU()
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(perReport(server-server0, n), "server-cpu-ms/report")
				}
			}
		})
	}
}

func perReport(d time.Duration, n int) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }

// workersRun is what the worker processes of one import did together.
type workersRun struct {
	elapsed  time.Duration
	ingested int
	peakKB   int64 // the largest peak RSS of one worker
	cpu      time.Duration
}

// importWith starts workers imports of dir into db at once and waits for
// them all.
func importWith(b *testing.B, bin, db, dir string, workers int) workersRun {
	cmds := make([]*exec.Cmd, workers)
	outs := make([]*json.Decoder, workers)
	start := time.Now()
	for i := range cmds {
		cmds[i] = exec.Command(bin, "ingest", "--db", db, "--json", dir)
		stdout, err := cmds[i].StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		outs[i] = json.NewDecoder(stdout)
		if err := cmds[i].Start(); err != nil {
			b.Fatal(err)
		}
	}
	var run workersRun
	for i, cmd := range cmds {
		var sum Summary
		if err := outs[i].Decode(&sum); err != nil {
			b.Fatalf("worker %d: %v", i, err)
		}
		if err := cmd.Wait(); err != nil {
			b.Fatalf("worker %d: %v", i, err)
		}
		run.ingested += sum.Ingested
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		run.peakKB = max(run.peakKB, ru.Maxrss)
		run.cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	run.elapsed = time.Since(start)
	return run
}
