package schedule

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/postgres"
	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/pipeline"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Three intakes on three "machines" (each its own connection to one
// PostgreSQL database) take in one shared inbox at the same moment: every
// file is read by one of them, every report stored once, every file ends
// in done/, none is left or failed.
func TestIntakesOnOneInboxShareItsFiles(t *testing.T) {
	url := pgtest.URL(t)
	inbox := filepath.Join(t.TempDir(), "inbox")
	names, _ := filepath.Glob(filepath.Join(corpus, "dev-0[0-2]*.txt"))
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(inbox, filepath.Base(n))
		write(t, dst, data)
		os.Chtimes(dst, old, old)
	}
	logs := &syncBuffer{}
	intakes := make([]*Intake, 3)
	for i := range intakes {
		st, err := postgres.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if intakes[i], err = New(st, runners, inbox, "@every 1h", slog.New(slog.NewTextHandler(logs, nil))); err != nil {
			t.Fatal(err)
		}
		intakes[i].Settle = 50 * time.Millisecond
	}
	var wg sync.WaitGroup
	for _, in := range intakes {
		wg.Add(1)
		go func() { defer wg.Done(); in.RunOnce() }()
	}
	wg.Wait()
	// A file another intake was reading when its turn came stays for the
	// next run; one more run of one intake takes in what is left.
	intakes[0].RunOnce()

	left, _ := filepath.Glob(filepath.Join(inbox, "*.txt"))
	done, _ := filepath.Glob(filepath.Join(inbox, DoneDir, "*.txt"))
	failed, _ := filepath.Glob(filepath.Join(inbox, FailedDir, "*"))
	if len(left) != 0 || len(failed) != 0 || len(done) != len(names) {
		t.Errorf("%d files: %d left in the inbox, %d failed, %d in done/", len(names), len(left), len(failed), len(done))
	}
	if read := strings.Count(logs.String(), `msg="document ingested"`); read != len(names) {
		t.Errorf("%d files read for %d in the inbox", read, len(names))
	}
	st, err := postgres.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, n, err := st.Reports(context.Background(), pipeline.ReportFilter{}); err != nil || n != len(names) {
		t.Errorf("%d reports stored for %d files: %v", n, len(names), err)
	}
}
