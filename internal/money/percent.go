package money

import (
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/pipeline"
)

// Percent is a percentage found in a text, in percent (98.5 means 98.5 %).
type Percent struct {
	Start, End int
	Value      pipeline.Decimal
}

// FindPercents returns every percentage in text: 98.5%, 98.5％, 98.5 %,
// 百分之九十八点五.
func FindPercents(text string) []Percent {
	var out []Percent
	for i := 0; i < len(text); {
		if strings.HasPrefix(text[i:], "百分之") {
			k := i + len("百分之")
			if n, end, ok := scanChinese(text, k); ok {
				out = append(out, Percent{Start: i, End: end, Value: toDecimal(n)})
				i = end
				continue
			}
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if !isDigit(r) || (i > 0 && continuesNumber(lastRune(text[:i]), r)) {
			i += w
			continue
		}
		n, end, ok := scanArabic(text, i)
		if !ok {
			i += w
			continue
		}
		k := skipSpaces(text, end)
		pr, pw := utf8.DecodeRuneInString(text[k:])
		if pr == '%' || pr == '％' {
			out = append(out, Percent{Start: i, End: k + pw, Value: toDecimal(n)})
			i = k + pw
			continue
		}
		i = end
	}
	return out
}

// ParsePercent reads a string that is exactly one percentage.
func ParsePercent(s string) (pipeline.Decimal, bool) {
	s = strings.TrimSpace(s)
	ps := FindPercents(s)
	if len(ps) != 1 || ps[0].Start != 0 || ps[0].End != len(s) {
		return pipeline.Decimal{}, false
	}
	return ps[0].Value, true
}

// ParseDecimal reads a bare number as written (Arabic, full-width, with
// separators, or Chinese numerals) into an exact decimal.
func ParseDecimal(s string) (pipeline.Decimal, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return pipeline.Decimal{}, false
	}
	n, end, ok := scanNumber(s, 0)
	if !ok || end != len(s) {
		return pipeline.Decimal{}, false
	}
	return toDecimal(n), true
}

func toDecimal(n number) pipeline.Decimal {
	if !n.units.IsInt64() {
		return pipeline.Decimal{}
	}
	return pipeline.Decimal{Units: n.units.Int64(), Places: n.places}
}
