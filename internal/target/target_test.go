package target

import (
	"math/big"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

// Every form of 年度指标值 that spec/domain.md lists, and the words a table
// puts in its place.
func TestParse(t *testing.T) {
	cases := []struct {
		in     string
		kind   Kind
		op     Op
		number string
		unit   string
	}{
		{"≥210人", Quantity, GE, "210", "人"},
		{"≤30万元", Quantity, LE, "30", "万元"},
		{"=100%", Quantity, EQ, "100", "%"},
		{"＞95%", Quantity, GT, "95", "%"},
		{"＜5%", Quantity, LT, "5", "%"},
		{"98%以上", Quantity, GE, "98", "%"},
		{"90%及以上", Quantity, GE, "90", "%"},
		{"不低于90%", Quantity, GE, "90", "%"},
		{"不少于1000人次", Quantity, GE, "1000", "人次"},
		{"不超过5%", Quantity, LE, "5", "%"},
		{"5%以下", Quantity, LE, "5", "%"},
		{"控制在3%以内", Quantity, LE, "3", "%"},
		{"高于80%", Quantity, GT, "80", "%"},
		{"低于2%", Quantity, LT, "2", "%"},
		{"≥76台（套）", Quantity, GE, "76", "台（套）"},
		{"≥76台(套)", Quantity, GE, "76", "台（套）"},
		{">=95%", Quantity, GE, "95", "%"},
		{"≧95％", Quantity, GE, "95", "%"},
		{"≥ 4 万亩", Quantity, GE, "4", "万亩"},
		{"≤6.1万元", Quantity, LE, "6.1", "万元"},
		{"≥1,100人", Quantity, GE, "1100", "人"},
		{"≥１１００人", Quantity, GE, "1100", "人"},
		{"100%", Quantity, None, "100", "%"},
		{"1500", Quantity, None, "1500", ""},
		{"2416元", Quantity, None, "2416", "元"},
		{"30场以上", Quantity, GE, "30", "场"},
		{"百分之九十五", Quantity, None, "95", "%"},
		{"不低于百分之九十", Quantity, GE, "90", "%"},
		{"12月底前完成", Deadline, LE, "12", "月"},
		{"2022年11月底前", Deadline, LE, "11", "月"},
		{"10月31日前", Deadline, LE, "10", "月"},
		{"年底前完成", Deadline, LE, "12", "月"},
		{"11月完成", Deadline, None, "11", "月"},
		{"按期完成", Qualitative, None, "", ""},
		{"符合规定", Qualitative, None, "", ""},
		{"长期", Qualitative, None, "", ""},
		{"良好", Qualitative, None, "", ""},
		{"有效保障", Qualitative, None, "", ""},
		{"基本建立", Qualitative, None, "", ""},
		{"完成", Qualitative, None, "", ""},
		{"已完成", Qualitative, None, "", ""},
		{"达成预期指标", Qualitative, None, "", ""},
		{"达到预期", Qualitative, None, "", ""},
		{"有所提高", Vague, None, "", ""},
		{"效果明显", Vague, None, "", ""},
		{"逐步改善", Vague, None, "", ""},
		{"进一步提升", Vague, None, "", ""},
		{"明显改善", Vague, None, "", ""},
		{"较上年有所提高", Vague, None, "", ""},
		{"服务水平显著提升", Vague, None, "", ""},
		{"", Empty, None, "", ""},
		{"—", Empty, None, "", ""},
		{"/", Empty, None, "", ""},
	}
	for _, c := range cases {
		v := Parse(c.in)
		if v.Kind != c.kind || v.Op != c.op || v.Unit != c.unit {
			t.Errorf("Parse(%q) = kind %v op %q unit %q; want %v %q %q", c.in, v.Kind, v.Op, v.Unit, c.kind, c.op, c.unit)
		}
		if c.number != "" && v.Number.Cmp(pipeline.MustDecimal(c.number)) != 0 {
			t.Errorf("Parse(%q).Number = %s, want %s", c.in, v.Number, c.number)
		}
		if v.Raw != strings.TrimSpace(c.in) {
			t.Errorf("Parse(%q).Raw = %q", c.in, v.Raw)
		}
	}
}

func TestDirection(t *testing.T) {
	more := []string{"≥210人", "＞95%", "98%以上", "不低于90%", "不少于1000人次", "100%", "1500", "=100%"}
	less := []string{"≤30万元", "不超过5%", "5%以下", "＜5%", "低于2%", "12月底前完成", "控制在3%以内"}
	for _, s := range more {
		if !Parse(s).MoreIsBetter() {
			t.Errorf("%s: want more is better", s)
		}
	}
	for _, s := range less {
		if Parse(s).MoreIsBetter() {
			t.Errorf("%s: want less is better", s)
		}
	}
}

// Cases from the dev corpus and both directions of every operator.
func TestCompare(t *testing.T) {
	cases := []struct {
		target, actual string
		want           Outcome
	}{
		{"≥210人", "180人", Missed},
		{"≥210人", "210人", Met},
		{"≥260个", "291个", Met}, // over-achievement
		{"＞95%", "95%", Missed},
		{"＞95%", "95.1%", Met},
		{"=100%", "100%", Met},
		{"=100%", "98%", Missed},
		{"100%", "61.3%", Missed},
		{"98%以上", "97.9%", Missed},
		{"不低于90%", "90%", Met},
		{"不少于1000人次", "999人次", Missed},
		{"≤2500元", "2416元", Met}, // a cost target met by a smaller actual
		{"≤100%", "116.8%", Missed},
		{"≤5.2万元", "6.32万元", Missed},
		{"不超过5%", "5%", Met},
		{"不超过5%", "5.5%", Missed},
		{"＜5%", "5%", Missed},
		{"≥4万亩", "46000亩", Met}, // 万 scales
		{"≥4万公里", "4万公里", Met},  // equal counts as met
		{"≤30万元", "310000元", Missed},
		{"≤30万元", "0.003亿元", Met},
		{"≥95%", "0.96", Met}, // a fraction against a percentage
		{"≥1100人", "1064人次", Missed},
		{"≥15年", "≥15年", Met},
		{"12月底前完成", "11月完成", Met},
		{"11月底前", "12月", Missed},
		{"2022年12月底前", "2023年1月", Missed},
		{"2022年12月底前", "2022年10月", Met},
		{"≥4万亩", "达成预期指标", Incomparable},
		{"长期", "长期", Incomparable},
		{"≥90%", "95人", Incomparable},
		{"≥5%", "", Incomparable},
	}
	for _, c := range cases {
		if got := Compare(Parse(c.target), Parse(c.actual)); got != c.want {
			t.Errorf("Compare(%q, %q) = %v, want %v", c.target, c.actual, got, c.want)
		}
	}
}

func TestProportional(t *testing.T) {
	cases := []struct {
		weight, target, actual string
		want                   string // two decimals; "" when not measurable
		formula                string
	}{
		{"15", "≥210人", "180人", "12.86", "15 × 180 ÷ 210"},
		{"15", "≥1600人", "1410人", "13.22", "15 × 1410 ÷ 1600"},
		{"10", "100%", "61.3%", "6.13", "10 × 61.3% ÷ 100%"},
		{"10", "≤100%", "116.8%", "8.56", "10 × 100% ÷ 116.8%"},
		{"10", "≤5.2万元", "6.32万元", "8.23", "10 × 5.2 ÷ 6.32"},
		{"10", "不超过50元", "62元", "8.06", "10 × 50 ÷ 62"},
		{"20", "≥25%", "19.4%", "15.52", "20 × 19.4% ÷ 25%"},
		{"15", "≥260个", "291个", "15.00", ""},   // over-achievement: full weight, never more
		{"10", "≤2500元", "2416元", "10.00", ""}, // cost met
		{"10", "=100%", "102%", "9.80", "10 × 100% ÷ 102%"},
		{"10", "≥5%", "已完成", "", ""},
		{"10", "良好", "良好", "", ""},
		{"10", "12月底前", "次年1月", "", ""},
		{"10", "≥0人", "0人", "10.00", ""},
		{"10", "≤0起", "2起", "0.00", ""},
	}
	for _, c := range cases {
		w := pipeline.MustDecimal(c.weight)
		tv, av := Parse(c.target), Parse(c.actual)
		got, ok := Proportional(w, tv, av)
		if c.want == "" {
			if ok {
				t.Errorf("Proportional(%s, %s, %s) = %s, want not measurable", c.weight, c.target, c.actual, got.FloatString(2))
			}
			continue
		}
		if !ok || pipeline.DecimalFromRat(got, 2).String() != c.want {
			t.Errorf("Proportional(%s, %s, %s) = %v %v, want %s", c.weight, c.target, c.actual, got, ok, c.want)
		}
		if c.formula != "" && Formula(w, tv, av) != c.formula {
			t.Errorf("Formula(%s, %s, %s) = %q, want %q", c.weight, c.target, c.actual, Formula(w, tv, av), c.formula)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"≥210人", "≤30万元", "=100%", "＞95%", "98%以上", "不低于90%", "不少于1000人次",
		"不超过5%", "12月底前完成", "1500", "按期完成", "有所提高", "2022年13月底前", "百分之九十五", "≥1,100.5万人次", "0.003亿元",
		"≤99999999999999999999元", "12月", "年底前"} {
		f.Add(s, "97.5%")
	}
	f.Fuzz(func(t *testing.T, target, actual string) {
		tv, av := Parse(target), Parse(actual)
		if tv.Raw != strings.TrimSpace(target) {
			t.Fatalf("Raw %q lost the cell %q", tv.Raw, target)
		}
		if tv.Kind == Quantity || tv.Kind == Deadline {
			if Compare(tv, tv) == Incomparable {
				t.Fatalf("%q is not comparable with itself", target)
			}
		}
		w := pipeline.MustDecimal("15")
		if p, ok := Proportional(w, tv, av); ok {
			if p.Sign() < 0 || p.Cmp(new(big.Rat).SetInt64(15)) > 0 {
				t.Fatalf("Proportional(15, %q, %q) = %s outside 0..15", target, actual, p.FloatString(4))
			}
			_ = Formula(w, tv, av)
		}
		_ = tv.String()
	})
}
