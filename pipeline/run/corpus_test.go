package run

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/corpustest"
	"github.com/jixiao/jixiao/pipeline"
)

const corpusDir = "../../testdata/corpus"

// TestLabelledCorpus runs the pipeline over every labelled text report and
// grades it the way shared/tools/score does, with the targets of the
// text-pipeline and checks issues: each metric ≥ 0.95.
func TestLabelledCorpus(t *testing.T) {
	golds := corpustest.Load(t, corpusDir, "*.gold.json")
	if len(golds) < 40 {
		t.Fatalf("only %d gold files in testdata/corpus", len(golds))
	}
	r := &Runner{}
	var fields, fieldsOK, items, itemsOK, itemsPred, probs, probsOK, tables, tablesOK int
	var tp, fp, fn int
	for _, g := range golds {
		data, err := os.ReadFile(filepath.Join(corpusDir, g.File))
		if err != nil {
			t.Fatal(err)
		}
		ext, err := r.File(context.Background(), g.File, data)
		if err != nil {
			t.Errorf("%s: %v", g.File, err)
			continue
		}
		rep := ext.Report
		check := func(name string, ok bool, got any) {
			fields++
			if ok {
				fieldsOK++
			} else {
				t.Logf("%s: %s wrong (got %v)", g.File, name, got)
			}
		}
		check("organization", sameName(rep.Organization, g.Organization), rep.Organization)
		check("project", sameName(rep.Project, g.Project), rep.Project)
		check("kind", rep.Kind == g.Kind, rep.Kind)
		check("year", rep.Year == g.Year, rep.Year)
		check("planned", sameAmount(rep.Budget.Planned, g.Budget.Planned), rep.Budget.Planned)
		check("adjusted", sameAmount(rep.Budget.Adjusted, g.Budget.Adjusted), rep.Budget.Adjusted)
		check("executed", sameAmount(rep.Budget.Executed, g.Budget.Executed), rep.Budget.Executed)
		check("rate", sameDecimal(rep.Budget.ExecutionRate, g.Budget.ExecutionRate), rep.Budget.ExecutionRate)
		check("score", sameDecimal(rep.Score, g.Score), rep.Score)
		check("grade", rep.Grade == g.Grade, rep.Grade)

		items += len(g.LineItems)
		itemsPred += len(rep.LineItems)
		itemsOK += matchedAmounts(rep.LineItems, g.LineItems)
		for _, p := range g.Problems {
			probs++
			if anyContains(rep.Problems, p) {
				probsOK++
			} else {
				t.Logf("%s: problem %q not found", g.File, p)
			}
		}
		tables++
		if len(rep.Indicators) == g.Indicators {
			tablesOK++
		}
		got := map[string]bool{}
		for _, f := range ext.Findings {
			got[f.Rule] = true
		}
		want := map[string]bool{}
		for _, e := range g.Findings.Expected {
			want[e] = true
			if got[e] {
				tp++
			} else {
				fn++
				t.Logf("%s: %s missed", g.File, e)
			}
		}
		for rule := range got {
			if !want[rule] && !contains(g.Findings.Optional, rule) {
				fp++
				t.Logf("%s: %s raised wrongly", g.File, rule)
			}
		}
	}
	f1 := 2 * float64(tp) / float64(2*tp+fp+fn)
	itemF1 := 2 * float64(itemsOK) / float64(items+itemsPred)
	metrics := map[string]float64{
		"fields":         ratio(fieldsOK, fields),
		"line items F1":  itemF1,
		"problems":       ratio(probsOK, probs),
		"indicator rows": ratio(tablesOK, tables),
		"findings F1":    f1,
	}
	for name, v := range metrics {
		t.Logf("%-15s %.3f", name, v)
		if v < 0.95 {
			t.Errorf("%s = %.3f, want ≥ 0.95", name, v)
		}
	}
}

// TestRealReport: every field of the real report matches its gold, and its
// findings are exactly the ones the checks issue names.
func TestRealReport(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "xj-redcross-2022.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ext, err := (&Runner{}).File(context.Background(), "xj-redcross-2022.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	r := ext.Report
	if r.Organization != "自治区红十字会" || r.Project != "红十字专项业务费" || r.Kind != "project" || r.Year != 2022 {
		t.Errorf("identity %q %q %q %d", r.Organization, r.Project, r.Kind, r.Year)
	}
	if r.Budget.Planned == nil || r.Budget.Planned.Yuan() != "2400000" || r.Budget.Adjusted != nil || r.Budget.Executed != nil || r.Budget.ExecutionRate != nil {
		t.Errorf("budget %+v", r.Budget)
	}
	var items []string
	for _, li := range r.LineItems {
		items = append(items, li.Amount.Yuan())
	}
	if strings.Join(items, ",") != "850000,763000,100000,300000,350000,100000,100000" {
		t.Errorf("line items %v", items)
	}
	if r.Score == nil || r.Score.Trim() != "90.58" || r.Grade != "优" {
		t.Errorf("score %v grade %q", r.Score, r.Grade)
	}
	if len(r.Problems) != 2 || !strings.HasPrefix(r.Problems[0], "绩效管理工作还比较粗放") || !strings.HasPrefix(r.Problems[1], "资金使用计划有待进一步细化") {
		t.Errorf("problems %q", r.Problems)
	}
	rules := map[string]int{}
	for _, f := range ext.Findings {
		rules[f.Rule]++
		for _, e := range f.Evidence {
			if !strings.Contains(ext.Text, e.Quote) {
				t.Errorf("%s: quote %q not in the text", f.Rule, e.Quote)
			}
		}
	}
	for _, want := range []string{"budget.items_sum_mismatch", "date.year_mismatch", "text.duplicate_passage", "text.suspected_typo", "budget.missing_execution"} {
		if rules[want] == 0 {
			t.Errorf("%s not raised", want)
		}
	}
	for rule := range rules {
		switch {
		case strings.HasPrefix(rule, "score."), strings.HasPrefix(rule, "problems."), rule == "structure.missing_section":
			t.Errorf("%s raised on the real report", rule)
		}
	}
}

func sameName(got, want string) bool {
	got, want = squeeze(got), squeeze(want)
	if want == "" || got == "" {
		return got == want
	}
	short, long := got, want
	if len(short) > len(long) {
		short, long = long, short
	}
	return strings.Contains(long, short) && float64(len([]rune(short))) >= 0.4*float64(len([]rune(long)))
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// sameAmount: within half a yuan, as the scorer grades amounts.
func sameAmount(got, want *pipeline.Amount) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	return abs(got.Fen-want.Fen) <= 50
}

// sameDecimal: within 0.005, as the scorer grades scores and rates.
func sameDecimal(got, want *pipeline.Decimal) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	diff := got.Sub(*want)
	diff.Units = abs(diff.Units)
	return diff.Cmp(pipeline.MustDecimal("0.005")) <= 0
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func matchedAmounts(got []pipeline.LineItem, want []pipeline.Amount) int {
	used := make([]bool, len(got))
	n := 0
	for _, w := range want {
		for i, g := range got {
			if !used[i] && sameAmount(&g.Amount, &w) {
				used[i] = true
				n++
				break
			}
		}
	}
	return n
}

func anyContains(list []string, prefix string) bool {
	p := squeeze(prefix)
	for _, s := range list {
		if strings.Contains(squeeze(s), p) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
