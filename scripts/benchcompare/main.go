// Command benchcompare measures jixiao's warm throughput beside a Python
// script doing the same first job with jieba and regular expressions
// (scripts/jieba_bench.py), on the same reports in one run, and prints both
// rates and their ratio. `make bench-compare` runs it on the bundled corpus.
//
// Go: every report through the whole pipeline (load, normalise, extract,
// check) in one process, one worker per core, for a fixed time after a
// warm-up pass. Python: one process (one core), jieba's dictionary loaded
// before timing.
//
// Then the whole commands a user runs, timed from outside with their start-up
// costs: `jixiao extract --format json FILE...` (which reads the files on
// every core) beside the script's --once mode, both over the same files
// repeated to -reports reports.
//
//	go run ./scripts/benchcompare [-seconds 3] [-python python3] [-jixiao bin/jixiao] FILE...
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jixiao/jixiao/pipeline/run"
)

func main() {
	seconds := flag.Float64("seconds", 3, "how long each side runs")
	python := flag.String("python", "/usr/bin/python3", "Python interpreter with jieba installed (Debian: python3-jieba)")
	script := flag.String("script", "scripts/jieba_bench.py", "the Python baseline")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the Go side to this file")
	goOnly := flag.Bool("go-only", false, "measure the Go side only")
	jixiao := flag.String("jixiao", "bin/jixiao", "the jixiao binary for the whole-command comparison")
	reports := flag.Int("reports", 240, "reports in the whole-command comparison (the files repeated)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: benchcompare [-seconds S] FILE...")
		os.Exit(2)
	}
	files := flag.Args()
	dur := time.Duration(*seconds * float64(time.Second))

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchcompare:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
	}
	goRate, goCPURate, err := goThroughput(files, dur)
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare:", err)
		os.Exit(1)
	}
	fmt.Printf("go (jixiao pipeline, %d workers): %8.1f reports/s  (%.1f per CPU-second)\n", runtime.GOMAXPROCS(0), goRate, goCPURate)
	if *goOnly {
		return
	}

	py, err := pythonThroughput(*python, *script, files, *seconds)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare: python baseline:", err)
		os.Exit(1)
	}
	fmt.Printf("python (jieba + regexes, 1 core):  %8.1f reports/s  (%.1f per CPU-second)\n", py.ReportsPerS, py.ReportsPerCPUS)
	fmt.Printf("ratio go/python: %.1fx wall; per CPU-second %.1fx\n", goRate/py.ReportsPerS, goCPURate/py.ReportsPerCPUS)
	// On a machine shared with other work the wall rates shrink with the
	// share of the cores each side gets; the per-CPU-second rates do not.
	if n := float64(runtime.GOMAXPROCS(0)); goRate < 0.8*n*goCPURate {
		fmt.Printf("note: the Go side got %.1f of %d cores; on idle cores expect about %.0f reports/s\n",
			goRate/goCPURate, runtime.GOMAXPROCS(0), n*goCPURate)
	}
	batch := repeatTo(files, *reports)
	goWall, err := wholeCommand(*jixiao, append([]string{"extract", "--format", "json"}, batch...))
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare: jixiao extract:", err)
		os.Exit(1)
	}
	pyWall, err := wholeCommand(*python, append([]string{*script, "--once"}, batch...))
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare: python --once:", err)
		os.Exit(1)
	}
	n := float64(len(batch))
	fmt.Printf("whole command, %d reports: jixiao extract %.2f s (%.0f reports/s), python %.2f s (%.0f reports/s); ratio %.1fx\n",
		len(batch), goWall.Seconds(), n/goWall.Seconds(), pyWall.Seconds(), n/pyWall.Seconds(), pyWall.Seconds()/goWall.Seconds())
}

// repeatTo lists files over and over until there are n.
func repeatTo(files []string, n int) []string {
	var out []string
	for len(out) < n {
		out = append(out, files[:min(len(files), n-len(out))]...)
	}
	return out
}

// wholeCommand runs a command to its end, output discarded, and returns its
// wall time: the best of three runs, as a user would see it on an idle
// machine.
func wholeCommand(name string, args []string) (time.Duration, error) {
	best := time.Duration(0)
	for i := 0; i < 3; i++ {
		cmd := exec.Command(name, args...)
		cmd.Stderr = os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, err
		}
		if d := time.Since(start); best == 0 || d < best {
			best = d
		}
	}
	return best, nil
}

// goThroughput runs every file through the pipeline repeatedly on all cores
// for dur and returns reports per second of wall time and of CPU time.
func goThroughput(files []string, dur time.Duration) (wall, cpu float64, err error) {
	type doc struct {
		name string
		data []byte
	}
	var docs []doc
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return 0, 0, err
		}
		docs = append(docs, doc{filepath.Base(f), data})
	}
	ctx := context.Background()
	warm := &run.Runner{}
	for _, d := range docs { // warm-up: lazily built tables and dictionaries
		if _, err := warm.File(ctx, d.name, d.data); err != nil {
			return 0, 0, err
		}
	}
	var done atomic.Int64
	var wg sync.WaitGroup
	cpuStart := cpuTime()
	start := time.Now()
	deadline := start.Add(dur)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := &run.Runner{}
			for i := w; time.Now().Before(deadline); i++ {
				d := docs[i%len(docs)]
				if _, err := r.File(ctx, d.name, d.data); err == nil {
					done.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	n := float64(done.Load())
	return n / time.Since(start).Seconds(), n / (cpuTime() - cpuStart).Seconds(), nil
}

// cpuTime is the CPU time (user + system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pythonResult is what scripts/jieba_bench.py prints.
type pythonResult struct {
	ReportsPerS    float64 `json:"reports_per_s"`
	ReportsPerCPUS float64 `json:"reports_per_cpu_s"`
}

func pythonThroughput(python, script string, files []string, seconds float64) (pythonResult, error) {
	args := append([]string{script, "--seconds", fmt.Sprint(seconds)}, files...)
	cmd := exec.Command(python, args...)
	cmd.Stderr = os.Stderr
	var res pythonResult
	out, err := cmd.Output()
	if err != nil {
		return res, err
	}
	if err := json.Unmarshal(out, &res); err != nil || res.ReportsPerS == 0 || res.ReportsPerCPUS == 0 {
		return res, fmt.Errorf("reading %q: %v", out, err)
	}
	return res, nil
}
