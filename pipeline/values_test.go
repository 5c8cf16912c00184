package pipeline

import (
	"encoding/json"
	"testing"
)

// A finding's values are written as extract-v1 has them — plain JSON
// numbers, strings, lists and null — and read back as the kinds its rule
// declared; a value no rule declared is read by its JSON type.
func TestFindingValuesJSON(t *testing.T) {
	DeclareValues("test.values", map[string]ValueKind{"total_yuan": ValueAmount, "items_sum_yuan": ValueAmount,
		"rate": ValuePercent, "similarity": ValueRatio, "earlier_year": ValueYear, "chars": ValueCount,
		"missing": ValueList, "wrong": ValueText})
	f := Finding{Rule: "test.values", Severity: SeverityError, Message: "m", Evidence: []Evidence{}, Values: Values{
		"total_yuan":     AmountValue(&Amount{Fen: 240000000, HalfUnitFen: 500000}),
		"items_sum_yuan": AmountValue(&Amount{Fen: 256300000}),
		"rate":           PercentValue(nil),
		"similarity":     RatioValue(0.87),
		"earlier_year":   YearValue(2021),
		"chars":          CountValue(112),
		"missing":        ListValue([]string{"有关建议"}),
		"wrong":          TextValue("按排"),
	}}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"rule":"test.values","severity":"error","message":"m","values":{"chars":112,"earlier_year":2021,` +
		`"items_sum_yuan":2563000,"missing":["有关建议"],"rate":null,"similarity":0.87,"total_yuan":2400000,"wrong":"按排"},"evidence":[]}`
	if string(b) != want {
		t.Fatalf("JSON\n%s\nwant\n%s", b, want)
	}
	var back Finding
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for k, v := range f.Values {
		w := back.Values[k]
		again, _ := json.Marshal(w)
		orig, _ := json.Marshal(v)
		if w.Kind != v.Kind || string(again) != string(orig) {
			t.Errorf("%s: read back %+v (%s), wrote %+v (%s)", k, w, again, v, orig)
		}
	}
	if a := back.Values["items_sum_yuan"].Amount; a == nil || a.Fen != 256300000 {
		t.Errorf("items_sum_yuan read back as %+v", back.Values["items_sum_yuan"])
	}
	var other Finding
	if err := json.Unmarshal([]byte(`{"rule":"x.y","values":{"n":1.5,"s":"a","l":["b"],"z":null}}`), &other); err != nil {
		t.Fatal(err)
	}
	if other.Values["n"].Kind != ValueNumber || other.Values["n"].Number.Trim() != "1.5" || other.Values["s"].Text != "a" ||
		other.Values["l"].List[0] != "b" || other.Values["z"].Number != nil {
		t.Errorf("undeclared values read as %+v", other.Values)
	}
	if err := json.Unmarshal([]byte(`{"rule":"test.values","values":{"chars":"many"}}`), &other); err == nil {
		t.Error("a count written as a string was read")
	}
}
