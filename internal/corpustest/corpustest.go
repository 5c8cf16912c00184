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
	// Sheet is the worksheet of a workbook's form (NAME.xlsx.gold.json).
	Sheet string `json:"sheet,omitempty"`
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

// Document is one labelled report of a corpus: a report as text, PDF,
// Word or Excel, graded against the gold label of its name.
type Document struct {
	Path string // the file
	Name string // corpus folder and file name: "corpus2/dev2-001.txt", "corpus2/dev2-019.xlsx#表2"
	Gold Gold
}

// Documents lists the reports of the files in dir with one of the
// extensions given ("txt", "pdf", "docx", "xlsx") that have a gold label,
// in name order: NAME.EXT.gold.json when it exists (a workbook holding only
// forms; a JSON list when it holds several, one label per sheet, each a
// Document named NAME.EXT#SHEET), else NAME.gold.json.
func Documents(t testing.TB, dir string, exts ...string) []Document {
	t.Helper()
	var out []Document
	for _, ext := range exts {
		files, _ := filepath.Glob(filepath.Join(dir, "*."+ext))
		for _, f := range files {
			name := filepath.Base(dir) + "/" + filepath.Base(f)
			if b, err := os.ReadFile(f + ".gold.json"); err == nil {
				out = append(out, ownLabels(t, f, name, b)...)
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
			out = append(out, Document{Path: f, Name: name, Gold: g})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ownLabels reads a NAME.EXT.gold.json: one label, or a list of them.
func ownLabels(t testing.TB, path, name string, b []byte) []Document {
	var list []Gold
	if json.Unmarshal(b, &list) != nil {
		var g Gold
		if err := json.Unmarshal(b, &g); err != nil {
			t.Fatalf("gold of %s: %v", path, err)
		}
		return []Document{{Path: path, Name: name, Gold: g}}
	}
	out := make([]Document, len(list))
	for i, g := range list {
		out[i] = Document{Path: path, Name: name + "#" + g.Sheet, Gold: g}
	}
	return out
}

// Pick returns the extraction of a file's reports that a label stands for:
// the one on the label's sheet, else the one of its project, else the only
// one; nil when none fits.
func Pick(g Gold, exts []*pipeline.Extraction) *pipeline.Extraction {
	if len(exts) == 1 && (g.Sheet == "" || exts[0].Source.Sheet == "" || exts[0].Source.Sheet == g.Sheet) {
		return exts[0]
	}
	var onSheet []*pipeline.Extraction
	for _, e := range exts {
		if g.Sheet != "" && e.Source.Sheet == g.Sheet {
			onSheet = append(onSheet, e)
		}
	}
	if len(onSheet) == 1 {
		return onSheet[0]
	}
	if len(onSheet) == 0 {
		onSheet = exts
	}
	for _, e := range onSheet {
		if NameMatch(g.Project, e.Report.Project) && e.Report.Year == g.Year {
			return e
		}
	}
	return nil
}
