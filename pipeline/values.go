package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
)

// ValueKind is what a figure a finding names is: it decides how the figure
// is read back from JSON and how a reviewer's page shows it.
type ValueKind string

// The kinds of finding values.
const (
	ValueAmount  ValueKind = "amount"  // money; JSON a number of yuan; shown in 万元
	ValuePercent ValueKind = "percent" // a rate in percent as written (98.5); shown with %
	ValueNumber  ValueKind = "number"  // a score or weight as written (90.58)
	ValueRatio   ValueKind = "ratio"   // a fraction 0–1 (a similarity); shown as a percentage
	ValueYear    ValueKind = "year"    // a year (2022)
	ValueCount   ValueKind = "count"   // a whole number: a count, a length, a heading's number or level
	ValueID      ValueKind = "id"      // the id of a stored report
	ValueText    ValueKind = "text"    // words quoted or named
	ValueList    ValueKind = "list"    // a list of words
)

// Value is one figure a finding names, of its declared kind. Amount and
// Number are nil for a figure the report does not state (JSON null).
type Value struct {
	Kind   ValueKind
	Amount *Amount  // ValueAmount
	Number *Decimal // ValuePercent, ValueNumber, ValueRatio
	Int    int64    // ValueYear, ValueCount, ValueID
	Text   string   // ValueText
	List   []string // ValueList
}

// Values are a finding's figures by key (extract-v1: "total_yuan", "chars").
type Values map[string]Value

// AmountValue is a sum of money; nil when not stated.
func AmountValue(a *Amount) Value {
	if a != nil {
		c := *a
		a = &c
	}
	return Value{Kind: ValueAmount, Amount: a}
}

// PercentValue is a rate in percent; nil when not stated.
func PercentValue(d *Decimal) Value { return decimalValue(ValuePercent, d) }

// NumberValue is a score or weight; nil when not stated.
func NumberValue(d *Decimal) Value { return decimalValue(ValueNumber, d) }

// RatioValue is a fraction from 0 to 1, kept to two decimals.
func RatioValue(f float64) Value {
	d := MustDecimal(strconv.FormatFloat(f, 'f', 2, 64))
	return Value{Kind: ValueRatio, Number: &d}
}

func decimalValue(k ValueKind, d *Decimal) Value {
	if d != nil {
		c := *d
		d = &c
	}
	return Value{Kind: k, Number: d}
}

// YearValue is a year.
func YearValue(y int) Value { return Value{Kind: ValueYear, Int: int64(y)} }

// CountValue is a whole number.
func CountValue(n int) Value { return Value{Kind: ValueCount, Int: int64(n)} }

// IDValue is a stored report's id.
func IDValue(id int64) Value { return Value{Kind: ValueID, Int: id} }

// TextValue is words.
func TextValue(s string) Value { return Value{Kind: ValueText, Text: s} }

// ListValue is a list of words.
func ListValue(xs []string) Value { return Value{Kind: ValueList, List: append([]string{}, xs...)} }

// MarshalJSON writes the value as the contract has it: a number (of yuan
// for an amount), a string, a list of strings, or null.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.Kind {
	case ValueAmount:
		if v.Amount == nil {
			return []byte("null"), nil
		}
		return v.Amount.MarshalJSON()
	case ValuePercent, ValueNumber, ValueRatio:
		if v.Number == nil {
			return []byte("null"), nil
		}
		return v.Number.MarshalJSON()
	case ValueYear, ValueCount, ValueID:
		return []byte(strconv.FormatInt(v.Int, 10)), nil
	case ValueList:
		return json.Marshal(append([]string{}, v.List...)) // [] rather than null
	}
	return json.Marshal(v.Text)
}

// readValue reads a value of kind k from its JSON; k "" is a value no rule
// declared, read by its JSON type (a number as ValueNumber).
func readValue(k ValueKind, b []byte) (Value, error) {
	b = bytes.TrimSpace(b)
	if k == "" {
		k = jsonKind(b)
	}
	v := Value{Kind: k}
	if string(b) == "null" {
		return v, nil
	}
	var err error
	switch k {
	case ValueAmount:
		v.Amount = new(Amount)
		err = v.Amount.UnmarshalJSON(b)
	case ValuePercent, ValueNumber, ValueRatio:
		v.Number = new(Decimal)
		err = v.Number.UnmarshalJSON(b)
	case ValueYear, ValueCount, ValueID:
		v.Int, err = strconv.ParseInt(string(b), 10, 64)
	case ValueList:
		err = json.Unmarshal(b, &v.List)
	default:
		err = json.Unmarshal(b, &v.Text)
	}
	return v, err
}

// jsonKind is the kind of an undeclared value, by its JSON type.
func jsonKind(b []byte) ValueKind {
	switch {
	case len(b) > 0 && b[0] == '"':
		return ValueText
	case len(b) > 0 && b[0] == '[':
		return ValueList
	}
	return ValueNumber
}

// declared holds the kinds of each rule's values, rule → key → kind.
var declared = struct {
	sync.RWMutex
	m map[string]map[string]ValueKind
}{m: map[string]map[string]ValueKind{}}

// DeclareValues records the keys and kinds of the values of a rule's
// findings; each rule declares its own beside its code, so a finding read
// back from JSON (a store, a file) has the figures it was written with.
func DeclareValues(rule string, kinds map[string]ValueKind) {
	declared.Lock()
	defer declared.Unlock()
	declared.m[rule] = kinds
}

// DeclaredValues returns the keys and kinds rule declared, nil for none.
func DeclaredValues(rule string) map[string]ValueKind {
	declared.RLock()
	defer declared.RUnlock()
	return declared.m[rule]
}

// UnmarshalJSON reads a finding, its values by the kinds its rule declared.
func (f *Finding) UnmarshalJSON(b []byte) error {
	type plain Finding
	var in struct {
		*plain
		Values map[string]json.RawMessage `json:"values"`
	}
	in.plain = (*plain)(f)
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	f.Values = nil
	if in.Values == nil {
		return nil
	}
	kinds := DeclaredValues(f.Rule)
	f.Values = make(Values, len(in.Values))
	for k, raw := range in.Values {
		v, err := readValue(kinds[k], raw)
		if err != nil {
			return fmt.Errorf("finding %s: value %s: %w", f.Rule, k, err)
		}
		f.Values[k] = v
	}
	return nil
}
