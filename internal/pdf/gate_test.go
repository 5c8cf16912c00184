package pdf

import (
	"strings"
	"testing"
)

func TestGate(t *testing.T) {
	cases := []struct {
		name           string
		text           string
		fast, fallback bool
	}{
		{"report", "红十字专项业务费年初安排资金240万元，执行率94.38%。", true, true},
		{"bilingual title", "شىنجاڭ ئۇيغۇر ئاپتونوم رايونى 新疆维吾尔自治区红十字会2022年度项目支出绩效自评报告", true, true},
		{"glyph numbers read as code points", "ʋɉƂǡȟ˕ʈψϒЖӛԭՁ؊ܐࡒঅਫ਼ઙଡ", false, false},
		{"one replacement character in a page", strings.Repeat("项目资金执行情况分析", 20) + "\uFFFD", false, true},
		{"mostly replacement characters", "项目\uFFFD\uFFFD资金", false, false},
		{"empty", " \n ", false, false},
	}
	for _, c := range cases {
		q := gate([]string{c.text})
		if q.fastOK() != c.fast || q.pdfiumOK() != c.fallback {
			t.Errorf("%s: fastOK %v pdfiumOK %v, want %v %v (%s)", c.name, q.fastOK(), q.pdfiumOK(), c.fast, c.fallback, q)
		}
	}
}
