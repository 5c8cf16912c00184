package run

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/textload"
)

func TestBadInput(t *testing.T) {
	junk := make([]byte, 1<<16)
	for i := range junk {
		junk[i] = byte(i*7919 + i>>3)
	}
	huge := bytes.Repeat([]byte("红十字专项业务费年初安排资金 240 万元。\n"), 100<<20/50)
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty file", nil, textload.ErrEmpty},
		{"binary junk", junk, textload.ErrBinary},
		{"a 100 MB text file", huge, ErrTooLarge},
		{"a PDF without an engine", []byte("%PDF-1.4\n"), ErrNoPDFEngine},
	}
	r := &Runner{}
	for _, c := range cases {
		ext, err := r.File(context.Background(), "bad.txt", c.data)
		if ext != nil || !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "bad.txt: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q should be one line naming the file", c.name, err)
		}
	}
}

// A text that is not a report gives an extraction with nulls and one
// warning that it is not a report, not a list of template findings.
func TestNotAReport(t *testing.T) {
	ext, err := (&Runner{}).File(context.Background(), "notice.txt", []byte("关于召开工作会议的通知\n各科室：定于下周一上午九点在三楼会议室召开工作会议，请准时参加。\n办公室\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := ext.Report
	if r.Year != 0 || r.Budget.Planned != nil || r.Score != nil || r.Grade != "" || len(r.LineItems) != 0 {
		t.Errorf("invented values: %+v", r)
	}
	if len(ext.Findings) != 1 || ext.Findings[0].Rule != "document.not_a_report" {
		t.Errorf("findings %+v", ext.Findings)
	}
}
