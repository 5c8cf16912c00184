package web

import (
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

const fragment = "2022年我会年初预算数为526.00 万元，其中：基本支出339.00 万元，项目支出187.00 万元。经年中调整，全年预算数为495.60 万元。"

// The web page and the HTML report mark the same occurrence of a quote
// that stands twice: the one at, or nearest to, the evidence's offset. An
// offset a little off (the text normalised again) still means the second.
func TestWebAndReportMarkTheSameOccurrence(t *testing.T) {
	ext := pipeline.NewExtraction()
	ext.Source.Name = "r.txt"
	ext.Text = "资金 240 万元用于设备购置；宣传经费 85 万元已支付；资金 240 万元用于人员培训。"
	second := strings.LastIndex(ext.Text, "资金 240 万元")
	ext.Findings = []pipeline.Finding{{Rule: "budget.sum_mismatch", Severity: pipeline.SeverityError, Message: "合计不符",
		Evidence: []pipeline.Evidence{{Quote: "资金 240 万元", Offset: second - 3}}}}
	d := buildReportData(&pipeline.StoredReport{ID: 1, Extraction: ext}, &report.Review{}, nil)
	at := 0
	for _, s := range d.Segments {
		if s.Class != "" {
			break
		}
		at += len(s.Text)
	}
	if at != second {
		t.Errorf("the web page marks the quote at byte %d, want the second occurrence at %d", at, second)
	}
	var b strings.Builder
	if err := report.HTML(&b, ext); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	body := page[strings.Index(page, `<div class="body">`):]
	if before := body[:strings.Index(body, "<mark")]; !strings.Contains(before, "资金 240 万元用于设备购置") {
		t.Errorf("the HTML report marks the first occurrence: %s", body[:min(len(body), 300)])
	}
}

func joinSegments(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}

func TestSegmentTextOverlaps(t *testing.T) {
	text := fragment
	planned := strings.Index(text, "年初预算数为526.00 万元")
	items := strings.Index(text, "基本支出")
	spans := []span{
		// An error over the planned budget and its first item …
		{start: planned, end: items + len("基本支出339.00 万元"), anchor: "ev-1-1", finding: 1, severity: pipeline.SeverityError, label: "错误：合计不符"},
		// … a warning over the planned budget alone …
		{start: planned, end: planned + len("年初预算数为526.00 万元"), anchor: "ev-2-1", finding: 2, severity: pipeline.SeverityWarning, label: "警告：缺执行数"},
		// … and the field's own evidence on the same words.
		{start: planned, end: planned + len("年初预算数为526.00 万元"), anchor: "field-planned", label: "字段来源：年初预算"},
		{start: 0, end: len("2022年"), anchor: "field-year", label: "字段来源：年度"},
	}
	segs := segmentText(text, spans)
	if got := joinSegments(segs); got != text {
		t.Fatalf("segments do not rebuild the text:\n%q", got)
	}
	want := []struct {
		text, class, findings string
		anchors               []string
	}{
		{"2022年", "fld", "", []string{"field-year"}},
		{"我会", "", "", nil},
		{"年初预算数为526.00 万元", "ev sev-error", "1 2", []string{"ev-1-1", "ev-2-1", "field-planned"}},
		{"，其中：基本支出339.00 万元", "ev sev-error", "1", nil},
		{"，项目支出187.00 万元。经年中调整，全年预算数为495.60 万元。", "", "", nil},
	}
	if len(segs) != len(want) {
		t.Fatalf("%d segments, want %d: %+v", len(segs), len(want), segs)
	}
	for i, w := range want {
		s := segs[i]
		if s.Text != w.text || s.Class != w.class || s.Findings != w.findings || strings.Join(s.Anchors, ",") != strings.Join(w.anchors, ",") {
			t.Errorf("segment %d = %+v\nwant %+v", i, s, w)
		}
	}
	if segs[2].Title != "错误：合计不符；警告：缺执行数；字段来源：年初预算" {
		t.Errorf("title %q", segs[2].Title)
	}
}

func TestSegmentTextPlain(t *testing.T) {
	segs := segmentText(fragment, nil)
	if len(segs) != 1 || segs[0].Text != fragment || segs[0].Class != "" {
		t.Errorf("text without evidence: %+v", segs)
	}
	// An empty span's anchor still lands in the text, at its place, and at
	// the very end too.
	segs = segmentText("甲乙", []span{{start: 3, end: 3, anchor: "ev-1-1", finding: 1, severity: "error"}})
	if joinSegments(segs) != "甲乙" || len(segs) != 2 || segs[1].Text != "乙" || segs[1].Anchors[0] != "ev-1-1" {
		t.Errorf("empty span: %+v", segs)
	}
	segs = segmentText("甲乙", []span{{start: 6, end: 6, anchor: "ev-1-1", finding: 1, severity: "error"}})
	if joinSegments(segs) != "甲乙" || len(segs) != 2 || segs[1].Text != "" || segs[1].Anchors[0] != "ev-1-1" {
		t.Errorf("empty span at the end: %+v", segs)
	}
}

// A report page places every finding's evidence, counts what it cannot
// place, and links each field to its evidence.
func TestBuildReportData(t *testing.T) {
	ext := turpan[2].extraction(t, readTestdata(t, "dev-002.txt"))
	ext.Findings = append(ext.Findings, pipeline.Finding{Rule: "x.y", Severity: "error", Message: "引文不在正文中",
		Evidence: []pipeline.Evidence{{Quote: "这句话不在报告里"}}})
	d := buildReportData(&pipeline.StoredReport{ID: 7, Extraction: ext}, &report.Review{}, nil)
	// Most serious first: the error leads.
	if d.Unplaced != 1 || d.Findings[0].Rule != "x.y" || d.Findings[0].Evidence[0].Placed {
		t.Errorf("unplaced %d", d.Unplaced)
	}
	if d.Counts["warning"] != 2 || d.Counts["info"] != 1 || d.Counts["error"] != 1 {
		t.Errorf("counts %v", d.Counts)
	}
	if d.FieldLinks["planned"] != "field-planned" || d.FieldLinks["score"] != "" {
		t.Errorf("field links %v", d.FieldLinks)
	}
	if joinSegments(d.Segments) != ext.Text {
		t.Error("the segments do not rebuild the text")
	}
	if d.OriginalURL != "/reports/7/original" || len(d.Downloads) != 4 || d.Downloads[3].URL != "/reports/7/consistency.xlsx" {
		t.Errorf("downloads %q %+v", d.OriginalURL, d.Downloads)
	}
}
