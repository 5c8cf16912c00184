package run

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const corpusDir = "../../testdata/corpus"

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
