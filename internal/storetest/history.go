package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

var historyTests = []struct {
	name string
	fn   func(*testing.T, pipeline.Store)
}{
	{"CrossYearEvidenceFromTheStoreNamesTheSourceLine", crossYearEvidenceFromStore},
	{"FindingValuesSurviveTheStore", findingValuesSurviveTheStore},
}

// A report judged again from the store — an earlier year arrived after it
// was saved — places its cross-year evidence on the same source lines as
// when it was judged fresh from its file. dev-026 is a PDF's text, a
// sentence wrapped over two lines with a blank line between, which the
// normaliser joins: a line counted in the normalised text is not the
// source's (the copied passage came out on line 73 for 74, the recurring
// problem on 131 for 135).
func crossYearEvidenceFromStore(t *testing.T, st pipeline.Store) {
	ctx := context.Background()
	const org, project = "宁夏回族自治区文化和旅游厅", "公共文化服务体系建设专项"
	save := func(name string, year int) (int64, *pipeline.Extraction) {
		data, err := os.ReadFile(filepath.Join(corpus(), name))
		if err != nil {
			t.Fatal(err)
		}
		ext, err := (&run.Runner{}).File(ctx, name, data)
		if err != nil {
			t.Fatal(err)
		}
		ext.Report.Organization, ext.Report.Project, ext.Report.Year = org, project, year
		id, err := st.SaveReport(ctx, DocOf(name, data, ext), data, ext)
		if err != nil {
			t.Fatal(err)
		}
		return id, ext
	}
	id, later := save("dev-026.txt", 2019)
	save("dev-004.txt", 2018)
	sr, err := st.Report(ctx, id)
	if err != nil || sr == nil {
		t.Fatalf("Report(%d) = %v, %v", id, sr, err)
	}
	earlier, err := st.EarlierReports(ctx, org, 2019)
	if err != nil {
		t.Fatal(err)
	}
	fresh, again := history.Evaluate(later, earlier), history.Evaluate(sr.Extraction, earlier)
	if len(fresh) == 0 || len(again) != len(fresh) {
		t.Fatalf("%d cross-year findings judged from the store, %d fresh", len(again), len(fresh))
	}
	for i, f := range fresh {
		want, got := f.Evidence[0], again[i].Evidence[0]
		if got.Quote != want.Quote || got.Line != want.Line || got.Page != want.Page {
			t.Errorf("%s: from the store %q on line %d page %d, fresh on line %d page %d",
				f.Rule, got.Quote, got.Line, got.Page, want.Line, want.Page)
		}
	}
}

// A finding's figures read back from the store are the figures saved, of
// the same kinds, and read the same to a reviewer: an amount is still an
// amount in 万元, a rate a percentage, a count a whole number (before typed
// values an amount came back as a float64 and the pages guessed its unit
// from its key). dev-014 names amounts, rates and counts.
func findingValuesSurviveTheStore(t *testing.T, st pipeline.Store) {
	id, ext, _ := Save(t, st, "dev-014.txt", nil)
	got, err := st.Report(context.Background(), id)
	if err != nil || got == nil {
		t.Fatalf("Report(%d) = %v, %v", id, got, err)
	}
	kinds := map[pipeline.ValueKind]int{}
	for i, f := range ext.Findings {
		back := got.Extraction.Findings[i].Values
		if len(back) != len(f.Values) {
			t.Errorf("%s: %d values read back, %d saved", f.Rule, len(back), len(f.Values))
		}
		for k, v := range f.Values {
			kinds[v.Kind]++
			w := back[k]
			if w.Kind != v.Kind || report.ValueText(w) != report.ValueText(v) || v.Amount != nil && w.Amount.Fen != v.Amount.Fen {
				t.Errorf("%s: %s saved %+v (%s), read back %+v (%s)", f.Rule, k, v, report.ValueText(v), w, report.ValueText(w))
			}
		}
	}
	if kinds[pipeline.ValueAmount] == 0 || kinds[pipeline.ValuePercent] == 0 || kinds[pipeline.ValueCount] == 0 {
		t.Errorf("dev-014's findings name no amount, rate or count: %v", kinds)
	}
	for _, f := range got.Extraction.Findings {
		if f.Rule == "budget.items_sum_mismatch" {
			if s := report.ValueText(f.Values["items_sum_yuan"]); s != "3195 万元" {
				t.Errorf("items_sum_yuan read back reads %q, want 3195 万元", s)
			}
		}
	}
}
