package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

var historyTests = []struct {
	name string
	fn   func(*testing.T, pipeline.Store)
}{
	{"CrossYearEvidenceFromTheStoreNamesTheSourceLine", crossYearEvidenceFromStore},
}

// A report judged again from the store — an earlier year arrived after it
// was saved — places its cross-year evidence on the same source lines as
// when it was judged fresh from its file. dev-026 is a PDF's text whose
// wrapped lines the normaliser joins, so a line counted in the normalised
// text is not the source's.
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
