package money

import (
	"testing"
	"unicode/utf8"
)

func TestFind(t *testing.T) {
	cases := []struct {
		text string
		fen  []int64
		half []int64
	}{
		{"红十字专项业务费年初安排资金 240 万元。其中", []int64{240000000}, []int64{500000}},
		{"装备的仓储、维护、管理及运转费用 76.3 万元，用于", []int64{76300000}, []int64{50000}},
		{"年初预算数为3,378万元，资金来源", []int64{3378000000}, []int64{500000}},
		{"实际支出3,330.14 万元。", []int64{3330140000}, []int64{5000}},
		{"全年预算数2,400,000.00元", []int64{240000000}, []int64{0}},
		{"安排2400000元", []int64{240000000}, []int64{50}},
		{"安排资金0.024亿元", []int64{240000000}, []int64{5000000}},
		{"人民币贰佰肆拾万元整", []int64{240000000}, []int64{500000}},
		{"二百四十万元", []int64{240000000}, []int64{500000}},
		{"共计２４０万元", []int64{240000000}, []int64{500000}},
		{"预算2400千元", []int64{240000000}, []int64{50000}},
		{"安排资金240万，其中", []int64{240000000}, []int64{500000}},
		{"运转费用 76. 3万元", []int64{76300000}, []int64{50000}},
		{"培训 30 万 元", []int64{30000000}, []int64{500000}},
		{"一千二百三十四万五千元", []int64{1234500000}, []int64{50}},
		{"新建高标准农田面积≥4万亩", nil, nil},
		{"服务1.2万人次", nil, nil},
		{"〔2020〕10号文", nil, nil},
		{"2022年5月", nil, nil},
		{"基本支出355.00万元，项目支出136.00万元", []int64{355000000, 136000000}, []int64{5000, 5000}},
	}
	for _, c := range cases {
		ms := Find(c.text)
		if len(ms) != len(c.fen) {
			t.Errorf("%q: found %d amounts %+v, want %d", c.text, len(ms), ms, len(c.fen))
			continue
		}
		for i, m := range ms {
			if m.Amount.Fen != c.fen[i] || m.Amount.HalfUnitFen != c.half[i] {
				t.Errorf("%q #%d: got %d±%d fen, want %d±%d", c.text, i, m.Amount.Fen, m.Amount.HalfUnitFen, c.fen[i], c.half[i])
			}
			if c.text[m.Start:m.End] == "" {
				t.Errorf("%q: empty match", c.text)
			}
		}
	}
}

func TestParse(t *testing.T) {
	good := map[string]int64{"240万元": 240000000, " 人民币240万元 ": 240000000, "85万元": 85000000, "12.5元": 1250}
	for s, want := range good {
		a, err := Parse(s)
		if err != nil || a.Fen != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", s, a.Fen, err, want)
		}
	}
	for _, s := range []string{"", "240", "万元", "240万元 85万元", "约240万元"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", s)
		}
	}
}

func TestParseNumber(t *testing.T) {
	a, err := ParseNumber("3378.00", "万元")
	if err != nil || a.Fen != 3378000000 {
		t.Fatalf("got %d %v", a.Fen, err)
	}
	if _, err := ParseNumber("—", "万元"); err == nil {
		t.Fatal("dash parsed as a number")
	}
}

func TestPercents(t *testing.T) {
	cases := map[string]string{
		"预算执行率为96.5%。":    "96.5",
		"执行率 98.58 ％":     "98.58",
		"百分之九十八点五":        "98.5",
		"满意度达百分之九十五以上":    "95",
		"完工率≥95%，实际97.9%": "95",
	}
	for s, want := range cases {
		ps := FindPercents(s)
		if len(ps) == 0 || ps[0].Value.Trim() != want {
			t.Errorf("%q: got %+v, want %s", s, ps, want)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"240 万元", "76. 3万元", "贰佰肆拾万元", "3,378.14万元", "百分之九十八点五", "一千二百三十四万五千亿元", "9999999999999999999999万元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range Find(s) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End {
				t.Fatalf("bad span %d..%d in %q", m.Start, m.End, s)
			}
			if !utf8.ValidString(s[m.Start:m.End]) && utf8.ValidString(s) {
				t.Fatalf("span cuts a rune")
			}
			if m.Amount.Fen < 0 {
				t.Fatalf("negative amount %d", m.Amount.Fen)
			}
		}
		FindPercents(s)
		ParseDecimal(s)
	})
}
