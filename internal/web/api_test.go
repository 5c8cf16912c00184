package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

func decodeJSON(t testing.TB, res *http.Response, body string, v any) {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("body is not JSON: %v\n%.300s", err, body)
	}
}

func wantJSONError(t testing.TB, res *http.Response, body string, status int) apiError {
	t.Helper()
	var e apiError
	decodeJSON(t, res, body, &e)
	if e.Status != status || res.StatusCode != status || e.Message == "" {
		t.Errorf("error %d %+v, want status %d with a message", res.StatusCode, e, status)
	}
	return e
}

func TestAPIReports(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	res, body := get(t, s, "/api/reports?sort=-year")
	wantStatus(t, res, body, http.StatusOK)
	var list reportsResponse
	decodeJSON(t, res, body, &list)
	if list.Total != 3 || len(list.Reports) != 3 || list.Reports[0].Year != 2022 || list.Reports[0].Warnings != 2 || list.Reports[0].Infos != 1 {
		t.Errorf("list: %+v", list)
	}
	if list.Reports[0].Score == nil || list.Reports[0].Score.Trim() != "93.35" {
		t.Errorf("score of 2022: %v", list.Reports[0].Score)
	}

	res, body = get(t, s, "/api/reports?limit=1&offset=1&sort=year")
	wantStatus(t, res, body, http.StatusOK)
	decodeJSON(t, res, body, &list)
	if list.Total != 3 || len(list.Reports) != 1 || list.Reports[0].Year != 2021 || list.Limit != 1 || list.Offset != 1 {
		t.Errorf("paged list: %+v", list)
	}

	res, body = get(t, s, "/api/reports?organization="+url.QueryEscape("别处"))
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `"reports":[]`) {
		t.Errorf("an empty list is not []: %s", body)
	}

	for _, q := range []string{"limit=0", "limit=100000", "limit=x", "offset=-1", "year=x", "sort=x", "grade=A"} {
		res, body := get(t, s, "/api/reports?"+q)
		wantJSONError(t, res, body, http.StatusBadRequest)
	}
}

func TestAPIReport(t *testing.T) {
	s, _ := newTestServer(t, Options{}, turpan...)
	res, body := get(t, s, "/api/reports/3")
	wantStatus(t, res, body, http.StatusOK)
	var got struct {
		ID         int64               `json:"id"`
		Document   pipeline.Document   `json:"document"`
		Extraction pipeline.Extraction `json:"extraction"`
		Text       string              `json:"text"`
	}
	decodeJSON(t, res, body, &got)
	if got.ID != 3 || got.Document.Name != "dev-002.txt" || got.Extraction.Report.Year != 2022 {
		t.Errorf("report: id %d, name %q, year %d", got.ID, got.Document.Name, got.Extraction.Report.Year)
	}
	ev := got.Extraction.Findings[1].Evidence[0]
	if got.Text[ev.Offset:ev.Offset+len(ev.Quote)] != ev.Quote {
		t.Error("the evidence offset does not point at its quote in the returned text")
	}
	if got.Extraction.Report.Budget.Planned == nil || got.Extraction.Report.Budget.Planned.Fen != 526000000 {
		t.Errorf("planned: %v", got.Extraction.Report.Budget.Planned)
	}

	for path, status := range map[string]int{
		"/api/reports/abc": 400, "/api/reports/0": 400, "/api/reports/-1": 400, "/api/reports/4": 404,
		"/api/nothing": 404, "/api/reports/1/extra": 404, "/api/": 404,
	} {
		res, body := get(t, s, path)
		wantJSONError(t, res, body, status)
	}
	for _, c := range []struct{ method, path string }{
		{http.MethodDelete, "/api/reports/1"}, {http.MethodPost, "/api/reports/1"}, {http.MethodPut, "/api/reports"},
		{http.MethodPost, "/api/trends"}, {http.MethodDelete, "/api/problems/recurring"},
	} {
		res, body := do(t, s, httptest.NewRequest(c.method, c.path, nil))
		wantJSONError(t, res, body, http.StatusMethodNotAllowed)
	}
}

func TestAPITrends(t *testing.T) {
	s, st := newTestServer(t, Options{}, turpan...)
	st.recurring = []pipeline.RecurringProblem{{Organization: "吐鲁番市残疾人联合会", Problem: "康复人员不足",
		Years: []int{2021, 2022}, ReportIDs: []int64{2, 3}}}
	res, body := get(t, s, "/api/trends?organization="+url.QueryEscape("吐鲁番市残疾人联合会"))
	wantStatus(t, res, body, http.StatusOK)
	var tr trendResponse
	decodeJSON(t, res, body, &tr)
	if len(tr.Points) != 3 || tr.Points[0].Year != 2020 || tr.Points[2].ReportID != 3 {
		t.Fatalf("trend: %+v", tr)
	}
	if !strings.Contains(body, `"planned_yuan":5260000`) || !strings.Contains(body, `"executed_yuan":null`) {
		t.Errorf("amounts are not yuan numbers, or an unstated one is not null: %s", body)
	}

	res, body = get(t, s, "/api/trends")
	wantJSONError(t, res, body, http.StatusBadRequest)
	res, body = get(t, s, "/api/trends?organization=x")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `"points":[]`) {
		t.Errorf("an unknown series is not an empty list: %s", body)
	}

	res, body = get(t, s, "/api/problems/recurring?organization="+url.QueryEscape("吐鲁番市残疾人联合会"))
	wantStatus(t, res, body, http.StatusOK)
	var rp recurringResponse
	decodeJSON(t, res, body, &rp)
	if len(rp.Problems) != 1 || rp.Problems[0].Problem != "康复人员不足" {
		t.Errorf("recurring: %+v", rp)
	}
	res, body = get(t, s, "/api/problems/recurring?organization=x")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `"problems":[]`) {
		t.Errorf("no recurring problems is not []: %s", body)
	}
}

func TestAPIUpload(t *testing.T) {
	s, ri := newUploadServer(t, Options{MaxUpload: 1 << 20})
	res, body := do(t, s, uploadRequest(t, "/api/reports", "dev-030.txt", readTestdata(t, "dev-030.txt"), ""))
	wantStatus(t, res, body, http.StatusCreated)
	var up uploadResponse
	decodeJSON(t, res, body, &up)
	if up.ID != 1 || up.URL != "/reports/1" || res.Header.Get("Location") != "/reports/1" || len(ri.names) != 1 {
		t.Errorf("upload: %+v, Location %q", up, res.Header.Get("Location"))
	}
	res, body = do(t, s, uploadRequest(t, "/api/reports", "x.txt", []byte("\x00\x01\x02\x03binary\x00"), ""))
	wantJSONError(t, res, body, http.StatusUnsupportedMediaType)
}
