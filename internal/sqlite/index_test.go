package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

// needFTS5 skips a test of both index forms in a binary without FTS5,
// which can make only one.
func needFTS5(t *testing.T) {
	t.Helper()
	st := openTemp(t)
	if st.index.engine() != "fts5" {
		t.Skip("this binary's SQLite has no FTS5 (build with -tags sqlite_fts5): only the token table can be tested")
	}
}

// reopen closes st and opens the store at path again, with FTS5 or not.
func reopen(t *testing.T, st *Store, path string, noFTS5 bool) *Store {
	t.Helper()
	if st != nil {
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
	st, err := open(path, noFTS5)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// hitIDs are the ids of every report Search finds for query.
func hitIDs(t *testing.T, st *Store, query string) []int64 {
	t.Helper()
	hits, err := st.Search(context.Background(), query, 1000)
	if err != nil {
		t.Fatalf("search %q: %v", query, err)
	}
	ids := []int64{}
	for _, h := range hits {
		ids = append(ids, h.ReportID)
	}
	slices.Sort(ids)
	return ids
}

// A store goes back and forth between a binary with FTS5 and one without:
// each opens it with its own index, made afresh from every report, so a
// search finds what either saved; the form the store has is recorded, and
// the token table is emptied once FTS5 takes the store back.
func TestIndexMovesBetweenBuilds(t *testing.T) {
	needFTS5(t)
	path := filepath.Join(t.TempDir(), "j.db")
	plain := reopen(t, nil, path, true)
	a, _, _ := save(t, plain, "dev-001.txt")
	if got := hitIDs(t, plain, "高标准农田"); !slices.Equal(got, []int64{a}) {
		t.Fatalf("without FTS5: 高标准农田 finds %v, want [%d]", got, a)
	}
	tagged := reopen(t, plain, path, false)
	b, _, _ := save(t, tagged, "dev-004.txt")
	if got := hitIDs(t, tagged, "高标准农田"); !slices.Equal(got, []int64{a}) {
		t.Errorf("with FTS5, a report the plain build saved: 高标准农田 finds %v, want [%d]", got, a)
	}
	if n := count(t, tagged, "SELECT count(*) FROM report_terms"); n != 0 {
		t.Errorf("%d rows left in the token table FTS5 took over from", n)
	}
	all := hitIDs(t, tagged, "绩效")
	plain = reopen(t, tagged, path, true)
	if got := hitIDs(t, plain, "绩效"); len(all) != 2 || !slices.Contains(all, b) || !slices.Equal(got, all) {
		t.Errorf("绩效: %v with FTS5, %v without; want both reports", all, got)
	}
	c, _, _ := save(t, plain, "dev-002.txt")
	tagged = reopen(t, plain, path, false)
	defer tagged.Close()
	var engine string
	tagged.db.Get(&engine, `SELECT engine FROM text_index`)
	if got := hitIDs(t, tagged, "绩效"); engine != "fts5" || !slices.Contains(got, c) || len(got) != 3 {
		t.Errorf("back with FTS5 (%q recorded): 绩效 finds %v, want the 3 reports", engine, got)
	}
}

// The two forms find the same reports for every query, on the corpus:
// words found inside longer words (采购 in 政府采购), phrases only as
// written, several words all, a lone character as the start of a word,
// digits and decimals, and quotes that are no syntax.
func TestBothIndexesFindTheSameReports(t *testing.T) {
	needFTS5(t)
	names, err := filepath.Glob(filepath.Join(corpus, "*.txt"))
	if err != nil || len(names) == 0 {
		t.Fatal("no corpus texts")
	}
	fts, terms := openTemp(t), openTempAs(t, true)
	for _, name := range names {
		save(t, fts, filepath.Base(name))
		save(t, terms, filepath.Base(name))
	}
	for _, q := range []string{"采购", "政府采购", "采购程序", "高标准农田", "绩效 目标", "资金 使用 管理", "采", "农",
		"2024", "2024年", "98.58%", "9.86", "残疾人联合会", "没有这样的词语", `"采购`, "采购*", "绩效-目标"} {
		want, got := hitIDs(t, fts, q), hitIDs(t, terms, q)
		if !slices.Equal(got, want) {
			t.Errorf("%q: FTS5 finds %v, the token table %v", q, want, got)
		}
		_, nFTS, err1 := fts.Reports(context.Background(), pipeline.ReportFilter{Query: q})
		_, nTerms, err2 := terms.Reports(context.Background(), pipeline.ReportFilter{Query: q})
		if nFTS != nTerms || err1 != nil || err2 != nil {
			t.Errorf("%q: reports listed %d with FTS5, %d with the token table (%v, %v)", q, nFTS, nTerms, err1, err2)
		}
	}
	if hits := hitIDs(t, terms, "采购"); len(hits) < 3 {
		t.Errorf("采购 finds only %v in the corpus", hits)
	}
}

// A process keeping the FTS5 index refuses to index, with a line saying
// why, once a binary without FTS5 has moved the store to the token table
// (the index it keeps would miss what the other saves); opened again, it
// takes the store back.
func TestAStoreMovedByTheOtherBuildIsNotIndexedTheOldWay(t *testing.T) {
	needFTS5(t)
	path := filepath.Join(t.TempDir(), "j.db")
	tagged := reopen(t, nil, path, false)
	save(t, tagged, "dev-001.txt")
	plain := reopen(t, nil, path, true)
	b, _, _ := save(t, plain, "dev-004.txt")
	if err := plain.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := tagged.Search(context.Background(), "绩效", 10)
	if err == nil || !strings.Contains(err.Error(), "请重新启动本进程") {
		t.Errorf("search in a process whose index form the store no longer has: %v", err)
	}
	tagged.Close()
	tagged = reopen(t, nil, path, false)
	defer tagged.Close()
	if got := hitIDs(t, tagged, "绩效"); len(got) != 2 || !slices.Contains(got, b) {
		t.Errorf("reopened: 绩效 finds %v, want both reports", got)
	}
}
