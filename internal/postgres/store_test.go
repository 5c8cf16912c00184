package postgres

import (
	"context"
	"sync"
	"testing"

	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/internal/storetest"
	"github.com/jixiao/jixiao/pipeline"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func openTemp(t *testing.T) *Store {
	t.Helper()
	st, err := Open(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestConformance runs the suite every store passes.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pipeline.Store { return openTemp(t) })
}

// Workers starting together on a new database apply the migrations once,
// and a worker other than the one that saved a document serves its
// original.
func TestWorkersShareOneDatabase(t *testing.T) {
	url := pgtest.URL(t)
	stores := make([]*Store, 4)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(url)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	var applied int
	if err := stores[0].DB().Get(&applied, `SELECT count(*) FROM schema_migrations`); err != nil || applied != len(mustGlob(t)) {
		t.Errorf("%d migrations recorded, %v; want each once", applied, err)
	}
	_, _, data := storetest.Save(t, stores[1], "dev-001.txt", nil)
	got, err := stores[3].Original(context.Background(), sha(data))
	if err != nil || string(got) != string(data) {
		t.Errorf("another worker reads the original: %v", err)
	}
}

func mustGlob(t *testing.T) []string {
	names, err := migrations.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n.Name()
	}
	return out
}

// A document is claimed by one worker at a time, in this process or
// another; a claim let go, or lost with its worker's connection, can be
// taken again.
func TestClaimsAreExclusiveAndDieWithTheirWorker(t *testing.T) {
	url := pgtest.URL(t)
	a, b := openTemp(t), mustOpen(t, url)
	_ = a
	ctx := context.Background()
	const sum = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	release, ok, err := b.Claim(ctx, sum, false)
	if err != nil || !ok {
		t.Fatalf("first claim: %v, %v", ok, err)
	}
	if _, ok, _ := b.Claim(ctx, sum, false); ok {
		t.Error("a second worker of the same process got the claim")
	}
	other := mustOpen(t, url)
	if _, ok, _ := other.Claim(ctx, sum, false); ok {
		t.Error("another process got the claim")
	}
	release()
	r2, ok, err := other.Claim(ctx, sum, false)
	if err != nil || !ok {
		t.Fatalf("claim after release: %v, %v", ok, err)
	}
	_ = r2
	other.Close() // the worker dies: its connection, and its claims, go
	if _, ok, err := b.Claim(ctx, sum, true); err != nil || !ok {
		t.Errorf("claim after the holder closed: %v, %v", ok, err)
	}
}

func mustOpen(t *testing.T, url string) *Store {
	t.Helper()
	st, err := Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func sha(b []byte) string { return storetest.DocOf("", b, pipeline.NewExtraction()).SHA256 }
