package letter

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/docx"
	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// stored reads a corpus report as the store gives it back.
func stored(t *testing.T, name string) *pipeline.StoredReport {
	t.Helper()
	data, err := os.ReadFile("../../testdata/corpus/" + name)
	if err != nil {
		t.Fatal(err)
	}
	ext, err := (&run.Runner{}).File(context.Background(), name, data)
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline.StoredReport{ID: 1, VersionID: 1, Document: pipeline.Document{Name: name}, Extraction: ext, Text: ext.Text}
}

// A review of dev-001 with one finding confirmed, one a false alarm and
// one fixed.
func reviewed(t *testing.T) (*pipeline.StoredReport, *report.Review, [3]pipeline.Finding) {
	rep := stored(t, "dev-001.txt")
	fs := report.SortBySeverity(rep.Extraction.Findings)
	if len(fs) < 3 {
		t.Fatalf("dev-001 raises %d findings, the test needs 3", len(fs))
	}
	var marks []pipeline.Mark
	for i, st := range []string{pipeline.MarkConfirmed, pipeline.MarkFalseAlarm, pipeline.MarkFixed} {
		m := pipeline.MarkOf(1, fs[i])
		m.Status, m.Reviewer, m.At = st, "王审核", time.Date(2025, 3, 1, 9, 0, i, 0, time.UTC)
		if i == 0 {
			m.Comment = "经与决算报表核对，确有差异"
		}
		marks = append(marks, m)
	}
	rev := &report.Review{State: pipeline.ReviewState{Status: pipeline.ReviewReturned, Comment: "请补充绩效指标佐证材料"}, Marks: marks}
	return rep, rev, [3]pipeline.Finding{fs[0], fs[1], fs[2]}
}

func TestLetterNamesTheConfirmedFindingsAndTheCorrections(t *testing.T) {
	rep, rev, fs := reviewed(t)
	l := New(rep, rev, "", time.Date(2025, 3, 4, 0, 0, 0, 0, time.Local))
	r := rep.Extraction.Report
	if len(l.Findings) != 1 || l.Findings[0].Message != fs[0].Message || len(l.Fixed) != 1 || l.Fixed[0].Message != fs[2].Message {
		t.Fatalf("letter findings %+v, fixed %+v", l.Findings, l.Fixed)
	}
	want := []string{
		"绩效自评报告审核意见书", r.Organization + "：", r.Organization + "2024年度" + r.Project + "绩效自评报告",
		fs[0].Message, "审核意见：经与决算报表核对，确有差异", report.RuleName(fs[0].Rule), correction(fs[0].Rule),
		"其他意见：请补充绩效指标佐证材料", "审核人：王审核", "2025年3月4日", "已整改",
	}
	if len(fs[0].Evidence) > 0 {
		want = append(want, strings.Join(strings.Fields(fs[0].Evidence[0].Quote), " "))
	}
	var d bytes.Buffer
	if err := l.DOCX(&d); err != nil {
		t.Fatal(err)
	}
	// Word's own reader (the project's .docx loader) reads it back.
	doc, err := docx.Read(d.Bytes())
	if err != nil {
		t.Fatalf("the letter is not a readable .docx: %v", err)
	}
	var h bytes.Buffer
	if err := l.HTML(&h, ""); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"docx": doc.Text, "html": h.String()} {
		for _, s := range want {
			if !strings.Contains(text, s) {
				t.Errorf("%s lacks %q", name, s)
			}
		}
		if strings.Contains(text, fs[1].Message) {
			t.Errorf("%s names the false alarm", name)
		}
	}
	if !strings.Contains(h.String(), "<style>") || !strings.Contains(h.String(), "@page") {
		t.Error("the standalone page should carry its print style")
	}
	checkXML(t, d.Bytes())
}

// Every part of the package is well-formed XML, whatever the report says.
func checkXML(t *testing.T, data []byte) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		rc, _ := f.Open()
		dec := xml.NewDecoder(rc)
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s: %v", f.Name, err)
				break
			}
		}
		rc.Close()
	}
}

// Markup and control characters in a report's words stay text.
func TestLetterEscapesTheReportsWords(t *testing.T) {
	rep, rev, _ := reviewed(t)
	rep.Extraction.Report.Organization = `<w:p>单位&"\x01`
	rep.Document.Name = "<script>alert(1)</script>.txt"
	l := New(rep, rev, "</w:t>李", time.Now())
	var d, h bytes.Buffer
	if err := l.DOCX(&d); err != nil {
		t.Fatal(err)
	}
	checkXML(t, d.Bytes())
	if err := l.HTML(&h, "/static/letter.css"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), "<script>") || strings.Contains(h.String(), "<style>") || !strings.Contains(h.String(), `href="/static/letter.css"`) {
		t.Error("the linked page carries markup from the report or an inline style")
	}
}

func TestLetterWithoutConfirmedFindings(t *testing.T) {
	rep := stored(t, "dev-002.txt")
	l := New(rep, nil, "张审核", time.Now())
	if len(l.Findings) != 0 || !strings.Contains(strings.Join(l.Closing, ""), "未发现需要你单位整改的问题") || l.Reviewer != "张审核" {
		t.Errorf("%+v", l)
	}
}
