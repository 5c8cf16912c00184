package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeVariants writes n reports made from the corpus texts: copy k of a
// text renames the places of its organisation (伊宁县 → 伊宁二七县) with
// the copy number in Chinese digits, so every copy is a different document
// (another sha256) of a different body, and each body keeps a realistic
// handful of reports over the years.
func writeVariants(t testing.TB, dir string, n int) []string {
	t.Helper()
	texts, err := filepath.Glob(filepath.Join(corpus, "dev-*.txt"))
	if err != nil || len(texts) == 0 {
		t.Fatalf("no corpus texts in %s", corpus)
	}
	src := make([]string, len(texts))
	for i, p := range texts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		src[i] = string(b)
	}
	var paths []string
	for i := 0; i < n; i++ {
		copyNo := i / len(src)
		text := src[i%len(src)]
		if copyNo > 0 {
			tag := hanDigits(copyNo)
			text = placeMarks.Replace(text)
			text = strings.ReplaceAll(text, "\x00", tag)
		}
		p := filepath.Join(dir, fmt.Sprintf("v%05d-%s", i, filepath.Base(texts[i%len(src)])))
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// placeMarks puts a marker before the place words of organisation names.
var placeMarks = strings.NewReplacer("自治区", "自治\x00区", "县", "\x00县", "市", "\x00市", "省", "\x00省")

func hanDigits(n int) string {
	const digits = "〇一二三四五六七八九"
	d := []rune(digits)
	var b strings.Builder
	for _, c := range fmt.Sprint(n) {
		b.WriteRune(d[c-'0'])
	}
	return b.String()
}
