package check

import (
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

// The table of dev-033 (健康素养 missed with full marks, a qualitative row
// partly achieved) re-scored row by row.
func TestAudit(t *testing.T) {
	dec := func(s string) *pipeline.Decimal { d := pipeline.MustDecimal(s); return &d }
	r := &pipeline.Report{
		ExecutionRow: &pipeline.ExecutionRow{Weight: dec("10"), Rate: dec("96.5"), Score: dec("9.65")},
		Indicators: []pipeline.Indicator{
			tableRow("高血压患者规范管理人数", "≥30000人", "32104人", "10", "10", ""),
			tableRow("居民健康素养水平", "≥25%", "19.4%", "20", "20", ""),
			tableRow("亩均建设成本", "≤2500元", "2416元", "10", "10", "无"),
			tableRow("新建高标准农田面积", "≥4万亩", "达成预期指标", "20", "20", ""),
			tableRow("基本公共卫生服务长效机制", "基本建立", "部分达到", "10", "7.0", "受外部因素影响。"),
			tableRow("基层公共文化服务效能", "长期", "长期", "10", "15", ""),
			tableRow("满意度", "≥90%", "", "", "", ""),
		},
		TableTotal: dec("91.65"),
	}
	a := Audit(r)
	want := []struct {
		name, status, recomputed, difference, arithmetic string
	}{
		{"预算执行率", StatusMissed, "9.65", "0.00", "10 × 96.5% = 9.65 分"},
		{"高血压患者规范管理人数", StatusMet, "10", "0", "得满分 10 分"},
		{"居民健康素养水平", StatusMissed, "15.52", "4.48", "按比例 20 × 19.4% ÷ 25% = 15.52 分"},
		{"亩均建设成本", StatusMet, "10", "0", "2416元 达到年度指标值 ≤2500元"},
		{"新建高标准农田面积", StatusUnverifiable, "20", "0", "不是数值"},
		{"基本公共卫生服务长效机制", StatusQualitative, "7.0", "0.0", "定性指标"},
		{"基层公共文化服务效能", StatusQualitative, "10", "5", "不超过分值"},
		{"满意度", StatusUnknown, "", "", "分值缺失"},
	}
	if len(a.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(a.Rows), len(want))
	}
	for i, w := range want {
		g := a.Rows[i]
		if g.Name != w.name || g.Status != w.status || auditDec(g.Recomputed) != w.recomputed || auditDec(g.Difference) != w.difference ||
			!strings.Contains(g.Arithmetic, w.arithmetic) {
			t.Errorf("row %d: %s %s recomputed %s diff %s %q;\nwant %+v", i, g.Name, g.Status, auditDec(g.Recomputed), auditDec(g.Difference), g.Arithmetic, w)
		}
	}
	// 9.65 + 10 + 15.52 + 10 + 20 + 7 + 10
	if auditDec(a.RecomputedTotal) != "82.17" || auditDec(a.StatedTotal) != "91.65" {
		t.Errorf("totals: stated %s recomputed %s", auditDec(a.StatedTotal), auditDec(a.RecomputedTotal))
	}
	if Audit(&pipeline.Report{}) != nil {
		t.Error("a report without a table has no audit")
	}
}

func auditDec(d *pipeline.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}
