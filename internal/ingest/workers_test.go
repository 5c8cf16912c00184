package ingest

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/postgres/pgtest"
)

// Four imports of one folder run at once on one PostgreSQL database, as
// four intake machines would; one of them is killed with SIGKILL at random
// moments and started again. Every report is stored once with all its rows
// and its original, the database is intact, every run that finished
// accounts for every file (read by it, or found stored after waiting for
// the worker reading it), and the cross-year findings are those of one
// import into SQLite: two workers saving two years of a body at once still
// judge each report against every earlier year, once.
func TestFourWorkersOneKilledAtRandom(t *testing.T) {
	bin, dir, paths := binaryAndVariants(t, 240)
	n := len(paths)
	db := pgtest.URL(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	sums := make([]Summary, 4)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sums[i] = ingestRun(t, bin, db, dir)
		}()
	}
	for kill := range 3 {
		cmd := exec.Command(bin, "ingest", "--db", db, "-j", "2", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		at := time.Duration(rng.IntN(1500)) * time.Millisecond
		select {
		case <-exited:
			t.Logf("kill %d: the victim finished before %s", kill+1, at)
		case <-time.After(at):
			cmd.Process.Kill()
			<-exited
			t.Logf("kill %d: after %s", kill+1, at)
		}
	}
	sums[3] = ingestRun(t, bin, db, dir)
	wg.Wait()

	ingested := 0
	for i, s := range sums {
		if s.Failed != 0 || s.Ingested+s.Present != n {
			t.Errorf("worker %d: %+v, want every one of %d files ingested or present", i, s, n)
		}
		ingested += s.Ingested
	}
	t.Logf("finished runs ingested %d; the killed ones the other %d", ingested, n-ingested)
	checkEveryReportOnce(t, db, paths)
	st := openDB(t, db)
	if n, err := st.(interface {
		StaleCount(context.Context) (int, error)
	}).StaleCount(context.Background()); err != nil || n != 0 {
		t.Errorf("%d stale marks left: %v", n, err)
	}
	want := openStore(t, filepath.Join(t.TempDir(), "one.db"))
	if _, err := Run(context.Background(), want, []string{dir}, Options{Runners: runners, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	// A passage found in two earlier reports of the same year is credited
	// to the one saved last, which the order of saves decides: the
	// comparison leaves out which of them.
	got, exp := withoutSource(storedHistoryFindings(t, st)), withoutSource(storedHistoryFindings(t, want))
	if len(exp) == 0 {
		t.Fatal("the variants should have cross-year findings")
	}
	if strings.Join(got, "\n") != strings.Join(exp, "\n") {
		t.Errorf("cross-year findings of four workers differ from one import's: %d, want %d\n%s",
			len(got), len(exp), firstDifference(got, exp))
	}
}

// ingestRun imports dir into db with the built binary and returns its
// summary.
func ingestRun(t *testing.T, bin, db, dir string) Summary {
	cmd := exec.Command(bin, "ingest", "--db", db, "--json", "-j", "2", dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("ingest: %v\n%s\n%s", err, out, stderr.String())
		return Summary{}
	}
	var sum Summary
	if err := json.Unmarshal(out, &sum); err != nil {
		t.Errorf("summary %s: %v", out, err)
	}
	return sum
}

// withoutSource drops the earlier report a finding names (“（v00044-dev-005.txt）”).
func withoutSource(findings []string) []string {
	out := make([]string, len(findings))
	for i, f := range findings {
		out[i] = sourceName.ReplaceAllString(f, "")
	}
	sort.Strings(out)
	return out
}

var sourceName = regexp.MustCompile(`（[^（）]*\.txt）`)

// firstDifference shows the findings only one of two sorted lists has.
func firstDifference(got, want []string) string {
	count := map[string]int{}
	for _, f := range got {
		count[f]++
	}
	for _, f := range want {
		count[f]--
	}
	var b strings.Builder
	for f, n := range count {
		if n > 0 {
			b.WriteString("only the workers': " + f + "\n")
		} else if n < 0 {
			b.WriteString("only one import's: " + f + "\n")
		}
	}
	return b.String()
}
