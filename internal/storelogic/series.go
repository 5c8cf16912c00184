package storelogic

import (
	"slices"
	"sort"
	"strings"
)

// levelWords begin an organisation's name when the report leaves out the
// place: 自治区卫生健康委员会, 市民政局.
var levelWords = []string{"自治区", "自治州", "省", "市", "县", "区", "州", "盟", "旗"}

// IsShortForm tells whether name may stand for a longer one that adds the
// place in front (自治区文化和旅游厅 for 宁夏回族自治区文化和旅游厅).
func IsShortForm(name string) bool {
	for _, w := range levelWords {
		if strings.HasPrefix(name, w) && len(name) > len(w) {
			return true
		}
	}
	return false
}

// ShortForms are the endings of name that could be short forms of it
// (自治区卫生健康委员会 of 宁夏回族自治区卫生健康委员会).
func ShortForms(name string) []string {
	var out []string
	for i := range name {
		if i > 0 && IsShortForm(name[i:]) {
			out = append(out, name[i:])
		}
	}
	return out
}

// Canonical is the series name of name given the stored names that end
// with it and are longer: the full name a short form stands for when there
// is exactly one (or one chain of ever longer ones), else name itself.
func Canonical(name string, longer []string) string {
	if !IsShortForm(name) || len(longer) == 0 {
		return name
	}
	longer = append([]string(nil), longer...)
	sort.Slice(longer, func(i, j int) bool { return len(longer[i]) > len(longer[j]) })
	for _, l := range longer[1:] {
		if !strings.HasSuffix(longer[0], l) {
			return name // two different bodies: leave the short form alone
		}
	}
	return longer[0]
}

// LockNames are the names whose series a save under names may read or
// change: each name and its short forms, sorted, each once. Two saves that
// could file reports into one series share at least one of them (one name
// is a short form ending the other), so a store with several writers
// serialises saves on these and saves of unrelated bodies never wait for
// each other. A workbook's reports may name several bodies.
func LockNames(names ...string) []string {
	var out []string
	for _, name := range names {
		out = append(append(out, ShortForms(name)...), name)
	}
	sort.Strings(out)
	return slices.Compact(out)
}
