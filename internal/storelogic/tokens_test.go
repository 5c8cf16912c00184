package storelogic

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const corpus = "../../testdata/corpus"

// The index text written straight from a report is the tokens joined by
// spaces, as queries are cut: on every corpus text and on edge cases.
func TestSegmentBigramsIsTheJoinedTokens(t *testing.T) {
	texts := []string{"", "采", "采购", "政府采购程序", "A股ＡＢ", "2023年度预算执行率98.5%", "Ⅱ类 采，购 x\xff采y", "ÉCOLE 学校"}
	files, _ := filepath.Glob(filepath.Join(corpus, "dev-*.txt"))
	if len(files) == 0 {
		t.Fatal("no corpus texts")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		if got, want := Segment(s), strings.Join(Bigrams(s), " "); got != want {
			t.Errorf("Segment(%.40q) differs from the joined bigrams:\n got %.200q\nwant %.200q", s, got, want)
		}
	}
}
