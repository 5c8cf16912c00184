package money

import (
	"math/big"
	"unicode/utf8"
)

var chineseDigits = map[rune]int64{
	'零': 0, '〇': 0, '○': 0, '一': 1, '壹': 1, '二': 2, '贰': 2, '貳': 2, '两': 2, '三': 3, '叁': 3, '參': 3,
	'四': 4, '肆': 4, '五': 5, '伍': 5, '六': 6, '陆': 6, '陸': 6, '七': 7, '柒': 7, '八': 8, '捌': 8,
	'九': 9, '玖': 9,
}

var chineseSmall = map[rune]int64{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000}

func isChineseDigit(r rune) bool {
	_, ok := chineseDigits[r]
	return ok
}

func isChineseNumeral(r rune) bool {
	if isChineseDigit(r) {
		return true
	}
	_, ok := chineseSmall[r]
	return ok || r == '万' || r == '亿' || r == '点'
}

// scanChinese reads a number in Chinese numerals: 贰佰肆拾, 二百四十,
// 一千二百三十四万五千, 十二点五. The big units 万 and 亿 are read as part of
// the number only when more numerals follow (二百四十万五千); a final 万 is
// left to scanUnit, so 贰佰肆拾万元 is 贰佰肆拾 in 万元.
func scanChinese(text string, i int) (number, int, bool) {
	total := new(big.Int) // completed 亿 and 万 groups
	section := int64(0)   // current group below 万
	digit := int64(-1)
	j := i
	seen := 0
	lastGood := -1
	var result number
	commit := func(end int) {
		v := new(big.Int).Add(total, big.NewInt(section+max(digit, 0)))
		result = number{units: v}
		lastGood = end
	}
	for j < len(text) {
		r, w := utf8.DecodeRuneInString(text[j:])
		if d, ok := chineseDigits[r]; ok {
			digit = d
			seen++
			j += w
			commit(j)
			continue
		}
		if m, ok := chineseSmall[r]; ok {
			if digit < 0 {
				digit = 1 // 十二 = 12
			}
			section += digit * m
			digit = -1
			seen++
			j += w
			commit(j)
			continue
		}
		if (r == '万' || r == '亿') && seen > 0 && moreNumerals(text[j+w:]) {
			mult := int64(10000)
			if r == '亿' {
				mult = 100000000
			}
			group := new(big.Int).Add(total, big.NewInt(section+max(digit, 0)))
			if r == '万' {
				// 万 multiplies only the part below 亿 already read.
				below := new(big.Int).Mod(group, big.NewInt(100000000))
				above := new(big.Int).Sub(group, below)
				total = above.Add(above, below.Mul(below, big.NewInt(mult)))
			} else {
				total = group.Mul(group, big.NewInt(mult))
			}
			section, digit = 0, -1
			j += w
			continue
		}
		if r == '点' && seen > 0 {
			return chineseFraction(text, j+w, result, lastGood)
		}
		break
	}
	if lastGood < 0 {
		return number{}, i, false
	}
	return result, lastGood, true
}

func moreNumerals(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if _, ok := chineseSmall[r]; ok {
		return true
	}
	return isChineseDigit(r)
}

// chineseFraction reads the digits after 点: 十二点五 = 12.5.
func chineseFraction(text string, j int, whole number, lastGood int) (number, int, bool) {
	u := new(big.Int).Set(whole.units)
	places := 0
	for j < len(text) {
		r, w := utf8.DecodeRuneInString(text[j:])
		d, ok := chineseDigits[r]
		if !ok {
			break
		}
		u.Mul(u, big.NewInt(10)).Add(u, big.NewInt(d))
		places++
		j += w
	}
	if places == 0 {
		return whole, lastGood, true
	}
	return number{units: u, places: places}, j, true
}
