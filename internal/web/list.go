package web

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

const pageSize = 20

// maxAPILimit bounds one page of the JSON list.
const maxAPILimit = 200

// sortKeys are the orders the list offers; each may be prefixed with "-"
// for descending.
var sortKeys = map[string]bool{
	"year": true, "score": true, "organization": true, "project": true, "kind": true, "grade": true,
	"name": true, "errors": true, "warnings": true, "infos": true, "status": true, "versions": true, "ingested": true,
}

var grades = []string{"优", "良", "中", "差"}

// listQuery is the reports filter as a request states it.
type listQuery struct {
	pipeline.ReportFilter
	Page int
}

// parseListQuery reads the filter parameters shared by the page and the API.
// An unreadable parameter is an error naming it, not silently ignored.
func parseListQuery(q url.Values) (listQuery, error) {
	var lq listQuery
	f := &lq.ReportFilter
	f.Organization = strings.TrimSpace(q.Get("organization"))
	f.Project = strings.TrimSpace(q.Get("project"))
	f.Region = strings.TrimSpace(q.Get("region"))
	if v := q.Get("status"); v != "" {
		st, ok := report.ParseReviewStatus(v)
		if !ok {
			return lq, errors.New("审核状态只能是 待审、审核中、已审、退回 之一")
		}
		f.Status = st
	}
	if v := strings.TrimSpace(q.Get("rule")); v != "" {
		if len(v) > 100 {
			return lq, errors.New("规则编号过长")
		}
		f.Rule = v
	}
	f.Query = strings.TrimSpace(q.Get("q"))
	if len(f.Query) > 200 {
		return lq, errors.New("搜索词过长（最多 200 字节）")
	}
	for _, y := range []struct {
		key string
		dst *int
	}{{"year", &f.Year}, {"year_from", &f.YearFrom}, {"year_to", &f.YearTo}} {
		if v := q.Get(y.key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1900 || n > 2200 {
				return lq, errors.New("年度必须是四位数字，如 2022")
			}
			*y.dst = n
		}
	}
	if v := q.Get("grade"); v != "" {
		if !contains(grades, v) {
			return lq, errors.New("等级只能是 优、良、中、差 之一")
		}
		f.Grade = v
	}
	switch q.Get("errors") {
	case "", "0", "false":
	case "1", "true", "on":
		f.HasErrors = true
	default:
		return lq, errors.New("errors 参数只能是 1 或 0")
	}
	if v := q.Get("sort"); v != "" {
		if !sortKeys[strings.TrimPrefix(v, "-")] {
			return lq, errors.New("不支持的排序方式：" + v)
		}
		f.Sort = v
	}
	lq.Page = 1
	if v := q.Get("page"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 1_000_000 {
			return lq, errors.New("页码必须是正整数")
		}
		lq.Page = p
	}
	return lq, nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// values turns the filter back into query parameters, for links that keep
// it (pagination, sorting).
func (lq listQuery) values() url.Values {
	v := url.Values{}
	f := lq.ReportFilter
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("organization", f.Organization)
	set("project", f.Project)
	set("region", f.Region)
	set("status", f.Status)
	set("rule", f.Rule)
	set("q", f.Query)
	set("grade", f.Grade)
	set("sort", f.Sort)
	for key, y := range map[string]int{"year": f.Year, "year_from": f.YearFrom, "year_to": f.YearTo} {
		if y != 0 {
			v.Set(key, strconv.Itoa(y))
		}
	}
	if f.HasErrors {
		v.Set("errors", "1")
	}
	return v
}

func (lq listQuery) filtered() bool {
	f := lq.ReportFilter
	return f.Organization != "" || f.Project != "" || f.Query != "" || f.Grade != "" || f.Year != 0 || f.HasErrors ||
		f.YearFrom != 0 || f.YearTo != 0 || f.Region != "" || f.Status != "" || f.Rule != ""
}

type listData struct {
	Filter   pipeline.ReportFilter
	Filtered bool
	Grades   []string
	Regions  []string
	Statuses []choice
	Rules    []choice
	// Suggestions are the bodies a name the store does not hold may mean.
	Suggestions []pipeline.OrgSummary
	// PastEnd is set when the page asked for is after the last.
	PastEnd   bool
	LastURL   string
	Reports   []pipeline.ReportSummary
	Total     int
	Page      int
	Pages     int
	PrevURL   string
	NextURL   string
	SortURLs  map[string]string
	SortMarks map[string]string
	Snippets  map[int64]string // report id → where the search words are
}

// maxSnippets bounds the search hits asked for to show where the words are.
const maxSnippets = 200

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	lq, err := parseListQuery(r.URL.Query())
	if err != nil {
		s.renderError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx := r.Context()
	orgs, err := s.store.Organizations(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := listData{Grades: grades, Regions: regionsOf(orgs), Statuses: statusChoices(), Rules: ruleChoices()}
	// A body named in part or by an abbreviation is the body it stands for,
	// or, when it could be several, a question.
	if org := lq.Organization; org != "" && !hasOrg(orgs, org) {
		if found := storelogic.MatchSummaries(orgs, org); len(found) == 1 {
			lq.Organization = found[0].Name
		} else {
			d.Suggestions = found
		}
	}
	f := lq.ReportFilter
	f.Limit, f.Offset = pageSize, (lq.Page-1)*pageSize
	reports, total, err := s.store.Reports(ctx, f)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d.Filter, d.Filtered, d.Reports = lq.ReportFilter, lq.filtered(), reports
	d.Total, d.Page, d.Pages = total, lq.Page, (total+pageSize-1)/pageSize
	if total > 0 && lq.Page > d.Pages {
		d.PastEnd, d.LastURL = true, pageURL(lq, d.Pages)
	}
	if lq.Page > 1 {
		d.PrevURL = pageURL(lq, lq.Page-1)
	}
	if lq.Page < d.Pages {
		d.NextURL = pageURL(lq, lq.Page+1)
	}
	d.SortURLs, d.SortMarks = sortLinks(lq)
	if f.Query != "" {
		hits, err := s.store.Search(r.Context(), f.Query, maxSnippets)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		d.Snippets = map[int64]string{}
		for _, h := range hits {
			d.Snippets[h.ReportID] = h.Snippet
		}
	}
	s.render(w, http.StatusOK, "list", pageData{Title: "报告列表", Nav: "list", Data: d})
}

func hasOrg(orgs []pipeline.OrgSummary, name string) bool {
	for _, o := range orgs {
		if o.Name == name {
			return true
		}
	}
	return false
}

// regionsOf lists the places the bodies are in, for the region filter.
func regionsOf(orgs []pipeline.OrgSummary) []string {
	seen := map[string]bool{}
	var out []string
	for _, o := range orgs {
		if o.Region != "" && !seen[o.Region] {
			seen[o.Region] = true
			out = append(out, o.Region)
		}
	}
	sort.Strings(out)
	return out
}

func statusChoices() []choice {
	var out []choice
	for _, st := range pipeline.ReviewStatuses {
		out = append(out, choice{st, report.ReviewLabel(st)})
	}
	return out
}

func ruleChoices() []choice {
	var out []choice
	for _, id := range report.RuleIDs() {
		out = append(out, choice{id, report.RuleName(id) + "（" + id + "）"})
	}
	return out
}

func pageURL(lq listQuery, page int) string {
	v := lq.values()
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/?" + v.Encode()
}

// sortLinks gives each sortable column a link that sorts by it, toggling
// the direction when it already is the order, and an arrow for the current
// order.
func sortLinks(lq listQuery) (map[string]string, map[string]string) {
	urls, marks := map[string]string{}, map[string]string{}
	cur := lq.Sort
	for key := range sortKeys {
		next := key
		switch cur {
		case key:
			next = "-" + key
			marks[key] = " ▲"
		case "-" + key:
			marks[key] = " ▼"
		}
		v := lq.values()
		v.Set("sort", next)
		urls[key] = "/?" + v.Encode()
	}
	return urls, marks
}
