package pipeline

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number as the report wrote it: a score (90.58),
// a rate in percent (98.5), a weight (10). Units is the value times 10^Places.
// Figures are never turned into float for arithmetic.
type Decimal struct {
	Units  int64
	Places int
}

var errBadDecimal = errors.New("not a decimal number")

// ParseDecimal reads "90.58", "-3", "100.0". It accepts no exponent, no
// separators: callers normalise text first.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Decimal{}, errBadDecimal
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" && fp == "" || len(ip)+len(fp) > 18 {
		return Decimal{}, errBadDecimal
	}
	for _, r := range ip + fp {
		if r < '0' || r > '9' {
			return Decimal{}, errBadDecimal
		}
	}
	u, err := strconv.ParseInt("0"+ip+fp, 10, 64)
	if err != nil {
		return Decimal{}, errBadDecimal
	}
	if neg {
		u = -u
	}
	return Decimal{Units: u, Places: len(fp)}, nil
}

// MustDecimal parses s and panics on error; for constants and tests.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String renders the decimal with the places it was written with.
func (d Decimal) String() string {
	if d.Places == 0 {
		return strconv.FormatInt(d.Units, 10)
	}
	neg := d.Units < 0
	u := d.Units
	if neg {
		u = -u
	}
	s := strconv.FormatInt(u, 10)
	for len(s) <= d.Places {
		s = "0" + s
	}
	s = s[:len(s)-d.Places] + "." + s[len(s)-d.Places:]
	if neg {
		s = "-" + s
	}
	return s
}

// Trim renders the decimal without trailing zeros ("98.50" → "98.5").
func (d Decimal) Trim() string {
	s := d.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// MarshalJSON writes the decimal as a JSON number.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.Trim()), nil }

// UnmarshalJSON reads a JSON number.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Rat returns the exact value as a rational.
func (d Decimal) Rat() *big.Rat {
	return new(big.Rat).SetFrac(big.NewInt(d.Units), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Places)), nil))
}

// Scaled returns the value times 10^places, rounded half away from zero.
func (d Decimal) Scaled(places int) (int64, error) {
	r := new(big.Rat).Mul(d.Rat(), new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)))
	return RoundRat(r)
}

// Cmp compares two decimals exactly.
func (d Decimal) Cmp(o Decimal) int { return d.Rat().Cmp(o.Rat()) }

// Add returns d+o exactly.
func (d Decimal) Add(o Decimal) Decimal {
	p := max(d.Places, o.Places)
	return Decimal{Units: d.shift(p) + o.shift(p), Places: p}
}

// Sub returns d−o exactly.
func (d Decimal) Sub(o Decimal) Decimal {
	p := max(d.Places, o.Places)
	return Decimal{Units: d.shift(p) - o.shift(p), Places: p}
}

func (d Decimal) shift(p int) int64 {
	u := d.Units
	for i := d.Places; i < p; i++ {
		u *= 10
	}
	return u
}

// DecimalFromRat rounds r half away from zero to the given places.
func DecimalFromRat(r *big.Rat, places int) Decimal {
	s := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)))
	u, _ := RoundRat(s)
	return Decimal{Units: u, Places: places}
}

// RoundRat rounds r to the nearest integer, half away from zero.
func RoundRat(r *big.Rat) (int64, error) {
	num := new(big.Int).Set(r.Num())
	den := r.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return 0, errors.New("number out of range")
	}
	v := q.Int64()
	if neg {
		v = -v
	}
	return v, nil
}

// SameDecimal reports whether two optional decimals are both absent or equal
// in value (98.5 and 98.50 are the same).
func SameDecimal(a, b *Decimal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Cmp(*b) == 0
}
