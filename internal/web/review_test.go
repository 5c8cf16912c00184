package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/docx"
	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

// postForm is a browser's form post from this site's page.
func postForm(path string, v url.Values, cookies ...*http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return r
}

// keyOf is the finding key of the report's finding of rule.
func keyOf(t *testing.T, st pipeline.Store, id int64, rule string) string {
	t.Helper()
	rep, err := st.Report(context.Background(), id)
	if err != nil || rep == nil {
		t.Fatal(err)
	}
	for _, f := range rep.Extraction.Findings {
		if f.Rule == rule {
			return pipeline.FindingKey(f)
		}
	}
	t.Fatalf("report %d has no finding of %s", id, rule)
	return ""
}

// A reviewer marks a finding and sets the report's status with the page's
// forms, no script involved: the token once, then the browser's cookie;
// the page shows both, and the marks go into the downloads.
func TestReviewForms(t *testing.T) {
	s, st := newTestServer(t, Options{Token: "s3cret"}, turpan...)
	res, body := get(t, s, "/reports/3")
	wantStatus(t, res, body, http.StatusOK)
	key := keyOf(t, st, 3, "text.suspected_typo")
	wantContains(t, body, `<title>吐鲁番市残疾人联合会 2022年度 部门整体支出 · 绩效自评报告审核</title>`,
		`id="review-status"`, "待审", `action="/reports/3/marks"`, `action="/reports/3/status"`, `value="`+key+`"`,
		`name="token"`, `<span class="rule-name">疑似错别字</span> <code class="rule-id">text.suspected_typo</code>`,
		`href="/reports/3/letter.docx"`, `href="/reports/3/letter"`)

	mark := url.Values{"key": {key}, "status": {"confirmed"}, "comment": {"确为错字"}, "reviewer": {"王审核"}}
	res, body = do(t, s, postForm("/reports/3/marks", mark))
	wantStatus(t, res, body, http.StatusUnauthorized)
	mark.Set("token", "s3cret")
	res, body = do(t, s, postForm("/reports/3/marks", mark))
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/reports/3?saved=mark#k-"+key {
		t.Errorf("back to %q", loc)
	}
	cookies := res.Cookies()
	if len(cookies) != 2 {
		t.Fatalf("cookies %v: want the token and the reviewer kept", cookies)
	}
	for _, c := range cookies {
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Errorf("cookie %s is readable by scripts or sent by other sites", c.Name)
		}
	}
	// The status with the cookie alone.
	res, body = do(t, s, postForm("/reports/3/status", url.Values{"status": {"returned"}, "comment": {"请补充佐证"}, "reviewer": {"王审核"}}, cookies...))
	wantStatus(t, res, body, http.StatusSeeOther)

	req := httptest.NewRequest(http.MethodGet, "/reports/3?saved=status", nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, body = do(t, s, req)
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "已保存审核状态", `<strong class="review-status status-returned" id="review-status">退回（王审核，`,
		"请补充佐证", `<span class="badge mark mark-confirmed">已核实</span>`, "审核：已核实（王审核，", "确为错字",
		`value="王审核"`)
	if strings.Contains(body, `name="token"`) {
		t.Error("the page asks again for the token the browser keeps")
	}

	// Refusals: another site's page, an unknown mark, an unknown finding.
	cross := postForm("/reports/3/marks", mark)
	cross.Header.Set("Sec-Fetch-Site", "cross-site")
	res, body = do(t, s, cross)
	wantStatus(t, res, body, http.StatusForbidden)
	bad := url.Values{"key": {key}, "status": {"好"}, "token": {"s3cret"}}
	res, body = do(t, s, postForm("/reports/3/marks", bad))
	wantStatus(t, res, body, http.StatusBadRequest)
	bad = url.Values{"key": {"0000"}, "status": {"误报"}, "token": {"s3cret"}}
	res, body = do(t, s, postForm("/reports/3/marks", bad))
	wantStatus(t, res, body, http.StatusBadRequest)
	res, body = do(t, s, postForm("/reports/3/status", url.Values{"status": {"done"}, "token": {"s3cret"}}))
	wantStatus(t, res, body, http.StatusBadRequest)

	// The downloads carry the mark and the status.
	res, body = get(t, s, "/reports/3/consistency.md")
	wantContains(t, body, "审核状态 | 退回（王审核", "审核：已核实（王审核")
	res, body = get(t, s, "/reports/3/consistency.json")
	var withReview struct {
		Schema string         `json:"schema"`
		Review *report.Review `json:"review"`
	}
	if err := json.Unmarshal([]byte(body), &withReview); err != nil || withReview.Schema == "" || withReview.Review == nil ||
		len(withReview.Review.Marks) != 1 || withReview.Review.State.Status != pipeline.ReviewReturned {
		t.Errorf("json download: %v %+v", err, withReview.Review)
	}
	rows := readXLSX(t, []byte(mustGet(t, s, "/reports/3/consistency.xlsx")), "发现")
	marked := false
	for _, r := range rows {
		marked = marked || len(r) > 9 && r[8] == "已核实" && r[9] == "确为错字"
	}
	if !marked {
		t.Errorf("xlsx 发现 lacks the mark: %q", rows)
	}

	// The letter: Word to edit, a page to print.
	res, body = get(t, s, "/reports/3/letter.docx")
	wantStatus(t, res, body, http.StatusOK)
	doc, err := docx.Read([]byte(body))
	if err != nil || !strings.Contains(doc.Text, "疑似错别字") || !strings.Contains(doc.Text, "王审核") {
		t.Errorf("letter.docx: %v", err)
	}
	res, body = get(t, s, "/reports/3/letter")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `href="/static/letter.css"`, "绩效自评报告审核意见书", "疑似错别字")
	res, body = get(t, s, "/static/letter.css")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "@page")
}

func mustGet(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	res, body := get(t, h, path)
	wantStatus(t, res, body, http.StatusOK)
	return body
}

// The JSON API does what the forms do, for scripts.
func TestReviewAPI(t *testing.T) {
	s, st := newTestServer(t, Options{Token: "s3cret"}, turpan...)
	key := keyOf(t, st, 3, "budget.missing_execution")
	send := func(path, body, token string) (*http.Response, string) {
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		r.Header.Set("X-Jixiao-Reviewer", "接口审核")
		return do(t, s, r)
	}
	res, body := send("/api/reports/3/marks", `{"finding_key":"`+key+`","status":"false_alarm","comment":"执行数在附表"}`, "")
	wantStatus(t, res, body, http.StatusUnauthorized)
	res, body = send("/api/reports/3/marks", `{"finding_key":"`+key+`","status":"false_alarm","comment":"执行数在附表"}`, "s3cret")
	wantStatus(t, res, body, http.StatusOK)
	var got struct {
		Mark pipeline.Mark `json:"mark"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || got.Mark.Status != pipeline.MarkFalseAlarm || got.Mark.Reviewer != "接口审核" || got.Mark.At.IsZero() {
		t.Errorf("mark answer %s", body)
	}
	res, body = send("/api/reports/3/status", `{"status":"审核中"}`, "s3cret")
	wantStatus(t, res, body, http.StatusOK)
	res, body = send("/api/reports/3/status", `{"status":"审核中","extra":1}`, "s3cret")
	wantStatus(t, res, body, http.StatusBadRequest)
	res, body = get(t, s, "/api/reports/3/review")
	wantStatus(t, res, body, http.StatusOK)
	var rv reviewResponse
	if err := json.Unmarshal([]byte(body), &rv); err != nil || rv.State.Status != pipeline.ReviewActive || len(rv.Findings) != 3 {
		t.Fatalf("review %s", body)
	}
	for i, f := range rv.Findings {
		if (f.Key == key) != (f.Mark != nil) || f.RuleName == "" {
			t.Errorf("finding %d %+v", i, f)
		}
	}
	res, body = get(t, s, "/api/reports/3/versions")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `"versions"`, `"latest":true`)
	res, body = get(t, s, "/api/orgs?q="+url.QueryEscape("吐鲁番残联"))
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `"name":"吐鲁番市残疾人联合会"`, `"region":"吐鲁番市"`)
}

// saveAs stores fx's report under a document of its own name.
func saveAs(t *testing.T, st pipeline.Store, fx reportFixture, name string, data []byte) int64 {
	t.Helper()
	ext := fx.extraction(t, data)
	doc := pipeline.Document{SHA256: name, Name: name, Format: "text"}
	id, err := st.SaveReport(context.Background(), doc, data, ext)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Two documents of one body, project and year are one report: the list
// shows one row, the page the latest with the versions and what changed,
// an earlier version viewable. A 误报 of the year before is offered.
func TestVersionsAndOfferedMarks(t *testing.T) {
	s, st := newTestServer(t, Options{})
	data := readTestdata(t, "dev-002.txt")
	fx := turpan[2]
	prev := fx
	prev.year = 2021
	y2021 := saveAs(t, st, prev, "2021.txt", data)
	key := keyOf(t, st, y2021, "text.suspected_typo")
	m := pipeline.Mark{ReportID: y2021, Key: key, Rule: "text.suspected_typo", Status: pipeline.MarkFalseAlarm, Comment: "地名用字", Reviewer: "李审核"}
	if err := st.SetMark(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	first := saveAs(t, st, fx, "2022.txt", data)
	revised := fx
	revised.executed = 4900000
	if again := saveAs(t, st, revised, "2022-修订.txt", data); again != first {
		t.Fatalf("the resubmission is report %d, want %d", again, first)
	}
	_, body := get(t, s, "/")
	if n := strings.Count(body, `class="report-row"`); n != 2 {
		t.Errorf("the list shows %d rows, want one per year", n)
	}
	page := mustGet(t, s, reportURL(first))
	wantContains(t, page, `id="versions"`, "2022.txt", "2022-修订.txt（正在查看）", `<td class="num changed">490 万元</td>`,
		"2021 年报告曾将同一处标为误报（李审核）：地名用字", "沿用误报标记")
	vs, _ := st.Versions(context.Background(), first)
	old := mustGet(t, s, reportURL(first)+"?version="+itoaID(vs[0].ID))
	wantContains(t, old, `id="old-version"`, "正在查看较早的版本", "2022.txt（正在查看）")
	if strings.Contains(old, `class="mark-form"`) {
		t.Error("an earlier version offers mark forms")
	}
	res, body := get(t, s, reportURL(first)+"?version="+itoaID(y2021))
	wantStatus(t, res, body, http.StatusNotFound)
	// Adopting the offer marks this year's finding too.
	res, body = do(t, s, postForm(reportURL(first)+"/marks", url.Values{"key": {key}, "status": {"false_alarm"}, "comment": {"地名用字"}, "reviewer": {"李审核"}}))
	wantStatus(t, res, body, http.StatusSeeOther)
	if marks, _ := st.Marks(context.Background(), first); len(marks) != 1 || marks[0].Key != key {
		t.Errorf("marks after adopting %+v", marks)
	}
	if page := mustGet(t, s, reportURL(first)); strings.Contains(page, "沿用误报标记") {
		t.Error("the offer is still shown once adopted")
	}
}

func itoaID(id int64) string { return strconv.FormatInt(id, 10) }

var errStoreDown = errors.New("store down")

// With a read token, nothing but the health check and the assets is shown
// without it; a browser gives it as basic authentication's password.
func TestReadToken(t *testing.T) {
	s, _ := newTestServer(t, Options{ReadToken: "lesen", Token: "schreiben"}, turpan...)
	res, body := get(t, s, "/")
	wantStatus(t, res, body, http.StatusUnauthorized)
	if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("no basic authentication asked: %q", res.Header.Get("WWW-Authenticate"))
	}
	wantContains(t, body, "需要访问令牌")
	res, body = get(t, s, "/api/reports")
	wantStatus(t, res, body, http.StatusUnauthorized)
	for _, token := range []string{"lesen", "schreiben"} {
		r := httptest.NewRequest(http.MethodGet, "/reports/3", nil)
		r.SetBasicAuth("审核", token)
		res, body = do(t, s, r)
		wantStatus(t, res, body, http.StatusOK)
	}
	r := httptest.NewRequest(http.MethodGet, "/api/reports", nil)
	r.Header.Set("Authorization", "Bearer lesen")
	res, body = do(t, s, r)
	wantStatus(t, res, body, http.StatusOK)
	r = httptest.NewRequest(http.MethodGet, "/", nil)
	r.SetBasicAuth("x", "wrong")
	res, body = do(t, s, r)
	wantStatus(t, res, body, http.StatusUnauthorized)
	for _, open := range []string{"/healthz", "/static/style.css"} {
		res, body = get(t, s, open)
		wantStatus(t, res, body, http.StatusOK)
	}
	// The read token does not write.
	w := postForm("/reports/3/status", url.Values{"status": {"reviewed"}, "token": {"lesen"}})
	w.SetBasicAuth("x", "lesen")
	res, body = do(t, s, w)
	wantStatus(t, res, body, http.StatusUnauthorized)
}

func TestHealthz(t *testing.T) {
	s, st := newTestServer(t, Options{}, turpan...)
	res, body := get(t, s, "/healthz")
	wantStatus(t, res, body, http.StatusOK)
	if body != "ok\n" {
		t.Errorf("healthz %q", body)
	}
	st.mu.Lock()
	st.err = errStoreDown
	st.mu.Unlock()
	res, body = get(t, s, "/healthz")
	wantStatus(t, res, body, http.StatusServiceUnavailable)
}

// The list filters by region, a body named in part, year range, review
// status and finding rule, sorts by every column, and says when a page is
// past the end.
func TestListFilters(t *testing.T) {
	s, st := newTestServer(t, Options{}, turpan...)
	other := turpan[2]
	other.org = "新疆维吾尔自治区残疾人联合会"
	saveAs(t, st, other, "xj.txt", readTestdata(t, "dev-002.txt"))
	if err := st.SetReviewState(context.Background(), pipeline.ReviewState{ReportID: 2, Status: pipeline.ReviewReturned}); err != nil {
		t.Fatal(err)
	}
	rows := func(query string) int {
		t.Helper()
		res, body := get(t, s, "/?"+query)
		wantStatus(t, res, body, http.StatusOK)
		return strings.Count(body, `class="report-row"`)
	}
	cases := []struct {
		query string
		want  int
	}{
		{"", 4},
		{"region=" + url.QueryEscape("吐鲁番市"), 3},
		{"region=" + url.QueryEscape("新疆维吾尔自治区"), 1},
		{"organization=" + url.QueryEscape("吐鲁番残联"), 3},
		{"year_from=2021", 3},
		{"year_from=2021&year_to=2021", 1},
		{"status=returned", 1},
		{"status=" + url.QueryEscape("待审"), 3},
		{"rule=text.suspected_typo", 2},
		{"rule=history.recurring_problem", 0},
	}
	for _, c := range cases {
		if got := rows(c.query); got != c.want {
			t.Errorf("/?%s: %d rows, want %d", c.query, got, c.want)
		}
	}
	_, body := get(t, s, "/?organization="+url.QueryEscape("残疾人联合会"))
	wantContains(t, body, `id="did-you-mean"`, "您是否要找：", "吐鲁番市残疾人联合会", "新疆维吾尔自治区残疾人联合会")
	for key := range sortKeys {
		for _, dir := range []string{"", "-"} {
			if got := rows("sort=" + dir + key); got != 4 {
				t.Errorf("sort=%s%s: %d rows", dir, key, got)
			}
		}
	}
	_, body = get(t, s, "/?status=returned")
	wantContains(t, body, `<td class="status-returned">退回</td>`)
	res, body := get(t, s, "/?page=99")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `id="past-end"`, "第 99 页超出范围", `<a href="/?">转到最后一页</a>`)
	if strings.Contains(body, "没有符合条件的报告") {
		t.Error("a page past the end says there are no reports")
	}
	for _, bad := range []string{"status=done", "year_from=12", "year_to=x"} {
		res, body := get(t, s, "/?"+bad)
		wantStatus(t, res, body, http.StatusBadRequest)
	}
}

// The organisation page sets any two years side by side and groups the
// copied passages per pair of reports; a body named in part is found.
func TestOrgCompareAndNames(t *testing.T) {
	s, st := newTestServer(t, Options{}, turpan...)
	page := mustGet(t, s, "/org?a=2020&b=2022&name="+url.QueryEscape("吐鲁番市残疾人联合会"))
	compare := between(page, `<section id="compare">`, "</section>")
	wantContains(t, compare, `<option value="2020" selected>`, `<a href="/reports/1">2020 年</a>`, `<a href="/reports/3">2022 年</a>`,
		`<tr><th>年初预算</th><td class="changed">501 万元</td><td class="changed">526 万元</td></tr>`,
		`<tr><th>等级</th><td>优</td><td>优</td></tr>`, "疑似错别字", "基层康复机构专业康复人员不足")
	// By default the last two years.
	compare = between(mustGet(t, s, "/org?name="+url.QueryEscape("吐鲁番市残疾人联合会")), `<section id="compare">`, "</section>")
	wantContains(t, compare, `<a href="/reports/2">2021 年</a>`, `<a href="/reports/3">2022 年</a>`)

	res, body := get(t, s, "/org?name="+url.QueryEscape("吐鲁番残联"))
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/org?name="+url.QueryEscape("吐鲁番市残疾人联合会") {
		t.Errorf("redirect to %q", loc)
	}
	other := turpan[2]
	other.org = "新疆维吾尔自治区残疾人联合会"
	saveAs(t, st, other, "xj.txt", readTestdata(t, "dev-002.txt"))
	res, body = get(t, s, "/org?name="+url.QueryEscape("残疾人联合会"))
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `id="did-you-mean"`, "您是否要找：", "新疆维吾尔自治区残疾人联合会")
	res, body = get(t, s, "/orgs?q="+url.QueryEscape("残联"))
	wantStatus(t, res, body, http.StatusOK)
	if n := strings.Count(body, `<td><a href="/org?name=`); n != 2 {
		t.Errorf("/orgs?q=残联 lists %d bodies, want 2", n)
	}
}
