// Package corpustest reads the gold labels of the labelled corpus
// (testdata/corpus/NAME.gold.json, shared/corpus/README.md) for the tests of
// every package that grades itself against them.
package corpustest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

// Gold is one labelled report.
type Gold struct {
	File         string `json:"file"`
	Organization string `json:"organization"`
	Project      string `json:"project"`
	Kind         string `json:"kind"`
	Year         int    `json:"year"`
	Budget       struct {
		Planned       *pipeline.Amount  `json:"planned_yuan"`
		Adjusted      *pipeline.Amount  `json:"adjusted_yuan"`
		Executed      *pipeline.Amount  `json:"executed_yuan"`
		ExecutionRate *pipeline.Decimal `json:"execution_rate"`
	} `json:"budget"`
	LineItems  []pipeline.Amount `json:"line_items_yuan"`
	Score      *pipeline.Decimal `json:"score"`
	Grade      string            `json:"grade"`
	Problems   []string          `json:"problems"` // first ≤ 12 characters of each
	Indicators int               `json:"indicators"`
	Findings   struct {
		Expected []string `json:"expected"`
		Optional []string `json:"optional"`
	} `json:"findings"`
	Series string `json:"series"` // "organization|project"
}

// Load reads every gold label in dir whose file name matches pattern
// ("*.gold.json", "dev-*.gold.json").
func Load(t testing.TB, dir, pattern string) []Gold {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no gold labels %s in %s", pattern, dir)
	}
	var out []Gold
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g Gold
		if err := json.Unmarshal(b, &g); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, g)
	}
	return out
}

// BySeries groups labels by their series key, each series in year order.
func BySeries(golds []Gold) map[string][]Gold {
	out := map[string][]Gold{}
	for _, g := range golds {
		out[g.Series] = append(out[g.Series], g)
	}
	for _, gs := range out {
		sort.Slice(gs, func(i, j int) bool { return gs[i].Year < gs[j].Year })
	}
	return out
}

// SeriesKey is the organisation and project of the series key: the
// organisation's full name, where Organization keeps the report's wording.
func (g Gold) SeriesKey() (string, string) {
	org, project, _ := strings.Cut(g.Series, "|")
	return org, project
}

// Document is one labelled file of a corpus: a report as text, PDF or
// another format, graded against the gold label of its name.
type Document struct {
	Path string // the file
	Name string // corpus folder and file name: "corpus2/dev2-001.txt"
	Gold Gold
}

// Documents lists the files in dir with one of the extensions given
// ("txt", "pdf") whose NAME.gold.json exists, in name order. A file with a
// gold label of its own (NAME.EXT.gold.json, a workbook's list of forms) is
// left out: it is graded as several reports.
func Documents(t testing.TB, dir string, exts ...string) []Document {
	t.Helper()
	var out []Document
	for _, ext := range exts {
		files, _ := filepath.Glob(filepath.Join(dir, "*."+ext))
		for _, f := range files {
			if _, err := os.Stat(f + ".gold.json"); err == nil {
				continue
			}
			b, err := os.ReadFile(strings.TrimSuffix(f, filepath.Ext(f)) + ".gold.json")
			if err != nil {
				continue
			}
			var g Gold
			if err := json.Unmarshal(b, &g); err != nil {
				t.Fatalf("gold of %s: %v", f, err)
			}
			out = append(out, Document{Path: f, Name: filepath.Base(dir) + "/" + filepath.Base(f), Gold: g})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
