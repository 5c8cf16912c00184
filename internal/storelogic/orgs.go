package storelogic

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/pipeline"
)

// OrgRow is one report as Organizations counts it.
type OrgRow struct {
	Org     string `db:"organization"`
	Project string `db:"project"`
	Year    int    `db:"year"`
}

// Organizations gathers the rows (one per report) into one summary per
// body, by name.
func Organizations(rows []OrgRow) []pipeline.OrgSummary {
	byName := map[string]*pipeline.OrgSummary{}
	projects := map[string]map[string]bool{}
	for _, r := range rows {
		if r.Org == "" {
			continue
		}
		o := byName[r.Org]
		if o == nil {
			o = &pipeline.OrgSummary{Name: r.Org, Region: Region(r.Org), Years: []int{}}
			byName[r.Org] = o
			projects[r.Org] = map[string]bool{}
		}
		o.Reports++
		if r.Year > 0 && !slices.Contains(o.Years, r.Year) {
			o.Years = append(o.Years, r.Year)
		}
		projects[r.Org][r.Project] = true
	}
	out := make([]pipeline.OrgSummary, 0, len(byName))
	for name, o := range byName {
		slices.Sort(o.Years)
		o.Projects = len(projects[name])
		out = append(out, *o)
	}
	slices.SortFunc(out, func(a, b pipeline.OrgSummary) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// placeEnds are the words a place's name ends with, by level.
var placeEnds = []string{"自治区", "特别行政区", "省", "自治州", "州", "地区", "盟", "市", "自治县", "县", "旗"}

// Region is the place a body's name starts with: 新疆维吾尔自治区 of
// 新疆维吾尔自治区卫生健康委员会, 吐鲁番市 of 吐鲁番市残疾人联合会; "" for
// a name that starts with no place (自治区红十字会 names its level only).
func Region(name string) string {
	best := -1
	for _, end := range placeEnds {
		i := strings.Index(name, end)
		// A place has a name before its level (not 自治区… alone), and
		// stands at the start (not 城市管理局's 市).
		if i < 0 || utf8.RuneCountInString(name[:i]) < 2 || utf8.RuneCountInString(name[:i]) > 8 {
			continue
		}
		if e := i + len(end); best < 0 || e < best {
			best = e
		}
	}
	if best < 0 || best == len(name) {
		return ""
	}
	return name[:best]
}

// MatchOrgs lists the names a reviewer's words may mean, best first: the
// name itself; else the names holding the words; else the names whose
// characters hold the words' in order (an abbreviation: 新疆卫健委 for
// 新疆维吾尔自治区卫生健康委员会). Shorter names come first among equals.
func MatchOrgs(query string, names []string) []string {
	q := strings.Join(strings.Fields(query), "")
	if q == "" {
		return nil
	}
	if slices.Contains(names, q) {
		return []string{q}
	}
	var sub, abbr []string
	for _, n := range names {
		switch {
		case strings.Contains(n, q):
			sub = append(sub, n)
		case inOrder(n, q):
			abbr = append(abbr, n)
		}
	}
	byLength := func(a, b string) int {
		return cmp.Or(cmp.Compare(utf8.RuneCountInString(a), utf8.RuneCountInString(b)), cmp.Compare(a, b))
	}
	slices.SortFunc(sub, byLength)
	slices.SortFunc(abbr, byLength)
	if len(sub) > 0 {
		return sub
	}
	return abbr
}

// inOrder tells whether every character of q appears in s, in order.
func inOrder(s, q string) bool {
	for _, r := range q {
		i := strings.IndexRune(s, r)
		if i < 0 {
			return false
		}
		s = s[i+utf8.RuneLen(r):]
	}
	return true
}

// MatchSummaries is MatchOrgs over the bodies of a store: those q may
// mean, best first.
func MatchSummaries(orgs []pipeline.OrgSummary, q string) []pipeline.OrgSummary {
	byName := map[string]pipeline.OrgSummary{}
	names := make([]string, len(orgs))
	for i, o := range orgs {
		byName[o.Name], names[i] = o, o.Name
	}
	out := []pipeline.OrgSummary{}
	for _, n := range MatchOrgs(q, names) {
		out = append(out, byName[n])
	}
	return out
}
