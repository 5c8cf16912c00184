package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/corpustest"
	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/pipeline"
)

const testCorpus = "../../testdata/corpus"

// storedCorpus is, per kind of store, a store holding the bundled corpus,
// ingested once for all the query command tests.
var storedCorpus = map[string]*corpusStore{"sqlite": {}, "postgres": {}}

type corpusStore struct {
	once sync.Once
	db   string
	err  error
}

// forEachStore runs a query command test on the corpus in a SQLite and in
// a PostgreSQL store: the commands work alike on either --db.
func forEachStore(t *testing.T, test func(t *testing.T, db string)) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) { test(t, corpusDB(t, kind)) })
	}
}

func corpusDB(t *testing.T, kind string) string {
	t.Helper()
	c := storedCorpus[kind]
	c.once.Do(func() {
		if kind == "postgres" {
			c.db = pgtest.URL(t)
		} else {
			dir, err := os.MkdirTemp("", "jixiao-cli-*")
			if c.err = err; err != nil {
				return
			}
			c.db = filepath.Join(dir, "j.db")
		}
		st, err := openStore(c.db)
		if c.err = err; err != nil {
			return
		}
		defer st.Close()
		_, c.err = ingest.Run(context.Background(), st, []string{testCorpus}, ingest.Options{Runners: newRunner, Workers: 2})
	})
	if c.err != nil {
		t.Fatal(c.err)
	}
	return c.db
}

// execute runs a freshly built command with args and returns its output.
func execute(t *testing.T, c *cobra.Command, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	c.SetOut(&out)
	c.SetErr(&out)
	c.SetArgs(args)
	err := c.Execute()
	return out.String(), err
}

func goldBySeries(t *testing.T) map[string][]corpustest.Gold {
	return corpustest.BySeries(corpustest.Load(t, testCorpus, "*.gold.json"))
}

// For every series of the corpus, `trend --format json` gives the gold
// year-by-year values (the done-when; it needs the extractor to
// read each report's organisation, project, year, budget and score).
func TestTrendMatchesGoldForEverySeries(t *testing.T) {
	forEachStore(t, func(t *testing.T, db string) {
		series := goldBySeries(t)
		if len(series) < 10 {
			t.Fatalf("%d series in the corpus", len(series))
		}
		for key, gs := range series {
			t.Run(key, func(t *testing.T) {
				sort.Slice(gs, func(i, j int) bool { return gs[i].Year < gs[j].Year })
				org, project, _ := strings.Cut(key, "|")
				out, err := execute(t, newTrendCmd(), "--db", db, "--org", org, "--project", project, "--format", "json")
				if err != nil {
					t.Fatalf("trend: %v\n%s", err, out)
				}
				var rows []trendRow
				if err := json.Unmarshal([]byte(out), &rows); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				byYear := map[int]trendRow{}
				for _, r := range rows {
					byYear[r.Year] = r
				}
				if len(rows) != len(gs) {
					t.Errorf("%d years in the trend, gold has %d", len(rows), len(gs))
				}
				for _, g := range gs {
					r, ok := byYear[g.Year]
					if !ok {
						t.Errorf("%s (%d) is not in the series: the extractor reads another organisation or project", g.File, g.Year)
						continue
					}
					if !pipeline.SameAmount(r.Planned, g.Budget.Planned) || !pipeline.SameAmount(r.Adjusted, g.Budget.Adjusted) ||
						!pipeline.SameAmount(r.Executed, g.Budget.Executed) || !pipeline.SameDecimal(r.ExecutionRate, g.Budget.ExecutionRate) ||
						!pipeline.SameDecimal(r.Score, g.Score) || r.Grade != g.Grade {
						got, _ := json.Marshal(r.TrendPoint)
						want, _ := json.Marshal(g)
						t.Errorf("%s:\n trend %s\n gold  %s", g.File, got, want)
					}
				}
				for i := 1; i < len(rows); i++ {
					if rows[i].Change == nil || rows[i-1].Year >= rows[i].Year {
						t.Errorf("year %d: no change from %d or not in order", rows[i].Year, rows[i-1].Year)
					}
				}
			})
		}
	})
}

func TestTrendTableAndCSV(t *testing.T) {
	forEachStore(t, func(t *testing.T, db string) {
		out, err := execute(t, newTrendCmd(), "--db", db, "--org", "甘肃省民政厅", "--format", "csv")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 3 || !strings.HasPrefix(lines[0], "项目,年度,年初预算") {
			t.Fatalf("csv:\n%s", out)
		}
		out, err = execute(t, newTrendCmd(), "--db", db, "--org", "甘肃省民政厅")
		if err != nil || !strings.Contains(out, "年初预算(万元)") {
			t.Errorf("table: %v\n%s", err, out)
		}
		if _, err := execute(t, newTrendCmd(), "--db", db, "--org", "没有这个单位"); err == nil {
			t.Error("an unknown organisation should fail")
		}
		if _, err := execute(t, newTrendCmd(), "--db", db, "--org", "x", "--format", "xml"); err == nil {
			t.Error("an unknown format should be a usage error")
		}
	})
}

func TestProblemsRecurringListsRepeatedProblems(t *testing.T) {
	forEachStore(t, func(t *testing.T, db string) {
		out, err := execute(t, newProblemsCmd(), "--db", db, "--recurring", "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var list []pipeline.RecurringProblem
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range list {
			if p.Organization == "吐鲁番市残疾人联合会" && strings.HasPrefix(p.Problem, "基层康复机构专业康复人员不足") && len(p.Years) >= 4 {
				found = true
			}
			if len(p.Years) < 2 || len(p.Years) != len(p.ReportIDs) {
				t.Errorf("malformed entry %+v", p)
			}
		}
		if !found {
			t.Errorf("the problem 基层康复机构专业康复人员不足 repeated by 吐鲁番市残疾人联合会 is not listed:\n%s", out)
		}
	})
}

func TestSearchCommand(t *testing.T) {
	forEachStore(t, func(t *testing.T, db string) {
		out, err := execute(t, newSearchCmd(), "--db", db, "--format", "json", "高标准农田")
		if err != nil {
			t.Fatal(err)
		}
		var hits []pipeline.SearchHit
		if err := json.Unmarshal([]byte(out), &hits); err != nil || len(hits) == 0 {
			t.Fatalf("%v: %s", err, out)
		}
		for _, h := range hits {
			if !strings.Contains(h.Snippet, "【高标准农田】") {
				t.Errorf("hit %d snippet %q", h.ReportID, h.Snippet)
			}
		}
	})
}

func TestExportWritesTheSheetsWithChineseHeaders(t *testing.T) {
	forEachStore(t, func(t *testing.T, db string) {
		path := filepath.Join(t.TempDir(), "out.xlsx")
		if out, err := execute(t, newExportCmd(), "--db", db, "--xlsx", path); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); strings.Join(got, ",") != "报告,发现,趋势,未能读取" {
			t.Errorf("sheets %v", got)
		}
		rows, _ := f.GetRows("报告")
		st, err := openExistingStore(db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		_, total, _ := st.Reports(context.Background(), pipeline.ReportFilter{})
		if len(rows) != total+1 || rows[0][2] != "单位" {
			t.Errorf("报告: %d rows for %d reports, header %v", len(rows), total, rows[0])
		}
		findings, _ := f.GetRows("发现")
		if len(findings) < 2 || findings[0][5] != "规则" {
			t.Errorf("发现: %d rows", len(findings))
		}
	})
}

func TestMain(m *testing.M) { pgtest.Main(m) }
