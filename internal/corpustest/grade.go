package corpustest

import (
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/jixiao/jixiao/pipeline"
)

// Outcome is how one extraction compares with its gold label, graded the
// way shared/tools/score grades it. It keeps what the report gave (Got) so a
// regression can be shown, not only counted.
type Outcome struct {
	Fields map[string]bool   `json:"fields"` // field name → right
	Got    map[string]string `json:"got"`    // field name → the value extracted, as text
	// Exact says a name is the gold's to the character (white space and
	// width folded): the scorer takes a name that contains the gold's, but
	// a store files a body's years under one exact name.
	Exact map[string]bool `json:"exact"`

	Items      []string `json:"items"`       // line items extracted, in yuan
	ItemsRight int      `json:"items_right"` // matched against the gold multiset
	ItemsGold  int      `json:"items_gold"`

	ProblemsFound int `json:"problems_found"`
	ProblemsGold  int `json:"problems_gold"`

	Rows      int  `json:"rows"` // indicator rows extracted
	RowsRight bool `json:"rows_right"`

	// Findings by rule: "tp", "fp" (raised, neither expected nor optional),
	// "fn" (expected, not raised); optional rules raised are not listed.
	Findings map[string]string `json:"findings"`
}

// FieldNames are the scalar fields the scorer grades, in its order.
var FieldNames = []string{"organization", "project", "kind", "year", "planned", "adjusted", "executed", "rate", "score", "grade"}

// Grade compares an extraction's report and findings with a gold label.
func Grade(g Gold, ext *pipeline.Extraction) Outcome {
	r := ext.Report
	o := Outcome{Fields: map[string]bool{}, Got: map[string]string{}, Exact: map[string]bool{}, Findings: map[string]string{}}
	o.Exact["organization"] = squeeze(r.Organization) == squeeze(g.Organization)
	o.Exact["project"] = squeeze(r.Project) == squeeze(g.Project)
	set := func(name string, ok bool, got string) {
		o.Fields[name], o.Got[name] = ok, got
	}
	set("organization", NameMatch(g.Organization, r.Organization), r.Organization)
	set("project", NameMatch(g.Project, r.Project), r.Project)
	set("kind", r.Kind == g.Kind, r.Kind)
	set("year", r.Year == g.Year, strconv.Itoa(r.Year))
	set("planned", sameAmount(r.Budget.Planned, g.Budget.Planned), amountText(r.Budget.Planned))
	set("adjusted", sameAmount(r.Budget.Adjusted, g.Budget.Adjusted), amountText(r.Budget.Adjusted))
	set("executed", sameAmount(r.Budget.Executed, g.Budget.Executed), amountText(r.Budget.Executed))
	set("rate", sameDecimal(r.Budget.ExecutionRate, g.Budget.ExecutionRate), decimalText(r.Budget.ExecutionRate))
	set("score", sameDecimal(r.Score, g.Score), decimalText(r.Score))
	set("grade", r.Grade == g.Grade, r.Grade)

	for _, li := range r.LineItems {
		o.Items = append(o.Items, li.Amount.Yuan())
	}
	o.ItemsGold = len(g.LineItems)
	o.ItemsRight = matchAmounts(g.LineItems, r.LineItems)

	o.ProblemsGold = len(g.Problems)
	for _, p := range g.Problems {
		if anyContains(r.Problems, p) {
			o.ProblemsFound++
		}
	}
	o.Rows = len(r.Indicators)
	o.RowsRight = o.Rows == g.Indicators

	raised := map[string]bool{}
	for _, f := range ext.Findings {
		raised[f.Rule] = true
	}
	for _, rule := range g.Findings.Expected {
		if raised[rule] {
			o.Findings[rule] = "tp"
		} else {
			o.Findings[rule] = "fn"
		}
	}
	for rule := range raised {
		if _, ok := o.Findings[rule]; !ok && !contains(g.Findings.Optional, rule) {
			o.Findings[rule] = "fp"
		}
	}
	return o
}

// Metrics are the scorer's figures over a set of outcomes.
type Metrics struct {
	Documents      int
	Fields         float64 // field accuracy overall
	ItemsF1        float64
	ProblemsRecall float64
	RowsAccuracy   float64
	FindingsF1     float64
	Score          float64 // mean of fields, items F1, problems recall, findings F1
}

// Measure pools outcomes into the scorer's metrics.
func Measure(os []Outcome) Metrics {
	var fieldsOK, fields, itemsOK, itemsPred, itemsGold, probOK, probs, rowsOK, tp, fp, fn int
	for _, o := range os {
		for _, ok := range o.Fields {
			fields++
			if ok {
				fieldsOK++
			}
		}
		itemsOK += o.ItemsRight
		itemsPred += len(o.Items)
		itemsGold += o.ItemsGold
		probOK += o.ProblemsFound
		probs += o.ProblemsGold
		if o.RowsRight {
			rowsOK++
		}
		for _, v := range o.Findings {
			switch v {
			case "tp":
				tp++
			case "fp":
				fp++
			case "fn":
				fn++
			}
		}
	}
	m := Metrics{Documents: len(os)}
	m.Fields = ratio(fieldsOK, fields)
	m.ItemsF1 = f1(itemsOK, itemsPred-itemsOK, itemsGold-itemsOK)
	m.ProblemsRecall = ratio(probOK, probs)
	m.RowsAccuracy = ratio(rowsOK, len(os))
	m.FindingsF1 = f1(tp, fp, fn)
	m.Score = (m.Fields + m.ItemsF1 + m.ProblemsRecall + m.FindingsF1) / 4
	return m
}

// Regressions lists what o does worse than base, the same document's
// earlier outcome: a field, item, problem, row count or finding that was
// right and is not any more. Empty when nothing got worse.
func Regressions(base, o Outcome) []string { return lost(base, o, base, o) }

// Improvements lists what o does better than base (the baseline should be
// brought up to date so it guards the gain).
func Improvements(base, o Outcome) []string { return lost(o, base, base, o) }

// lost lists what good has right and bad has not, each told as it went
// from old to new.
func lost(good, bad, old, new Outcome) []string {
	var out []string
	for _, name := range FieldNames {
		if good.Fields[name] && !bad.Fields[name] || good.Exact[name] && !bad.Exact[name] {
			out = append(out, name+": “"+old.Got[name]+"” → “"+new.Got[name]+"”")
		}
	}
	if bad.ItemsRight < good.ItemsRight || len(bad.Items)-bad.ItemsRight > len(good.Items)-good.ItemsRight {
		out = append(out, "line items: ["+strings.Join(old.Items, " ")+"] → ["+strings.Join(new.Items, " ")+"]")
	}
	if bad.ProblemsFound < good.ProblemsFound {
		out = append(out, "problems found: "+strconv.Itoa(old.ProblemsFound)+" → "+strconv.Itoa(new.ProblemsFound))
	}
	if good.RowsRight && !bad.RowsRight {
		out = append(out, "indicator rows: "+strconv.Itoa(old.Rows)+" → "+strconv.Itoa(new.Rows))
	}
	var rules []string
	for rule := range bad.Findings {
		rules = append(rules, rule)
	}
	for rule := range good.Findings {
		if _, ok := bad.Findings[rule]; !ok {
			rules = append(rules, rule)
		}
	}
	sort.Strings(rules)
	for _, rule := range rules {
		g, b := good.Findings[rule], bad.Findings[rule]
		if g == "tp" && b == "fn" || b == "fp" && g != "fp" {
			out = append(out, "finding "+rule+": "+orNone(old.Findings[rule])+" → "+orNone(new.Findings[rule]))
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "not raised"
	}
	return s
}

// provinces are stripped from the front of names before comparing, as the
// scorer does (新疆维吾尔自治区X and 自治区X name one body).
var provinces = []string{"新疆维吾尔", "广西壮族", "宁夏回族", "内蒙古", "西藏", "新疆", "广西", "宁夏",
	"北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏",
	"浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南",
	"四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "香港", "澳门"}

func normName(s string) string {
	s = strings.Join(strings.Fields(norm.NFKC.String(s)), "")
	for _, p := range provinces {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			return s[len(p):]
		}
	}
	return s
}

// NameMatch is the scorer's comparison of organisation and project names:
// either contains the other, the shorter at least 40 % of the longer.
func NameMatch(gold, got string) bool {
	a, b := normName(gold), normName(got)
	if a == "" || b == "" {
		return a == b
	}
	if len([]rune(a)) > len([]rune(b)) {
		a, b = b, a
	}
	return strings.Contains(b, a) && float64(len([]rune(a))) >= 0.4*float64(len([]rune(b)))
}

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

// matchAmounts counts gold amounts matched by distinct extracted ones.
func matchAmounts(want []pipeline.Amount, got []pipeline.LineItem) int {
	used := make([]bool, len(got))
	n := 0
	for _, w := range want {
		for i, g := range got {
			if !used[i] && abs(g.Amount.Fen-w.Fen) <= 50 {
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

func squeeze(s string) string { return strings.Join(strings.Fields(norm.NFKC.String(s)), "") }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func amountText(a *pipeline.Amount) string {
	if a == nil {
		return "null"
	}
	return a.Yuan()
}

func decimalText(d *pipeline.Decimal) string {
	if d == nil {
		return "null"
	}
	return d.Trim()
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func f1(tp, fp, fn int) float64 {
	if tp+fp+fn == 0 {
		return 1
	}
	return 2 * float64(tp) / float64(2*tp+fp+fn)
}
