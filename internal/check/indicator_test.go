package check

import (
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

// tableRow builds a table row from its cells as the report printed them
// ("" weight or score: the cell is empty).
func tableRow(name, target, actual, weight, score, deviation string) pipeline.Indicator {
	ind := pipeline.Indicator{Level3: name, Target: target, Actual: actual, Deviation: deviation,
		Evidence: pipeline.Evidence{Quote: name + " " + target + " " + actual, Line: 7}}
	if weight != "" {
		w := pipeline.MustDecimal(weight)
		ind.Weight = &w
	}
	if score != "" {
		s := pipeline.MustDecimal(score)
		ind.Score = &s
	}
	return ind
}

// runTableRule runs one registered rule over a report holding the given rows.
func runTableRule(t *testing.T, id string, r *pipeline.Report) []pipeline.Finding {
	t.Helper()
	for _, rule := range Rules() {
		if rule.ID == id {
			return rule.Check(&Input{Report: r})
		}
	}
	t.Fatalf("rule %s is not registered", id)
	return nil
}

// Rows taken from the dev corpus (and the contract's example), each with
// whether the rule must fire and a piece of the message that shows the
// arithmetic.
func TestIndicatorRules(t *testing.T) {
	cases := []struct {
		rule string
		row  pipeline.Indicator
		want string // "" when the rule must stay silent
	}{
		// A missed target scored above its proportional score.
		{"indicator.score_inflated", tableRow("参训人数", "≥210人", "180人", "15", "15", ""), "按比例应得 12.86 分（15 × 180 ÷ 210），自评 15 分"},
		{"indicator.score_inflated", tableRow("救助资金拨付及时率", "100%", "61.3%", "10", "8.2", "部分资金拨付滞后，下一步加快进度。"), "按比例应得 6.13 分"},
		{"indicator.score_inflated", tableRow("居民健康素养水平", "≥25%", "19.4%", "20", "20", ""), "按比例应得 15.52 分"},
		{"indicator.score_inflated", tableRow("“三公”经费控制率", "≤100%", "116.8%", "10", "10", "受物价上涨影响，成本略有增加。"), "10 × 100% ÷ 116.8%"},
		{"indicator.score_inflated", tableRow("配置基本医疗设备数量", "≥60台（套）", "46台（套）", "10", "10", "个别单位工作推进较慢，已督促整改。"), "按比例应得 7.67 分"},
		{"indicator.score_inflated", tableRow("人均随访成本", "不超过50元", "62元", "10", "10", ""), "按比例应得 8.06 分"},
		// Not findings: over-achievement with full marks, a ≤ cost target met
		// by a smaller actual, the proportional score as stated, a gap within
		// half a point, a word actual, a qualitative row, a met row above its
		// weight (score.out_of_range's business).
		{"indicator.score_inflated", tableRow("免费开放场馆数量", "≥260个", "338个", "15", "15", ""), ""},
		{"indicator.score_inflated", tableRow("亩均建设成本", "≤2500元", "2416元", "10", "10", ""), ""},
		{"indicator.score_inflated", tableRow("残疾儿童康复救助人数", "≥1600人", "1410人", "15", "13.22", "年初指标值设置偏高。"), ""},
		{"indicator.score_inflated", tableRow("服务对象满意度", "≥90%", "88.7%", "10", "10", "略低于预期。"), ""},
		{"indicator.score_inflated", tableRow("新建高标准农田面积", "≥4万亩", "达成预期指标", "20", "20", ""), ""},
		{"indicator.score_inflated", tableRow("基层公共文化服务效能", "长期", "长期", "10", "15", ""), ""},
		{"indicator.score_inflated", tableRow("免费开放场馆数量", "≥220个", "230个", "15", "16", ""), ""},
		{"indicator.score_inflated", tableRow("送戏下乡演出场次", "不少于600场", "510场", "15", "", ""), ""},

		// A numeric target whose actual is only a word, with full marks.
		{"indicator.unverifiable_actual", tableRow("新建高标准农田面积", "≥4万亩", "达成预期指标", "20", "20", ""), "实际完成值仅填“达成预期指标”"},
		{"indicator.unverifiable_actual", tableRow("统防统治亩均补助标准", "≤13.5元", "完成", "5", "5", ""), "≤13.5元"},
		{"indicator.unverifiable_actual", tableRow("诊疗人次增长率", "≥5%", "已完成", "15", "15", ""), "却给满分 15 分"},
		{"indicator.unverifiable_actual", tableRow("资金支出进度达标率", "不低于90%", "达到预期", "10", "10", ""), "达到预期"},
		{"indicator.unverifiable_actual", tableRow("讲座按计划完成", "12月底前完成", "按期完成", "10", "10", ""), "按期完成"},
		{"indicator.unverifiable_actual", tableRow("资金支出进度达标率", "≥90%", "完成", "10", "8", ""), ""},
		{"indicator.unverifiable_actual", tableRow("基层公共文化服务效能", "长期", "长期", "10", "10", ""), ""},
		{"indicator.unverifiable_actual", tableRow("项目按期完工率", "≥95%", "97.9%", "10", "10", ""), ""},

		// A missed target with nothing in its deviation cell.
		{"indicator.deviation_unexplained", tableRow("送戏下乡演出场次", "≥600场", "510场", "15", "12.75", ""), "偏差原因分析及改进措施栏为空"},
		{"indicator.deviation_unexplained", tableRow("设备到位及时率", "≥95%", "83.7%", "10", "8.81", "无"), "只写“无”"},
		{"indicator.deviation_unexplained", tableRow("单台（套）设备平均采购成本", "≤5.2万元", "6.32万元", "10", "8.23", "暂无。"), "6.32万元 未达到年度指标值 ≤5.2万元"},
		{"indicator.deviation_unexplained", tableRow("基本公共卫生服务长效机制", "基本建立", "部分达到", "10", "7", ""), "部分达到"},
		{"indicator.deviation_unexplained", tableRow("补助资金拨付及时率", "100%", "100%", "10", "10", "无"), ""},
		{"indicator.deviation_unexplained", tableRow("群众满意度", "≥90%", "84.3%", "10", "9.37", "个别服务对象对服务时效不够满意，下一步改进服务方式。"), ""},
		{"indicator.deviation_unexplained", tableRow("新建高标准农田面积", "≥4万亩", "达成预期指标", "20", "20", ""), ""},
		{"indicator.deviation_unexplained", tableRow("亩均建设成本", "≤2500元", "2416元", "10", "10", "无"), ""},
		{"indicator.deviation_unexplained", tableRow("民政工作社会影响", "良好", "良好", "15", "15", ""), ""},

		// A target that cannot be measured.
		{"indicator.target_vague", tableRow("基层服务能力持续提升", "有所提高", "有所提高", "15", "15", ""), "“有所提高”"},
		{"indicator.target_vague", tableRow("普惠性学前教育保障机制", "效果明显", "效果明显", "10", "10", ""), "效果明显"},
		{"indicator.target_vague", tableRow("基层公共文化服务效能", "进一步提升", "进一步提升", "10", "10", ""), "进一步提升"},
		{"indicator.target_vague", tableRow("基层服务能力持续提升", "逐步改善", "逐步改善", "15", "15", ""), "逐步改善"},
		{"indicator.target_vague", tableRow("机关运转保障程度", "有效保障", "有效保障", "15", "15", ""), ""},
		{"indicator.target_vague", tableRow("民政工作社会影响", "良好", "良好", "15", "15", ""), ""},
		{"indicator.target_vague", tableRow("基层公共文化服务效能", "长期", "长期", "10", "10", ""), ""},
		{"indicator.target_vague", tableRow("群众满意度", "≥90%", "97.1%", "10", "10", ""), ""},
	}
	for _, c := range cases {
		fs := runTableRule(t, c.rule, &pipeline.Report{Indicators: []pipeline.Indicator{c.row}})
		name := c.rule + " " + c.row.Target + " / " + c.row.Actual
		if c.want == "" {
			if len(fs) != 0 {
				t.Errorf("%s: fired: %s", name, fs[0].Message)
			}
			continue
		}
		if len(fs) != 1 {
			t.Errorf("%s: %d findings, want 1", name, len(fs))
			continue
		}
		if !strings.Contains(fs[0].Message, c.want) {
			t.Errorf("%s: message %q lacks %q", name, fs[0].Message, c.want)
		}
		if len(fs[0].Evidence) != 1 || fs[0].Evidence[0] != c.row.Evidence {
			t.Errorf("%s: evidence %v, want the row's", name, fs[0].Evidence)
		}
	}
}

func TestExecutionScoreMismatch(t *testing.T) {
	row := func(weight, rate, score string) *pipeline.ExecutionRow {
		e := &pipeline.ExecutionRow{Evidence: pipeline.Evidence{Quote: "年度资金总额 … " + rate + "% " + score, Line: 9}}
		for _, f := range []struct {
			s string
			p **pipeline.Decimal
		}{{weight, &e.Weight}, {rate, &e.Rate}, {score, &e.Score}} {
			if f.s != "" {
				d := pipeline.MustDecimal(f.s)
				*f.p = &d
			}
		}
		return e
	}
	cases := []struct {
		row  *pipeline.ExecutionRow
		want string
	}{
		{row("10", "91.3", "8.3"), "预算执行率 91.3% × 分值 10 = 9.13 分（不超过分值），表中得分 8.3 分，相差 0.83 分"},
		{row("10", "100", "9.46"), "= 10 分"},
		{row("10", "86.50", "7.65"), "= 8.65 分"},
		{row("10", "99.20", "9"), "相差 0.92 分"},
		{row("10", "94.38", "9.44"), ""},  // the domain's example
		{row("10", "98.99", "9.90"), ""},  // rounded to two decimals
		{row("10", "105.6", "10.00"), ""}, // capped at the weight
		{row("10", "97.76", "9.78"), ""},
		{row("10", "", "9"), ""}, // no rate, nothing to compare
		{nil, ""},
	}
	for _, c := range cases {
		fs := runTableRule(t, "budget.execution_score_mismatch", &pipeline.Report{ExecutionRow: c.row})
		if c.want == "" {
			if len(fs) != 0 {
				t.Errorf("%v: fired: %s", c.row, fs[0].Message)
			}
			continue
		}
		if len(fs) != 1 || !strings.Contains(fs[0].Message, c.want) {
			t.Errorf("%v: %v, want a message with %q", c.row, fs, c.want)
			continue
		}
		if fs[0].Evidence[0] != c.row.Evidence {
			t.Errorf("evidence %v, want the row's", fs[0].Evidence)
		}
	}
}
