package storelogic

import (
	"reflect"
	"testing"
)

func TestCanonicalPicksTheOneFullName(t *testing.T) {
	cases := []struct {
		name   string
		longer []string
		want   string
	}{
		{"自治区文化和旅游厅", nil, "自治区文化和旅游厅"},
		{"自治区文化和旅游厅", []string{"宁夏回族自治区文化和旅游厅"}, "宁夏回族自治区文化和旅游厅"},
		// Two different bodies could be meant: the short form stays.
		{"自治区文化和旅游厅", []string{"宁夏回族自治区文化和旅游厅", "新疆维吾尔自治区文化和旅游厅"}, "自治区文化和旅游厅"},
		// One chain of ever longer names: the longest.
		{"区文化和旅游厅", []string{"自治区文化和旅游厅", "宁夏回族自治区文化和旅游厅"}, "宁夏回族自治区文化和旅游厅"},
		// Not a short form: never moved.
		{"文化和旅游厅", []string{"宁夏回族自治区文化和旅游厅"}, "文化和旅游厅"},
	}
	for _, c := range cases {
		if got := Canonical(c.name, c.longer); got != c.want {
			t.Errorf("Canonical(%s, %v) = %s, want %s", c.name, c.longer, got, c.want)
		}
	}
}

// Two names one of which can be filed under the other share a lock name.
func TestLockNamesOverlapForOneSeries(t *testing.T) {
	full, short := LockNames("宁夏回族自治区文化和旅游厅"), LockNames("自治区文化和旅游厅")
	if !reflect.DeepEqual(short, []string{"区文化和旅游厅", "自治区文化和旅游厅"}) {
		t.Errorf("LockNames(short) = %v", short)
	}
	shared := false
	for _, n := range short {
		for _, m := range full {
			shared = shared || n == m
		}
	}
	if !shared {
		t.Errorf("%v and %v share no lock", full, short)
	}
}
