package run

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

// Reports as they are really published, class by class (issue 11): each
// fragment is written here in its own words and layout, not copied from a
// corpus, so the readers are held to the grammar of the documents (label
// sets, cue-word classes, renderings), not to a phrase.

// want lists what a fragment must give. Fields are named as in field();
// "null" is an absent figure, "" an absent name.
type want map[string]string

type publishingCase struct {
	name string
	text string
	want want
	// rules raised and rules that must not be
	raised, notRaised []string
}

func runCases(t *testing.T, cases []publishingCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ext, err := (&Runner{}).File(context.Background(), c.name+".txt", []byte(c.text))
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range sortedKeys(c.want) {
				if got := field(ext, k); got != c.want[k] {
					t.Errorf("%s = %q, want %q", k, got, c.want[k])
				}
			}
			rules := map[string]bool{}
			for _, f := range ext.Findings {
				rules[f.Rule] = true
			}
			for _, r := range c.raised {
				if !rules[r] {
					t.Errorf("%s not raised; findings %v", r, ruleList(ext))
				}
			}
			for _, r := range c.notRaised {
				if rules[r] {
					t.Errorf("%s raised wrongly; findings %v", r, ruleList(ext))
				}
			}
		})
	}
}

// field renders one extracted value as text: organization, project, kind,
// year, planned, adjusted, executed, rate, score, grade, items (line items
// in yuan, space-separated), rows (indicator count), problems (count),
// problem0…, breakdowns (count).
func field(ext *pipeline.Extraction, name string) string {
	r := ext.Report
	amount := func(a *pipeline.Amount) string {
		if a == nil {
			return "null"
		}
		return a.Yuan()
	}
	dec := func(d *pipeline.Decimal) string {
		if d == nil {
			return "null"
		}
		return d.Trim()
	}
	switch name {
	case "organization":
		return r.Organization
	case "project":
		return r.Project
	case "kind":
		return r.Kind
	case "year":
		return strconv.Itoa(r.Year)
	case "planned":
		return amount(r.Budget.Planned)
	case "adjusted":
		return amount(r.Budget.Adjusted)
	case "executed":
		return amount(r.Budget.Executed)
	case "rate":
		return dec(r.Budget.ExecutionRate)
	case "score":
		return dec(r.Score)
	case "grade":
		return r.Grade
	case "items":
		var s []string
		for _, li := range r.LineItems {
			s = append(s, li.Amount.Yuan())
		}
		return strings.Join(s, " ")
	case "rows":
		return strconv.Itoa(len(r.Indicators))
	case "problems":
		return strconv.Itoa(len(r.Problems))
	case "breakdowns":
		return strconv.Itoa(len(r.Breakdowns))
	}
	if i, ok := strings.CutPrefix(name, "problem"); ok {
		n, _ := strconv.Atoi(i)
		if n < len(r.Problems) {
			p := []rune(r.Problems[n])
			return string(p[:min(8, len(p))])
		}
		return ""
	}
	if i, ok := strings.CutPrefix(name, "row"); ok {
		n, _ := strconv.Atoi(i)
		if n < len(r.Indicators) {
			ind := r.Indicators[n]
			return strings.Join([]string{ind.Level1, ind.Level2, ind.Level3, ind.Target, ind.Actual, dec(ind.Weight), dec(ind.Score)}, "|")
		}
		return ""
	}
	return "unknown field " + name
}

func sortedKeys(w want) []string {
	var ks []string
	for k := range w {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func ruleList(ext *pipeline.Extraction) []string {
	var out []string
	for _, f := range ext.Findings {
		out = append(out, f.Rule)
	}
	return out
}
