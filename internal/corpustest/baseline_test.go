package corpustest_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"sort"
	"testing"

	"github.com/jixiao/jixiao/internal/corpustest"
	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/pipeline"
)

// updateBaseline rewrites the baseline from this run:
//
//	go test -tags sqlite_fts5 ./internal/corpustest -run Baseline -update-baseline
var updateBaseline = flag.Bool("update-baseline", false, "write testdata/corpus-baseline.json from this run")

const baselineFile = "../../testdata/corpus-baseline.json"

// corpora are the labelled corpora the pipeline is held to: the dev corpus
// (testdata/corpus) and the one shaped like real publishing
// (testdata/corpus2: forms in every rendering, web copies, other wording).
var corpora = []string{"../../testdata/corpus", "../../testdata/corpus2"}

// TestCorpusBaseline is the corpus as a regression oracle: every document's
// outcome (fields, line items, problems, indicator rows, findings) is kept
// in testdata/corpus-baseline.json, and a document that does worse than its
// baseline fails the test even when the pooled score holds.
func TestCorpusBaseline(t *testing.T) {
	outcomes := gradeAll(t)
	if *updateBaseline {
		writeBaseline(t, outcomes)
		return
	}
	base := readBaseline(t)
	for _, name := range sortedNames(outcomes) {
		b, ok := base[name]
		if !ok {
			t.Errorf("%s: not in the baseline; run with -update-baseline", name)
			continue
		}
		for _, r := range corpustest.Regressions(b, outcomes[name]) {
			t.Errorf("%s regressed: %s", name, r)
		}
		for _, r := range corpustest.Improvements(b, outcomes[name]) {
			t.Logf("%s improved: %s (update the baseline to keep it)", name, r)
		}
	}
	for name := range base {
		if _, ok := outcomes[name]; !ok {
			t.Errorf("%s: in the baseline but no longer graded", name)
		}
	}
}

// floor is the least each metric of the scorer must reach per corpus.
var floor = map[string]float64{"corpus": 0.95, "corpus2": 0.95}

// TestCorpusScore holds each corpus to its floor on every metric.
func TestCorpusScore(t *testing.T) {
	outcomes := gradeAll(t)
	for _, dir := range corpora {
		var os []corpustest.Outcome
		prefix := dirName(dir) + "/"
		for name, o := range outcomes {
			if len(name) > len(prefix) && name[:len(prefix)] == prefix {
				os = append(os, o)
			}
		}
		m := corpustest.Measure(os)
		t.Logf("%s: %d documents, fields %.3f, items F1 %.3f, problems %.3f, rows %.3f, findings F1 %.3f, score %.4f",
			dirName(dir), m.Documents, m.Fields, m.ItemsF1, m.ProblemsRecall, m.RowsAccuracy, m.FindingsF1, m.Score)
		for what, v := range map[string]float64{"fields": m.Fields, "line items F1": m.ItemsF1, "problems recall": m.ProblemsRecall,
			"indicator rows": m.RowsAccuracy, "findings F1": m.FindingsF1} {
			if v < floor[dirName(dir)] {
				t.Errorf("%s: %s = %.3f, want ≥ %.2f", dirName(dir), what, v, floor[dirName(dir)])
			}
		}
	}
}

var graded map[string]corpustest.Outcome

// gradeAll runs the production pipeline (PDF engines included) over every
// labelled text, PDF, Word and Excel document once per test binary; each
// form of a workbook is graded against its own label, paired by sheet.
func gradeAll(t *testing.T) map[string]corpustest.Outcome {
	t.Helper()
	if graded != nil {
		return graded
	}
	runner, closeRunner := pdf.NewRunner()
	defer closeRunner()
	out := map[string]corpustest.Outcome{}
	read := map[string][]*pipeline.Extraction{} // a workbook is read once for all its labels
	for _, dir := range corpora {
		for _, d := range corpustest.Documents(t, dir, "txt", "pdf", "docx", "xlsx") {
			exts, ok := read[d.Path]
			if !ok {
				data, err := os.ReadFile(d.Path)
				if err != nil {
					t.Fatal(err)
				}
				if exts, err = runner.Reports(context.Background(), d.Name, data); err != nil {
					t.Errorf("%s: %v", d.Name, err)
				}
				read[d.Path] = exts
			}
			ext := corpustest.Pick(d.Gold, exts)
			if ext == nil {
				t.Errorf("%s: no report of the file stands for this label", d.Name)
				continue
			}
			out[d.Name] = corpustest.Grade(d.Gold, ext)
		}
	}
	if len(out) < 100 {
		t.Fatalf("only %d labelled documents graded", len(out))
	}
	graded = out
	return out
}

func readBaseline(t *testing.T) map[string]corpustest.Outcome {
	b, err := os.ReadFile(baselineFile)
	if err != nil {
		t.Fatalf("%v (write it with -update-baseline)", err)
	}
	var base map[string]corpustest.Outcome
	if err := json.Unmarshal(b, &base); err != nil {
		t.Fatal(err)
	}
	return base
}

func writeBaseline(t *testing.T, outcomes map[string]corpustest.Outcome) {
	b, err := json.MarshalIndent(outcomes, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(baselineFile, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("baseline written: %d documents", len(outcomes))
}

func sortedNames(m map[string]corpustest.Outcome) []string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func dirName(dir string) string {
	for i := len(dir) - 1; i >= 0; i-- {
		if dir[i] == '/' {
			return dir[i+1:]
		}
	}
	return dir
}
