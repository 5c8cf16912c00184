package pipeline

import (
	"fmt"
	"strconv"
	"strings"
)

// Amount is a sum of money in fen (1/100 yuan), exact, with the rounding
// precision it was written with. "76.3万元" is 76,300,000 fen written to a
// tenth of a 万元, so it stands for any value within ±500 yuan (HalfUnitFen
// 50,000). A zero HalfUnitFen means the figure is exact.
type Amount struct {
	Fen         int64
	HalfUnitFen int64
}

// Yuan renders the amount in yuan with at most two decimals ("763000",
// "12.5", "0.05").
func (a Amount) Yuan() string { return FormatFen(a.Fen) }

// Wan renders the amount in 万元 the way reviewers read it: "256.3", "240".
func (a Amount) Wan() string {
	// 1 万元 = 1,000,000 fen.
	s := formatScaled(a.Fen, 1000000)
	return s
}

// MarshalJSON writes the amount as a JSON number of yuan.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.Yuan()), nil }

// UnmarshalJSON reads a JSON number of yuan.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	fen, err := ParseFen(s)
	if err != nil {
		return err
	}
	a.Fen = fen
	return nil
}

// Lo and Hi are the bounds of the interval the written figure stands for.
func (a Amount) Lo() int64 { return a.Fen - a.HalfUnitFen }
func (a Amount) Hi() int64 { return a.Fen + a.HalfUnitFen }

// FormatFen renders fen as yuan with at most two decimals.
func FormatFen(fen int64) string { return formatScaled(fen, 100) }

// formatScaled renders v/scale as a decimal without trailing zeros.
func formatScaled(v, scale int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	ip, fp := v/scale, v%scale
	s := strconv.FormatInt(ip, 10)
	if fp != 0 {
		digits := len(strconv.FormatInt(scale, 10)) - 1
		f := fmt.Sprintf("%0*d", digits, fp)
		s += "." + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ParseFen reads a plain decimal number of yuan ("2400000", "12.5") into fen.
// It is for JSON and storage round trips; report text goes through the money
// parser in internal/money.
func ParseFen(s string) (int64, error) {
	d, err := ParseDecimal(s)
	if err != nil {
		return 0, err
	}
	return d.Scaled(2)
}

// SameAmount reports whether two optional amounts are both absent or equal
// to the fen.
func SameAmount(a, b *Amount) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Fen == b.Fen
}
