// Package money is jixiao's one parser of amounts and percentages as reports
// write them: 240 万元, 240万, 2,400,000.00元, 2400000元, 0.024亿元, 2400千元,
// 贰佰肆拾万元, 二百四十万元, full-width ２４０万元, 人民币240万元, and
// percentages 98.5%, 98.5％, 百分之九十八点五. Arithmetic is exact: amounts
// become pipeline.Amount (integer fen with the half-unit of the last written
// digit), never float.
package money

import (
	"errors"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/pipeline"
)

// Match is an amount found in a text.
type Match struct {
	Start, End int // byte offsets of the whole amount, number and unit
	Amount     pipeline.Amount
	Unit       string // "元", "万元", "亿元", "千元" as written (万 alone → "万元")
	Number     string // the number as written, before the unit
}

// ErrNotAmount is returned by Parse for text that is not one amount.
var ErrNotAmount = errors.New("not an amount")

// unit scales in yuan, as a power of ten.
var unitExp = map[string]int{"元": 0, "千元": 3, "万元": 4, "亿元": 8}

// Parse reads a string that is exactly one amount with its unit (surrounding
// space and a leading 人民币 allowed).
func Parse(s string) (pipeline.Amount, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "人民币"))
	ms := Find(s)
	if len(ms) != 1 || ms[0].Start != 0 || ms[0].End != len(s) {
		return pipeline.Amount{}, ErrNotAmount
	}
	return ms[0].Amount, nil
}

// ParseNumber reads a bare number (Arabic with separators, full-width, or
// Chinese numerals) in the given unit ("元", "万元", …); it is for table cells
// whose unit sits in the header.
func ParseNumber(s, unit string) (pipeline.Amount, error) {
	exp, ok := unitExp[unit]
	if !ok {
		return pipeline.Amount{}, ErrNotAmount
	}
	s = strings.TrimSpace(s)
	n, end, ok := scanNumber(s, 0)
	if !ok || end != len(s) {
		return pipeline.Amount{}, ErrNotAmount
	}
	return n.amount(exp)
}

// Find returns every amount in text, in order.
func Find(text string) []Match {
	var out []Match
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if !startsNumber(r) || (i > 0 && continuesNumber(lastRune(text[:i]), r)) {
			i += w
			continue
		}
		n, end, ok := scanNumber(text, i)
		if !ok {
			i += w
			continue
		}
		unit, uend, ok := scanUnit(text, end)
		if !ok {
			i = max(end, i+w)
			continue
		}
		a, err := n.amount(unitExp[unit])
		if err == nil {
			out = append(out, Match{Start: i, End: uend, Amount: a, Unit: unit, Number: text[i:end]})
		}
		i = uend
	}
	return out
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// continuesNumber reports whether a number starting at r would really be the
// tail of a longer token (a digit after a letter or digit, as in "A12").
func continuesNumber(prev, r rune) bool {
	if isDigit(prev) || prev == '.' || prev == ',' {
		return true
	}
	if isChineseNumeral(r) && isChineseNumeral(prev) {
		return true
	}
	return (prev >= 'A' && prev <= 'Z') || (prev >= 'a' && prev <= 'z')
}

func startsNumber(r rune) bool { return isDigit(r) || isChineseDigit(r) || r == '十' || r == '拾' }

func isDigit(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }

func digitValue(r rune) int {
	if r >= '０' && r <= '９' {
		return int(r - '０')
	}
	return int(r - '0')
}

// number is a scanned figure: digits without a point and the count of
// digits after it, so 76.3 is {763, 1}.
type number struct {
	units  *big.Int
	places int
}

func (n number) amount(exp int) (pipeline.Amount, error) {
	// value in fen = units × 10^(exp+2-places); the last written digit
	// stands for ±half of 10^e fen.
	e := exp + 2 - n.places
	fen := new(big.Rat).SetInt(n.units)
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(e))), nil))
	if e >= 0 {
		fen.Mul(fen, scale)
	} else {
		fen.Quo(fen, scale)
	}
	f, err := pipeline.RoundRat(fen)
	if err != nil || f < 0 || f > 1e17 {
		return pipeline.Amount{}, ErrNotAmount
	}
	var half int64
	if e >= 1 {
		half = 5
		for k := 1; k < e; k++ {
			half *= 10
		}
	}
	return pipeline.Amount{Fen: f, HalfUnitFen: half}, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// scanNumber reads an Arabic or a Chinese-numeral number at text[i:].
func scanNumber(text string, i int) (number, int, bool) {
	r, _ := utf8.DecodeRuneInString(text[i:])
	if isDigit(r) {
		return scanArabic(text, i)
	}
	return scanChinese(text, i)
}

// scanArabic reads 3378, 3,378.50, ３３７８, 76. 3 (a stray space after the
// point, left by a wrap). Thousands separators must group three digits.
func scanArabic(text string, i int) (number, int, bool) {
	var digits strings.Builder
	places := -1
	j := i
	for j < len(text) {
		r, w := utf8.DecodeRuneInString(text[j:])
		switch {
		case isDigit(r):
			digits.WriteByte(byte('0' + digitValue(r)))
			if places >= 0 {
				places++
			}
			j += w
		case (r == ',' || r == '，') && places < 0 && threeDigitsFollow(text[j+w:]):
			j += w
		case (r == '.' || r == '．') && places < 0 && digitFollows(text[j+w:]):
			places = 0
			j += w
			// a wrap may have left a space after the point: "76. 3"
			for j < len(text) && text[j] == ' ' {
				j++
			}
		default:
			return finishNumber(digits.String(), places, j)
		}
	}
	return finishNumber(digits.String(), places, j)
}

func finishNumber(d string, places, end int) (number, int, bool) {
	if d == "" || len(d) > 30 {
		return number{}, end, false
	}
	if places < 0 {
		places = 0
	}
	u, ok := new(big.Int).SetString(d, 10)
	return number{units: u, places: places}, end, ok
}

func digitFollows(s string) bool {
	s = strings.TrimLeft(s, " ")
	r, _ := utf8.DecodeRuneInString(s)
	return isDigit(r)
}

// threeDigitsFollow: a thousands separator is followed by exactly three
// digits and then no fourth.
func threeDigitsFollow(s string) bool {
	n := 0
	for _, r := range s {
		if !isDigit(r) {
			break
		}
		n++
		if n > 3 {
			return false
		}
	}
	return n == 3
}

// scanUnit reads the unit after a number: optional spaces (or one line
// break, already joined by the normaliser), then 元, 万元, 亿元, 千元, or a 万 /
// 亿 standing alone.
func scanUnit(text string, i int) (string, int, bool) {
	j := skipSpaces(text, i)
	r, w := utf8.DecodeRuneInString(text[j:])
	switch r {
	case '元':
		return "元", j + w, true
	case '千':
		k := skipSpaces(text, j+w)
		if strings.HasPrefix(text[k:], "元") {
			return "千元", k + len("元"), true
		}
	case '万', '萬', '亿', '億':
		unit := "万元"
		if r == '亿' || r == '億' {
			unit = "亿元"
		}
		k := skipSpaces(text, j+w)
		if strings.HasPrefix(text[k:], "元") {
			return unit, k + len("元"), true
		}
		next, _ := utf8.DecodeRuneInString(text[j+w:])
		if aloneUnit(next) {
			return unit, j + w, true
		}
	}
	return "", i, false
}

// aloneUnit decides whether 万 without 元 is money: "240万，" and "240万用于"
// are; "4万亩", "1.2万人次" are not.
func aloneUnit(next rune) bool {
	if next == utf8.RuneError || !unicode.Is(unicode.Han, next) {
		return true
	}
	return strings.ContainsRune("用的其已主全实占较比是为，。；、", next)
}

func skipSpaces(text string, i int) int {
	for i < len(text) {
		r, w := utf8.DecodeRuneInString(text[i:])
		if r != ' ' && r != '\t' && r != '\u3000' && r != '\u00a0' {
			break
		}
		i += w
	}
	return i
}
