package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/pipeline"
)

// reportFixture describes a stored report built from a real report text.
type reportFixture struct {
	file         string // under testdata/web
	org, project string
	year         int
	planned      int64 // yuan; 0 = not stated
	executed     int64
	score, grade string
	findings     []fixtureFinding
	fieldQuotes  map[string]string // field → quote of its evidence
	problems     []string
}

type fixtureFinding struct {
	rule, severity, message string
	quotes                  []string
	values                  pipeline.Values
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "web", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// evidenceAt places quote in text the way the extractor does: byte offset,
// 1-based line.
func evidenceAt(t testing.TB, text, quote string) pipeline.Evidence {
	t.Helper()
	i := strings.Index(text, quote)
	if i < 0 {
		t.Fatalf("quote %q is not in the fixture text", quote)
	}
	return pipeline.Evidence{Quote: quote, Offset: i, Line: strings.Count(text[:i], "\n") + 1}
}

func amountPtr(yuan int64) *pipeline.Amount {
	if yuan == 0 {
		return nil
	}
	return &pipeline.Amount{Fen: yuan * 100}
}

func decPtr(s string) *pipeline.Decimal {
	if s == "" {
		return nil
	}
	d := pipeline.MustDecimal(s)
	return &d
}

func (fx reportFixture) extraction(t testing.TB, data []byte) *pipeline.Extraction {
	text := strings.TrimPrefix(strings.ReplaceAll(string(data), "\r\n", "\n"), "\ufeff")
	sum := sha256.Sum256(data)
	ext := pipeline.NewExtraction()
	ext.Source = pipeline.Source{Name: fx.file, SHA256: hex.EncodeToString(sum[:]), Format: "text", Extractor: "text", Encoding: "utf-8-bom"}
	ext.Text = text
	r := &ext.Report
	r.Organization, r.Project, r.Year, r.Grade = fx.org, fx.project, fx.year, fx.grade
	r.Kind = pipeline.KindProject
	if fx.project == "" {
		r.Kind = pipeline.KindDepartment
	}
	r.Budget.Planned, r.Budget.Executed = amountPtr(fx.planned), amountPtr(fx.executed)
	r.Score = decPtr(fx.score)
	if fx.problems != nil {
		r.Problems = fx.problems
	}
	r.Evidence = map[string]pipeline.Evidence{}
	for field, q := range fx.fieldQuotes {
		r.Evidence[field] = evidenceAt(t, text, q)
	}
	for _, f := range fx.findings {
		pf := pipeline.Finding{Rule: f.rule, Severity: f.severity, Message: f.message, Values: f.values, Evidence: []pipeline.Evidence{}}
		for _, q := range f.quotes {
			pf.Evidence = append(pf.Evidence, evidenceAt(t, text, q))
		}
		ext.Findings = append(ext.Findings, pf)
	}
	return ext
}

// turpan is the department-wide series of 吐鲁番市残疾人联合会 in the
// dev corpus, three years of it.
var turpan = []reportFixture{
	{file: "dev-030.txt", org: "吐鲁番市残疾人联合会", year: 2020, planned: 5010000, score: "99.05", grade: "优",
		fieldQuotes: map[string]string{"organization": "吐鲁番市残疾人联合会"}},
	{file: "dev-012.txt", org: "吐鲁番市残疾人联合会", year: 2021, planned: 4910000, executed: 4913900, score: "98.27", grade: "优"},
	{file: "dev-002.txt", org: "吐鲁番市残疾人联合会", year: 2022, planned: 5260000, score: "93.35", grade: "优",
		problems: []string{"基层康复机构专业康复人员不足"},
		fieldQuotes: map[string]string{"organization": "吐鲁番市残疾人联合会", "planned": "年初预算数为526.00 万元",
			"adjusted": "全年预算数为495.60 万元"},
		findings: []fixtureFinding{
			{rule: "budget.missing_execution", severity: "warning", message: "报告未写明全年执行数，也未写明执行率，无法判断预算执行情况",
				quotes: []string{"年初预算数为526.00 万元", "全年预算数为495.60 万元"}},
			{rule: "text.suspected_typo", severity: "warning", message: "疑似错别字：“按排”应为“安排”",
				quotes: []string{"统筹按排各项"}},
			{rule: "history.copied_passage", severity: "info", message: "有 60 字的段落与本单位2021年报告完全相同",
				quotes: []string{"我会主要职能包括"}, values: pipeline.Values{"chars": pipeline.CountValue(60), "earlier_year": pipeline.YearValue(2021),
					"earlier_report_id": pipeline.IDValue(2)}},
		}},
}

// newTestServer stores the fixtures in a fake store and serves them.
func newTestServer(t testing.TB, opts Options, fixtures ...reportFixture) (*Server, *fakeStore) {
	t.Helper()
	st := newFakeStore()
	for _, fx := range fixtures {
		data := readTestdata(t, fx.file)
		ext := fx.extraction(t, data)
		doc := pipeline.Document{SHA256: ext.Source.SHA256, Name: fx.file, Format: "text", Size: int64(len(data)),
			IngestedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)}
		if _, err := st.SaveReport(context.Background(), doc, data, ext); err != nil {
			t.Fatal(err)
		}
	}
	opts.Store = st
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

// get requests path and returns the response with its body read.
func get(t testing.TB, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	return do(t, h, httptest.NewRequest(http.MethodGet, path, nil))
}

func do(t testing.TB, h http.Handler, req *http.Request) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func wantStatus(t testing.TB, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d; body:\n%.600s", res.StatusCode, want, body)
	}
}

func wantContains(t testing.TB, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q", s)
		}
	}
}

func TestListPage(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	res, body := get(t, s, "/")
	wantStatus(t, res, body, http.StatusOK)
	if got := strings.Count(body, `class="report-row"`); got != 3 {
		t.Errorf("list shows %d rows, want 3", got)
	}
	wantContains(t, body, "吐鲁番市残疾人联合会", `href="/reports/3"`, "dev-002.txt", "部门整体支出", "93.35", "共 3 份报告")
	if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}

	res, body = get(t, s, "/?year=2021")
	wantStatus(t, res, body, http.StatusOK)
	if got := strings.Count(body, `class="report-row"`); got != 1 || !strings.Contains(body, "dev-012.txt") {
		t.Errorf("year filter: %d rows, want only dev-012.txt", got)
	}
	res, body = get(t, s, "/?q="+url.QueryEscape("统筹按排"))
	wantStatus(t, res, body, http.StatusOK)
	if got := strings.Count(body, `class="report-row"`); got != 1 || !strings.Contains(body, "dev-002.txt") {
		t.Errorf("search: %d rows, want only dev-002.txt", got)
	}
	wantContains(t, body, `<div class="snippet">…`, `【统筹按排】各项`)
	res, body = get(t, s, "/?organization="+url.QueryEscape("别的单位"))
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "没有符合条件的报告")

	// The sort links keep the filter and toggle the direction.
	res, body = get(t, s, "/?year=2021&sort=year")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `href="/?sort=-year&amp;year=2021"`, "年度 ▲")
}

func TestListPagination(t *testing.T) {
	s, st := newTestServer(t, Options{})
	data := readTestdata(t, turpan[0].file)
	for i := 0; i < pageSize+5; i++ {
		fx := turpan[0]
		fx.year = 1990 + i
		// A document of its own each year, as a store keeps one report per document.
		doc := pipeline.Document{SHA256: fmt.Sprintf("%064d", i), Name: fx.file, Format: "text"}
		if _, err := st.SaveReport(context.Background(), doc, data, fx.extraction(t, data)); err != nil {
			t.Fatal(err)
		}
	}
	_, body := get(t, s, "/?sort=year")
	if got := strings.Count(body, `class="report-row"`); got != pageSize {
		t.Errorf("page 1 has %d rows, want %d", got, pageSize)
	}
	wantContains(t, body, "第 1 / 2 页", `href="/?page=2&amp;sort=year"`)
	_, body = get(t, s, "/?sort=year&page=2")
	if got := strings.Count(body, `class="report-row"`); got != 5 {
		t.Errorf("page 2 has %d rows, want 5", got)
	}
	wantContains(t, body, `href="/?sort=year"`, "2014")
}

func TestListBadParameters(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	for _, q := range []string{"year=abc", "year=20", "grade=A", "sort=password", "page=0", "page=x", "errors=maybe",
		"q=" + strings.Repeat("很", 100)} {
		res, body := get(t, s, "/?"+q)
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, "请求有误")
	}
}

func TestReportPage(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	res, body := get(t, s, "/reports/3")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body,
		"dev-002.txt", "部门整体支出", "93.35", "526 万元", "5260000 元",
		// Findings with their figures and links to their evidence.
		`id="f-1"`, "报告未写明全年执行数", "<dt>字数 <code>chars</code></dt><dd>60</dd>", "<dt>往年年度 <code>earlier_year</code></dt><dd>2021</dd>",
		`href="#ev-1-1"`, `href="#ev-1-2"`, `href="#ev-2-1"`, "第 29 行",
		// Downloads.
		`href="/reports/3/original"`, `href="/reports/3/consistency.xlsx"`, `href="/reports/3/consistency.md"`,
	)
	// The evidence is highlighted in the text, each quote in a mark after
	// its anchor.
	for _, want := range []string{
		`<span class="anchor" id="ev-2-1"></span><mark class="ev sev-warning" title="警告：疑似错别字：“按排”应为“安排”" data-findings="2">统筹按排各项</mark>`,
		`<span class="anchor" id="ev-1-2"></span>(<span class="anchor" id="field-adjusted"></span>)<mark class="ev sev-warning" title="[^"]*；字段来源：全年预算" data-findings="1">全年预算数为495.60 万元</mark>`,
		`<span class="anchor" id="ev-3-1"></span><mark class="ev sev-info" [^>]*>我会主要职能包括</mark>`,
	} {
		if !regexp.MustCompile(want).MatchString(body) {
			t.Errorf("text lacks highlight %s", want)
		}
	}
	// A field's evidence that is also a finding's is marked as the finding.
	if !strings.Contains(body, `id="field-planned"`) || !strings.Contains(body, `href="#field-planned"`) {
		t.Error("field evidence of planned is not anchored and linked")
	}
	// The whole text is there once, in order, whatever the marks.
	if got, want := visibleText(t, between(body, `<pre class="doc-text" id="text">`, "</pre>")), s.storeText(3); got != want {
		t.Errorf("the text shown differs from the stored text:\n got %.200q\nwant %.200q", got, want)
	}
	if dup := duplicateIDs(body); len(dup) > 0 {
		t.Errorf("element ids used twice: %q", dup)
	}
	res, body = get(t, s, "/reports/1")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "未发现问题", `id="field-organization"`)
}

// duplicateIDs lists the element ids a page uses more than once; a link to
// one of them would land on the first only.
func duplicateIDs(page string) []string {
	seen := map[string]int{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		seen[m[1]]++
	}
	var dup []string
	for id, n := range seen {
		if n > 1 {
			dup = append(dup, id)
		}
	}
	return dup
}

// storeText is the stored normalised text of report id.
func (s *Server) storeText(id int64) string {
	r, _ := s.store.Report(context.Background(), id)
	return r.Text
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

func TestReportBadIDs(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	cases := []struct {
		path   string
		status int
	}{
		{"/reports/abc", 400}, {"/reports/0", 400}, {"/reports/-3", 400}, {"/reports/1.5", 400},
		{"/reports/99999999999999999999", 400}, {"/reports/4", 404}, {"/reports/999", 404},
		{"/reports/4/original", 404}, {"/reports/abc/consistency.json", 400},
		{"/reports/1/consistency.exe", 404}, {"/reports/1/..%2f..%2fgo.mod", 404}, {"/reports/1/secret", 404},
		{"/nope", 404},
		{"/org", 400}, {"/org?name=" + url.QueryEscape("不存在的单位"), 404},
	}
	for _, c := range cases {
		res, body := get(t, s, c.path)
		if res.StatusCode != c.status {
			t.Errorf("GET %s: %d, want %d", c.path, res.StatusCode, c.status)
			continue
		}
		if c.status >= 400 && !strings.Contains(body, "<!DOCTYPE html>") {
			t.Errorf("GET %s: the error is not a page: %.200s", c.path, body)
		}
	}
}

func TestPageMethods(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	for _, c := range []struct{ method, path string }{
		{http.MethodPost, "/"}, {http.MethodPut, "/upload"}, {http.MethodDelete, "/reports/1"}, {http.MethodPost, "/org"},
	} {
		res, body := do(t, s, httptest.NewRequest(c.method, c.path, nil))
		wantStatus(t, res, body, http.StatusMethodNotAllowed)
	}
	res, body := do(t, s, httptest.NewRequest(http.MethodHead, "/reports/1", nil))
	wantStatus(t, res, body, http.StatusOK)
}

// TestNoPathReachesFiles asks for files by every path trick; none may come
// back, whatever the status.
func TestNoPathReachesFiles(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	for _, p := range []string{
		"/static/", "/static/../server.go", "/static/..%2fserver.go", "/static/%2e%2e/server.go",
		"/static/templates/layout.html", "/static//etc/passwd", "/static/../../go.mod",
		"/reports/1/..%2f..%2f..%2fgo.mod", "/reports/1/original/../../server.go", "/../../go.mod",
		"/static/style.css/..", "/static/%2fetc%2fpasswd",
	} {
		res, body := get(t, s, p)
		if res.StatusCode == http.StatusOK || strings.Contains(body, "package web") ||
			strings.Contains(body, "module github.com") || strings.Contains(body, "root:") {
			t.Errorf("GET %s: %d answers with a file: %.100q", p, res.StatusCode, body)
		}
		if loc := res.Header.Get("Location"); loc != "" && !strings.HasPrefix(loc, "/") {
			t.Errorf("GET %s redirects off the server: %q", p, loc)
		}
	}
}

func TestStoreFailureIs500(t *testing.T) {
	s, st := newTestServer(t, Options{}, turpan...)
	st.err = io.ErrUnexpectedEOF
	res, body := get(t, s, "/reports/1")
	wantStatus(t, res, body, http.StatusInternalServerError)
	if strings.Contains(body, "unexpected EOF") {
		t.Error("the page shows the internal error")
	}
	res, body = get(t, s, "/api/reports")
	wantStatus(t, res, body, http.StatusInternalServerError)
	wantJSONError(t, res, body, 500)
}

func TestStaticAssets(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	for path, ctype := range map[string]string{
		"/static/style.css": "text/css; charset=utf-8", "/static/app.js": "text/javascript; charset=utf-8",
		"/static/favicon.svg": "image/svg+xml",
	} {
		res, body := get(t, s, path)
		wantStatus(t, res, body, http.StatusOK)
		if got := res.Header.Get("Content-Type"); got != ctype {
			t.Errorf("%s: Content-Type %q, want %q", path, got, ctype)
		}
		if path != "/static/favicon.svg" && (strings.Contains(body, "http:") || strings.Contains(body, "https:") ||
			strings.Contains(body, "@import") || strings.Contains(body, "url(")) {
			t.Errorf("%s refers to something outside the binary", path)
		}
	}
}

func TestDownloads(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	res, body := get(t, s, "/reports/3/original")
	wantStatus(t, res, body, http.StatusOK)
	if body != string(readTestdata(t, "dev-002.txt")) {
		t.Error("original download differs from the uploaded bytes")
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename=dev-002.txt` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}

	res, body = get(t, s, "/reports/3/consistency.json")
	wantStatus(t, res, body, http.StatusOK)
	var ext pipeline.Extraction
	if err := json.Unmarshal([]byte(body), &ext); err != nil {
		t.Fatalf("consistency.json: %v", err)
	}
	if len(ext.Findings) != 3 || ext.Findings[1].Evidence[0].Quote != "统筹按排各项" {
		t.Errorf("consistency.json findings: %+v", ext.Findings)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment; filename*=utf-8''dev-002-") {
		t.Errorf("Content-Disposition %q", cd)
	}

	res, body = get(t, s, "/reports/3/consistency.md")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "统筹按排各项", "budget.missing_execution")

	res, body = get(t, s, "/reports/3/consistency.html")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "<html", "统筹按排各项")
}

func TestXLSXDownload(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	res, body := get(t, s, "/reports/3/consistency.xlsx")
	wantStatus(t, res, body, http.StatusOK)
	rows := readXLSX(t, []byte(body), "发现")
	if len(rows) != 4 {
		t.Fatalf("sheet 发现 has %d rows, want header + 3", len(rows))
	}
	if rows[2][12] != "text.suspected_typo" || rows[2][2] != "疑似错别字" || rows[2][5] != "统筹按排各项" || rows[2][1] != "警告" {
		t.Errorf("row of the typo finding: %q", rows[2])
	}
	summary := readXLSX(t, []byte(body), "概要")
	found := false
	for _, r := range summary {
		if len(r) > 1 && r[0] == "年初预算（万元）" && r[1] == "526" {
			found = true
		}
	}
	if !found {
		t.Errorf("sheet 概要 lacks 年初预算 526: %q", summary)
	}
}

func TestOrgPage(t *testing.T) {
	s, st := newTestServer(t, Options{}, turpan...)
	st.recurring = []pipeline.RecurringProblem{{Organization: "吐鲁番市残疾人联合会", Project: "",
		Problem: "基层康复机构专业康复人员不足", Years: []int{2021, 2022}, ReportIDs: []int64{2, 3}, Similarity: 0.92,
		Earlier: "基层康复机构专业人员不足"}}
	res, body := get(t, s, "/org?name="+url.QueryEscape("吐鲁番市残疾人联合会"))
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "部门整体", "3 个年度", "基层康复机构专业康复人员不足", "2021、2022", "92%",
		"跨年度雷同段落", `与 <a href="/reports/2">2021 年报告</a>有 1 处段落相同，共 60 字`, `href="/reports/3#k-`, "我会主要职能包括")
	score := between(body, `data-chart="score"`, "</svg>")
	if got := strings.Count(score, `class="pt"`); got != 3 {
		t.Errorf("score chart has %d points, want 3", got)
	}
	for _, y := range []string{"2020", "2021", "2022"} {
		if !strings.Contains(score, `data-year="`+y+`"`) {
			t.Errorf("score chart lacks a point for %s", y)
		}
	}
	wantContains(t, score, "band-a", ">优<", "99.05 分")
	budget := between(body, `data-chart="budget"`, "</svg>")
	if got := strings.Count(budget, `class="pt"`); got != 4 { // planned ×3, executed ×1
		t.Errorf("budget chart has %d points, want 4", got)
	}
	wantContains(t, budget, "526 万元", "491.39 万元", ">万元<", ">年度<")

	// One project asked for: "" is the department-wide series.
	res, body = get(t, s, "/org?project=&name="+url.QueryEscape("吐鲁番市残疾人联合会"))
	wantStatus(t, res, body, http.StatusOK)
	if strings.Contains(body, "只看此项目") {
		t.Error("a one-series page links to itself")
	}
	res, body = get(t, s, "/org?project=x&name="+url.QueryEscape("吐鲁番市残疾人联合会"))
	wantStatus(t, res, body, http.StatusNotFound)
}

// upload builds a multipart upload of data named name, with the token
// field when token is not "".
func uploadRequest(t testing.TB, path, name string, data []byte, token string) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if token != "" {
		mw.WriteField("token", token)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// recordingIngest stores each upload as a report of the fixture's text,
// or, with sheets, as a workbook of one report per sheet.
type recordingIngest struct {
	t      testing.TB
	st     *fakeStore
	names  []string
	fail   error
	stored map[string][]int64 // reports of each upload's bytes, as a store finds them present
	forced []bool
	sheets []string
}

func (ri *recordingIngest) ingest(ctx context.Context, name string, data []byte, force bool) ([]int64, error) {
	ri.names, ri.forced = append(ri.names, name), append(ri.forced, force)
	if ri.fail != nil {
		return nil, ri.fail
	}
	if ids, ok := ri.stored[string(data)]; ok {
		return nil, &PresentError{ReportIDs: ids}
	}
	var exts []*pipeline.Extraction
	for i := 0; i < max(1, len(ri.sheets)); i++ {
		fx := turpan[2]
		fx.file = name
		ext := fx.extraction(ri.t, readTestdata(ri.t, "dev-002.txt"))
		ext.Text = string(data)
		ext.Findings = nil
		if ri.sheets != nil {
			ext.Source.Format, ext.Source.Sheet = "xlsx", ri.sheets[i]
			ext.Report.Project, ext.Report.Kind = ri.sheets[i]+"项目", pipeline.KindProject
		}
		exts = append(exts, ext)
	}
	ids, err := ri.st.SaveReports(ctx, pipeline.Document{Name: name, SHA256: name, Format: exts[0].Source.Format}, data, exts)
	if ri.stored == nil {
		ri.stored = map[string][]int64{}
	}
	ri.stored[string(data)] = ids
	return ids, err
}

func newUploadServer(t *testing.T, opts Options) (*Server, *recordingIngest) {
	st := newFakeStore()
	ri := &recordingIngest{t: t, st: st}
	opts.Store, opts.Ingest = st, ri.ingest
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, ri
}

func TestUpload(t *testing.T) {
	s, ri := newUploadServer(t, Options{})
	res, body := get(t, s, "/upload")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `enctype="multipart/form-data"`, `name="file"`, "32 MB")
	if strings.Contains(body, `name="token"`) {
		t.Error("the form asks for a token the server does not need")
	}

	data := readTestdata(t, "dev-012.txt")
	res, body = do(t, s, uploadRequest(t, "/upload", "../../etc/dev-012.txt", data, ""))
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/reports/1?uploaded=1" {
		t.Errorf("redirect to %q", loc)
	}
	if len(ri.names) != 1 || ri.names[0] != "dev-012.txt" {
		t.Errorf("ingested names %q, want the base name only", ri.names)
	}
	res, body = get(t, s, "/reports/1?uploaded=1")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `id="upload-result"`, "已导入")

	// The same bytes again: "already present", and its report.
	res, body = do(t, s, uploadRequest(t, "/upload", "again.txt", data, ""))
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/reports/1?present=1" {
		t.Errorf("a stored file redirects to %q", loc)
	}
	_, body = get(t, s, "/reports/1?present=1")
	wantContains(t, body, `id="upload-present"`, "该文件已在库中，未重复导入")
	req := uploadRequest(t, "/api/reports", "again.txt", data, "")
	res, body = do(t, s, req)
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `"present":true`, `"id":1`)
	if ri.forced[0] {
		t.Error("an upload without the box ticked is forced")
	}

	// A PDF is accepted by its bytes, whatever its name.
	res, body = do(t, s, uploadRequest(t, "/upload", "report.bin", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), ""))
	wantStatus(t, res, body, http.StatusSeeOther)
}

// An uploaded workbook of several projects' forms leads to its first
// report, whose page links every report of the file; the API lists them
// all, and so it does when the same bytes come again.
func TestUploadOfAWorkbookLinksAllItsReports(t *testing.T) {
	s, ri := newUploadServer(t, Options{})
	ri.sheets = []string{"表1", "表2", "表3"}
	data := readTestdata(t, "dev-012.txt")
	res, body := do(t, s, uploadRequest(t, "/upload", "三个项目.xlsx", data, ""))
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/reports/1?uploaded=1" {
		t.Fatalf("redirect to %q, want the first report", loc)
	}
	res, body = get(t, s, "/reports/1?uploaded=1")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `id="upload-result"`, "文件含 3 份报告，均已导入", `id="siblings"`,
		"工作表“表1”", `href="/reports/2"`, `href="/reports/3"`, "表3项目")
	_, body = get(t, s, "/reports/2")
	wantContains(t, body, "文件：三个项目.xlsx（工作表“表2”）", `href="/reports/1"`, "原始文件（Excel）")

	res, body = do(t, s, uploadRequest(t, "/api/reports", "again.xlsx", data, ""))
	wantStatus(t, res, body, http.StatusOK)
	var resp uploadResponse
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}
	if !resp.Present || resp.ID != 1 || len(resp.Reports) != 3 || resp.Reports[2].URL != "/reports/3" || resp.Reports[1].Sheet != "表2" {
		t.Errorf("API answer for a stored workbook: %+v", resp)
	}
	res, body = do(t, s, uploadRequest(t, "/upload", "again.xlsx", data, ""))
	wantStatus(t, res, body, http.StatusSeeOther)
	_, body = get(t, s, res.Header.Get("Location"))
	wantContains(t, body, `id="upload-present"`, "这是它的第一份报告")
}

func TestUploadRefusals(t *testing.T) {
	// A GIF is no page image jixiao reads (scans come as PNG, JPEG, TIFF).
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b")
	zip := append([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), bytes.Repeat([]byte{0, 0xff, 0x13}, 50)...)
	big := bytes.Repeat([]byte("绩效自评报告。\n"), 2000) // 24 KB of good text
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
		msg    string
	}{
		{"gif named .txt", func() *http.Request { return uploadRequest(t, "/upload", "report.txt", gif, "") }, 415, "只接受 PDF、Word、Excel、扫描图像（PNG、JPEG、TIFF）或文本文件"},
		{"zip named .pdf", func() *http.Request { return uploadRequest(t, "/upload", "report.pdf", zip, "") }, 415, "不是有效的 Word/Excel 文件"},
		{"empty file", func() *http.Request { return uploadRequest(t, "/upload", "a.txt", nil, "") }, 400, "文件是空的"},
		{"oversized", func() *http.Request { return uploadRequest(t, "/upload", "big.txt", big, "") }, 413, "文件超过大小上限 16 KB"},
		{"body beyond the limit", func() *http.Request {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("note", strings.Repeat("很", 200<<10)) // 600 KB before the file
			fw, _ := mw.CreateFormFile("file", "a.txt")
			fw.Write(readTestdata(t, "dev-002.txt"))
			mw.Close()
			r := httptest.NewRequest(http.MethodPost, "/upload", &buf)
			r.Header.Set("Content-Type", mw.FormDataContentType())
			return r
		}, 413, "文件超过大小上限"},
		{"no file field", func() *http.Request {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("note", "x")
			mw.Close()
			r := httptest.NewRequest(http.MethodPost, "/upload", &buf)
			r.Header.Set("Content-Type", mw.FormDataContentType())
			return r
		}, 400, "没有收到文件"},
		{"not multipart", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/upload", strings.NewReader("file=abc"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 415, "multipart/form-data"},
		{"broken multipart", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/upload", strings.NewReader("--xyz\r\nContent-Disp"))
			r.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
			return r
		}, 400, "无法读取"},
		{"another site's form", func() *http.Request {
			r := uploadRequest(t, "/upload", "a.txt", readTestdata(t, "dev-002.txt"), "")
			r.Header.Set("Origin", "http://evil.example")
			return r
		}, 403, "其他网站"},
		{"another site's page, by Sec-Fetch-Site", func() *http.Request {
			r := uploadRequest(t, "/upload", "a.txt", readTestdata(t, "dev-002.txt"), "")
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			r.Header.Set("Origin", "null")
			return r
		}, 403, "其他网站"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ri := newUploadServer(t, Options{MaxUpload: 16 << 10})
			res, body := do(t, s, c.req())
			wantStatus(t, res, body, c.status)
			wantContains(t, body, c.msg, `<form class="upload"`)
			if len(ri.names) != 0 {
				t.Errorf("a refused upload was ingested: %q", ri.names)
			}
		})
	}
}

func TestUploadUnreadable(t *testing.T) {
	s, ri := newUploadServer(t, Options{})
	ri.fail = &UnreadableError{Reason: "a.pdf: the PDF has no text layer (a scan?)"}
	res, body := do(t, s, uploadRequest(t, "/upload", "a.pdf", []byte("%PDF-1.4 x"), ""))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "无法读取“a.pdf”", "no text layer")

	ri.fail = io.ErrClosedPipe // the store broke: not the document's fault
	res, body = do(t, s, uploadRequest(t, "/upload", "a.pdf", []byte("%PDF-1.4 x"), ""))
	wantStatus(t, res, body, http.StatusInternalServerError)

	noIngest, err := New(Options{Store: newFakeStore()})
	if err != nil {
		t.Fatal(err)
	}
	res, body = do(t, noIngest, uploadRequest(t, "/upload", "a.txt", readTestdata(t, "dev-002.txt"), ""))
	wantStatus(t, res, body, http.StatusServiceUnavailable)
}

func TestUploadToken(t *testing.T) {
	data := readTestdata(t, "dev-002.txt")
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"no token", func() *http.Request { return uploadRequest(t, "/upload", "a.txt", data, "") }, 401},
		{"wrong form token", func() *http.Request { return uploadRequest(t, "/upload", "a.txt", data, "guess") }, 401},
		{"wrong header token", func() *http.Request {
			r := uploadRequest(t, "/upload", "a.txt", data, "s3cret")
			r.Header.Set("Authorization", "Bearer guess")
			return r
		}, 401},
		{"form token", func() *http.Request { return uploadRequest(t, "/upload", "a.txt", data, "s3cret") }, 303},
		{"bearer token", func() *http.Request {
			r := uploadRequest(t, "/upload", "a.txt", data, "")
			r.Header.Set("Authorization", "Bearer s3cret")
			return r
		}, 303},
		{"api without token", func() *http.Request { return uploadRequest(t, "/api/reports", "a.txt", data, "") }, 401},
		{"api with header", func() *http.Request {
			r := uploadRequest(t, "/api/reports", "a.txt", data, "")
			r.Header.Set("X-Jixiao-Token", "s3cret")
			return r
		}, 201},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ri := newUploadServer(t, Options{Token: "s3cret"})
			res, body := do(t, s, c.req())
			wantStatus(t, res, body, c.status)
			if ingested := len(ri.names) > 0; ingested != (c.status < 400) {
				t.Errorf("ingested %v with status %d", ingested, c.status)
			}
		})
	}
	s, _ := newUploadServer(t, Options{Token: "s3cret"})
	_, body := get(t, s, "/upload")
	wantContains(t, body, `name="token"`, `type="password"`)
	if strings.Contains(body, "s3cret") {
		t.Error("the form page shows the token")
	}
}

// readXLSX returns the rows of one sheet of a workbook.
func readXLSX(t testing.TB, data []byte, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows
}
