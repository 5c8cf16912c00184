// Package target reads the cells of a self-evaluation table that state an
// indicator's 年度指标值 (target) or 实际完成值 (actual): an operator, an
// exact number and a unit (`≥210人`, `不超过5%`, `98%以上`, `12月底前完成`),
// or words (按期完成, 达成预期指标, 有所提高). It compares an actual with its
// target and computes the proportional score a reviewer gives a missed row.
package target

import (
	"math/big"
	"regexp"
	"strings"

	"github.com/jixiao/jixiao/internal/money"
	"github.com/jixiao/jixiao/pipeline"
)

// Op is the comparison a target asks for.
type Op string

// Operators. None is a bare number, read as "at least".
const (
	None Op = ""
	GE   Op = "≥"
	GT   Op = ">"
	LE   Op = "≤"
	LT   Op = "<"
	EQ   Op = "="
)

// Kind says what a cell states.
type Kind int

const (
	// Empty is a blank cell or a dash.
	Empty Kind = iota
	// Quantity is a number with an optional operator and unit.
	Quantity
	// Deadline is a month to finish by (12月底前完成) or a month reached (11月完成).
	Deadline
	// Qualitative is words that can be judged but not measured (按期完成, 良好, 完成).
	Qualitative
	// Vague is words that state no measurable level (有所提高, 效果明显).
	Vague
)

func (k Kind) String() string {
	return [...]string{"empty", "quantity", "deadline", "qualitative", "vague"}[k]
}

// Value is one parsed target or actual cell.
type Value struct {
	Raw    string
	Kind   Kind
	Op     Op
	Number pipeline.Decimal // as written: 4 for 4万亩, 12 for 12月底前
	Unit   string           // normalised spelling: "%", "万元", "人次", "台（套）", "月" for deadlines
	Year   int              // a deadline's year when written (2022年11月底前), else 0
}

// Quantitative reports whether the value states a measurable level: a number
// (with or without operator and unit) or a deadline.
func (v Value) Quantitative() bool { return v.Kind == Quantity || v.Kind == Deadline }

// MoreIsBetter reports the direction a target asks for: true for ≥, >, a
// bare number; false for ≤, <, deadlines.
func (v Value) MoreIsBetter() bool {
	switch v.Op {
	case LE, LT:
		return false
	}
	return v.Kind != Deadline
}

// String renders the value the way the messages quote it (≥210人).
func (v Value) String() string {
	switch v.Kind {
	case Quantity:
		return string(v.Op) + v.Number.String() + v.Unit
	case Deadline:
		if v.Op == LE {
			return v.Number.String() + "月底前"
		}
		return v.Number.String() + "月"
	}
	return v.Raw
}

var (
	cellSpace  = regexp.MustCompile(`[\s\x{3000}]+`)
	digitComma = regexp.MustCompile(`(\d)[,，](\d{3})`)
	number     = regexp.MustCompile(`\d+(?:\.\d+)?`)
	// deadline: 2024年12月底前完成, 12月31日前, 11月底, 年底前.
	deadline = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(?:份)?(?:底|末|上旬|中旬|下旬|\d{1,2}日)?(之前|以前|前)?`)
	yearEnd  = regexp.MustCompile(`^(\d{4}年)?(?:年底|年末)(?:之前|以前|前)`)
	// vague: a change with no level (有所提高, 进一步提升, 效果明显).
	vague = regexp.MustCompile(`(有所|明显|逐步|逐年|进一步|显著|不断|持续|稳步|大幅度?|较大|一定程度|得到|较好地?)(的)?(提高|提升|改善|增加|增强|加强|好转|降低|减少|下降|优化|改进|完善|缓解)|(效果|成效|效益|作用|影响)(明显|显著|突出)|(提高|提升|改善|增强|增加|好转)(明显|显著|较大|较快)`)
)

// normalise folds full-width forms and operator spellings, drops spaces and
// thousands separators.
var folder = strings.NewReplacer(
	"０", "0", "１", "1", "２", "2", "３", "3", "４", "4", "５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"．", ".", "％", "%", "＞＝", "≥", ">=", "≥", "＜＝", "≤", "<=", "≤", "≧", "≥", "≦", "≤", "⩾", "≥", "⩽", "≤",
	"＞", ">", "＜", "<", "＝", "=", "(", "（", ")", "）", "～", "~", "—", "-", "–", "-",
)

func normalise(s string) string {
	s = folder.Replace(s)
	s = cellSpace.ReplaceAllString(s, "")
	for {
		t := digitComma.ReplaceAllString(s, "$1$2")
		if t == s {
			return s
		}
		s = t
	}
}

// Operator words before the number, longest first so 不低于 wins over 低于.
var prefixOps = []struct {
	word string
	op   Op
}{
	{"大于或等于", GE}, {"大于等于", GE}, {"不低于", GE}, {"不少于", GE}, {"不小于", GE}, {"至少", GE}, {"达到", GE},
	{"小于或等于", LE}, {"小于等于", LE}, {"不高于", LE}, {"不超过", LE}, {"不大于", LE}, {"不多于", LE}, {"最多", LE}, {"控制在", LE},
	{"高于", GT}, {"大于", GT}, {"超过", GT}, {"多于", GT},
	{"低于", LT}, {"小于", LT}, {"少于", LT},
	{"等于", EQ},
	{"≥", GE}, {"≤", LE}, {">", GT}, {"<", LT}, {"=", EQ},
}

// Words after the number that end the unit; some set the direction.
var suffixOps = []struct {
	word string
	op   Op
}{
	{"及以上", GE}, {"以上", GE}, {"（含）以上", GE},
	{"及以下", LE}, {"以下", LE}, {"以内", LE}, {"之内", LE}, {"之前", LE}, {"以前", LE},
	{"左右", None}, {"（含）", None},
}

// Parse reads one target or actual cell. It never fails: text it cannot
// read as a number is Qualitative (or Vague, or Empty).
func Parse(s string) Value {
	v := Value{Raw: strings.TrimSpace(s)}
	t := normalise(s)
	switch t {
	case "", "-", "--", "/", "无", "空", "——":
		return v
	}
	if parseDeadline(t, &v) {
		return v
	}
	loc := number.FindStringIndex(t)
	if loc == nil {
		if p := money.FindPercents(t); len(p) > 0 {
			v.Kind, v.Number, v.Unit = Quantity, p[0].Value, "%"
			v.Op = prefixOp(t[:p[0].Start])
			return v
		}
		v.Kind = Qualitative
		if vague.MatchString(t) {
			v.Kind = Vague
		}
		return v
	}
	n, err := pipeline.ParseDecimal(t[loc[0]:loc[1]])
	if err != nil { // more digits than an int64 holds
		v.Kind = Qualitative
		return v
	}
	v.Kind, v.Number = Quantity, n
	v.Op = prefixOp(t[:loc[0]])
	unit, op := splitUnit(t[loc[1]:])
	v.Unit = unit
	if v.Op == None {
		v.Op = op
	}
	return v
}

func parseDeadline(t string, v *Value) bool {
	if m := yearEnd.FindStringSubmatch(t); m != nil {
		v.Kind, v.Number, v.Unit, v.Op = Deadline, pipeline.Decimal{Units: 12}, "月", LE
		if m[1] != "" {
			y, _ := pipeline.ParseDecimal(strings.TrimSuffix(m[1], "年"))
			v.Year = int(y.Units)
		}
		return true
	}
	m := deadline.FindStringSubmatchIndex(t)
	if m == nil {
		return false
	}
	month, _ := pipeline.ParseDecimal(t[m[4]:m[5]])
	if month.Units < 1 || month.Units > 12 {
		return false
	}
	v.Kind, v.Number, v.Unit = Deadline, month, "月"
	if m[2] >= 0 {
		y, _ := pipeline.ParseDecimal(t[m[2]:m[3]])
		v.Year = int(y.Units)
	}
	if m[6] >= 0 {
		v.Op = LE
	}
	return true
}

func prefixOp(p string) Op {
	for _, w := range prefixOps {
		if strings.Contains(p, w.word) {
			return w.op
		}
	}
	return None
}

// splitUnit cuts the text after the number into its unit and the operator a
// trailing word (以上, 以内) states.
func splitUnit(rest string) (string, Op) {
	cut, op := len(rest), None
	for _, w := range suffixOps {
		if i := strings.Index(rest, w.word); i >= 0 && i < cut {
			cut, op = i, w.op
		}
	}
	for _, stop := range []string{"，", "。", "；", ";", ",", "、", "~", "-", "/", "完成", "（含"} {
		if i := strings.Index(rest, stop); i >= 0 && i < cut {
			cut, op = i, None
			if w := rest[i:]; strings.HasPrefix(w, "（含）") {
				_, op = splitUnit(w[len("（含）"):])
			}
		}
	}
	return rest[:cut], op
}

// scale returns the value in its base unit: 4万亩 → 40000 亩, 6.4万元 →
// 64000 元, 3‰ → 0.3 %.
func (v Value) scale() (*big.Rat, string) {
	f, u := unitFactor(v.Unit)
	return new(big.Rat).Mul(v.Number.Rat(), f), u
}

// unitFactor splits a unit into its multiplier and base unit: 万人次 → 10⁴
// 人次, 千元 → 10³ 元, ‰ → 0.1 %.
func unitFactor(u string) (*big.Rat, string) {
	switch {
	case u == "‰":
		return big.NewRat(1, 10), "%"
	case strings.HasPrefix(u, "亿"):
		return big.NewRat(100000000, 1), strings.TrimPrefix(u, "亿")
	case strings.HasPrefix(u, "百万"):
		return big.NewRat(1000000, 1), strings.TrimPrefix(u, "百万")
	case strings.HasPrefix(u, "万"):
		return big.NewRat(10000, 1), strings.TrimPrefix(u, "万")
	case strings.HasPrefix(u, "千元"):
		return big.NewRat(1000, 1), "元"
	}
	return big.NewRat(1, 1), u
}

// Outcome is whether an actual meets its target.
type Outcome int

const (
	// Incomparable: either side is words, or the units differ.
	Incomparable Outcome = iota
	Met
	Missed
)

func (o Outcome) String() string { return [...]string{"incomparable", "met", "missed"}[o] }

// Compare says whether actual meets target. Units must agree after scaling
// (万元 and 元 do; a unit missing on one side is taken from the other; a
// fraction 0.95 against a percentage reads as 95 %).
func Compare(target, actual Value) Outcome {
	t, a, ok := operands(target, actual)
	if !ok {
		return Incomparable
	}
	c := a.Cmp(t)
	var met bool
	switch target.Op {
	case LE:
		met = c <= 0
	case LT:
		met = c < 0
	case GT:
		met = c > 0
	case EQ:
		met = c == 0
	default:
		if target.Kind == Deadline {
			met = c <= 0
		} else {
			met = c >= 0
		}
	}
	if met {
		return Met
	}
	return Missed
}

// operands returns target and actual in one unit.
func operands(target, actual Value) (t, a *big.Rat, ok bool) {
	if target.Kind == Deadline || actual.Kind == Deadline {
		if target.Kind != actual.Kind {
			return nil, nil, false
		}
		if target.Year != 0 && actual.Year != 0 { // compare 2022年12月 with 2023年1月 as months in order
			return big.NewRat(int64(target.Year)*12+target.Number.Units, 1), big.NewRat(int64(actual.Year)*12+actual.Number.Units, 1), true
		}
		return target.Number.Rat(), actual.Number.Rat(), true
	}
	if target.Kind != Quantity || actual.Kind != Quantity {
		return nil, nil, false
	}
	t, tu := target.scale()
	a, au := actual.scale()
	// A figure written without its unit is in the other side's unit
	// (≥4万亩 against 4.2).
	if actual.Unit == "" && target.Unit != "" {
		f, _ := unitFactor(target.Unit)
		a.Mul(a, f)
	}
	if target.Unit == "" && actual.Unit != "" {
		f, _ := unitFactor(actual.Unit)
		t.Mul(t, f)
	}
	switch {
	case tu == au, tu == "", au == "":
		if tu == "%" && au == "" && a.Cmp(big.NewRat(1, 1)) <= 0 && t.Cmp(big.NewRat(1, 1)) > 0 {
			a.Mul(a, big.NewRat(100, 1))
		}
		if au == "%" && tu == "" && t.Cmp(big.NewRat(1, 1)) <= 0 && a.Cmp(big.NewRat(1, 1)) > 0 {
			t.Mul(t, big.NewRat(100, 1))
		}
		return t, a, true
	case sameCount(tu, au):
		return t, a, true
	}
	return nil, nil, false
}

// sameCount treats spellings of one counted thing as one unit.
func sameCount(a, b string) bool {
	groups := [][]string{{"人", "人次", "名", "位"}, {"个", "家", "所"}, {"天", "日", "个工作日", "工作日"}, {"台", "台（套）", "套"}}
	for _, g := range groups {
		in := func(s string) bool {
			for _, x := range g {
				if x == s {
					return true
				}
			}
			return false
		}
		if in(a) && in(b) {
			return true
		}
	}
	return false
}

// Proportional is the score a reviewer gives a row: the full weight when
// the actual meets the target, else weight × actual ÷ target when more is
// better and weight × target ÷ actual when less is better, never above the
// weight. ok is false when the row cannot be measured that way.
func Proportional(weight pipeline.Decimal, target, actual Value) (score *big.Rat, ok bool) {
	if target.Kind != Quantity {
		return nil, false
	}
	out := Compare(target, actual)
	if out == Incomparable {
		return nil, false
	}
	w := weight.Rat()
	if out == Met {
		return w, true
	}
	t, a, _ := operands(target, actual)
	more := target.MoreIsBetter()
	if target.Op == EQ {
		more = a.Cmp(t) < 0
	}
	num, den := a, t
	if !more {
		num, den = t, a
	}
	if den.Sign() <= 0 || num.Sign() < 0 {
		return new(big.Rat), true
	}
	r := new(big.Rat).Mul(w, new(big.Rat).Quo(num, den))
	if r.Cmp(w) > 0 {
		r = w
	}
	return r, true
}

// Formula renders the working of Proportional in Chinese, with the figures
// as written: "15 × 180 ÷ 210".
func Formula(weight pipeline.Decimal, target, actual Value) string {
	more := target.MoreIsBetter()
	if target.Op == EQ {
		if t, a, ok := operands(target, actual); ok {
			more = a.Cmp(t) < 0
		}
	}
	tn, an := shown(target), shown(actual)
	if more {
		return weight.Trim() + " × " + an + " ÷ " + tn
	}
	return weight.Trim() + " × " + tn + " ÷ " + an
}

// shown is a number as the formula shows it: the unit only for percentages.
func shown(v Value) string {
	if v.Unit == "%" {
		return v.Number.String() + "%"
	}
	return v.Number.String()
}
