package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/corpustest"
	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/internal/report"
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
		if len(lines) < 3 || !strings.HasPrefix(lines[0], "\ufeff项目,年度,年初预算") {
			t.Fatalf("csv without its byte order mark or header:\n%s", out)
		}
		// A part of the name or an abbreviation finds the body; a word that
		// could mean several names them.
		path := filepath.Join(t.TempDir(), "趋势.csv")
		if out, err := execute(t, newTrendCmd(), "--db", db, "--org", "甘肃民政", "--format", "csv", "-o", path); err != nil || out != "" {
			t.Errorf("--org 甘肃民政 -o: %v\n%s", err, out)
		}
		if data, err := os.ReadFile(path); err != nil || string(data) != strings.TrimSpace(lines[0])+"\n"+strings.Join(lines[1:], "\n")+"\n" {
			t.Errorf("-o wrote %q, %v", data, err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("-o file mode %v, %v", fi.Mode().Perm(), err)
		}
		_, err = execute(t, newTrendCmd(), "--db", db, "--org", "残疾人联合会")
		if err == nil || !strings.Contains(err.Error(), "您是否要找：吐鲁番市残疾人联合会、新疆维吾尔自治区残疾人联合会") {
			t.Errorf("an ambiguous --org: %v", err)
		}
		out, err = execute(t, newTrendCmd(), "--db", db, "--org", "甘肃省民政厅")
		if err != nil || !strings.Contains(out, "年初预算(万元)") || !strings.Contains(out, "养老服务体系建设专项资金") {
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

// Without --recurring, problems lists every report's stated problems.
func TestProblemsListsEveryYearsProblems(t *testing.T) {
	forEachStore(t, func(t *testing.T, db string) {
		out, err := execute(t, newProblemsCmd(), "--db", db, "--org", "吐鲁番市残联", "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var rows []problemRow
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatal(err)
		}
		years := 0
		for _, r := range rows {
			if r.Organization != "吐鲁番市残疾人联合会" {
				t.Errorf("another body listed: %+v", r)
			}
			for _, p := range r.Problems {
				if strings.HasPrefix(p, "基层康复机构专业康复人员不足") {
					years++
				}
			}
		}
		if years < 4 {
			t.Errorf("基层康复机构专业康复人员不足 listed in %d years:\n%s", years, out)
		}
		text, err := execute(t, newProblemsCmd(), "--db", db, "--org", "吐鲁番市残疾人联合会")
		if err != nil || !strings.Contains(text, "吐鲁番市残疾人联合会｜部门整体｜2022年") || !strings.Contains(text, "  1. ") {
			t.Errorf("text: %v\n%s", err, text)
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
		ctx := context.Background()
		st, err := openExistingStore(db)
		if err != nil {
			t.Fatal(err)
		}
		list, total, _ := st.Reports(ctx, pipeline.ReportFilter{HasErrors: true, Limit: 1})
		marked, _ := st.Report(ctx, list[0].ID)
		f0 := report.SortBySeverity(marked.Extraction.Findings)[0]
		m := pipeline.MarkOf(marked.ID, f0)
		m.Status, m.Comment, m.Reviewer = pipeline.MarkConfirmed, "已核对原始凭证", "赵审核"
		if err := st.SetMark(ctx, m); err != nil {
			t.Fatal(err)
		}
		if err := st.SetReviewState(ctx, pipeline.ReviewState{ReportID: marked.ID, Status: pipeline.ReviewReturned, Reviewer: "赵审核"}); err != nil {
			t.Fatal(err)
		}
		_, total, _ = st.Reports(ctx, pipeline.ReportFilter{})
		st.Close()

		path := filepath.Join(t.TempDir(), "out.xlsx")
		if out, err := execute(t, newExportCmd(), "--db", db, "--xlsx", path); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("the workbook is created %v, want 0644 (%v)", fi.Mode().Perm(), err)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); strings.Join(got, ",") != "报告,发现,趋势,未能读取,文件" {
			t.Errorf("sheets %v", got)
		}
		rows, _ := f.GetRows("报告")
		if len(rows) != total+1 || rows[0][1] != "单位" || rows[0][15] != "审核状态" {
			t.Errorf("报告: %d rows for %d reports, header %v", len(rows), total, rows[0])
		}
		returned := 0
		for _, r := range rows[1:] {
			if r[15] == "退回" && r[0] == strconv.FormatInt(marked.ID, 10) {
				returned++
			}
		}
		if returned != 1 {
			t.Errorf("the returned report is not shown 退回 in 报告")
		}
		findings, _ := f.GetRows("发现")
		if len(findings) < 2 || findings[0][5] != "规则" || findings[0][10] != "审核标记" {
			t.Errorf("发现: %d rows, header %v", len(findings), findings[0])
		}
		carried := false
		for _, r := range findings[1:] {
			if r[0] == strconv.FormatInt(marked.ID, 10) && r[10] == "已核实" && r[11] == "已核对原始凭证" && r[12] == "赵审核" && r[14] == f0.Rule {
				carried = true
			}
		}
		if !carried {
			t.Error("the mark is not carried into 发现")
		}
		hash := regexp.MustCompile(`^[0-9a-f]{64}$`)
		for _, sheet := range []string{"报告", "发现", "趋势", "未能读取"} {
			rows, _ := f.GetRows(sheet)
			for _, r := range rows {
				for _, c := range r {
					if hash.MatchString(c) {
						t.Errorf("%s shows a hash: %v", sheet, r)
					}
				}
			}
		}
	})
}

func TestMain(m *testing.M) { pgtest.Main(m) }
