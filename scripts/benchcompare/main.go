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
//	go run ./scripts/benchcompare [-seconds 3] [-python python3] FILE...
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
	"time"

	"github.com/jixiao/jixiao/pipeline/run"
)

func main() {
	seconds := flag.Float64("seconds", 3, "how long each side runs")
	python := flag.String("python", "/usr/bin/python3", "Python interpreter with jieba installed (Debian: python3-jieba)")
	script := flag.String("script", "scripts/jieba_bench.py", "the Python baseline")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the Go side to this file")
	goOnly := flag.Bool("go-only", false, "measure the Go side only")
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
	goRate, err := goThroughput(files, dur)
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare:", err)
		os.Exit(1)
	}
	fmt.Printf("go (jixiao pipeline, %d workers): %8.1f reports/s\n", runtime.GOMAXPROCS(0), goRate)
	if *goOnly {
		return
	}

	pyRate, err := pythonThroughput(*python, *script, files, *seconds)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare: python baseline:", err)
		os.Exit(1)
	}
	fmt.Printf("python (jieba + regexes, 1 core):  %8.1f reports/s\n", pyRate)
	fmt.Printf("ratio go/python: %.1fx\n", goRate/pyRate)
}

// goThroughput runs every file through the pipeline repeatedly on all cores
// for dur and returns reports per second.
func goThroughput(files []string, dur time.Duration) (float64, error) {
	type doc struct {
		name string
		data []byte
	}
	var docs []doc
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		docs = append(docs, doc{filepath.Base(f), data})
	}
	ctx := context.Background()
	warm := &run.Runner{}
	for _, d := range docs { // warm-up: lazily built tables and dictionaries
		if _, err := warm.File(ctx, d.name, d.data); err != nil {
			return 0, err
		}
	}
	var done atomic.Int64
	var wg sync.WaitGroup
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
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}

func pythonThroughput(python, script string, files []string, seconds float64) (float64, error) {
	args := append([]string{script, "--seconds", fmt.Sprint(seconds)}, files...)
	cmd := exec.Command(python, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, err
	}
	var res struct {
		ReportsPerS float64 `json:"reports_per_s"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return 0, fmt.Errorf("reading %q: %w", out, err)
	}
	return res.ReportsPerS, nil
}
