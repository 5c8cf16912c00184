package ocr

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/pipeline"
)

// The fixtures in testdata/scan are scans made the way
// shared/tools/make_scans makes the scanned corpus (200 dpi grey, red
// seal, JPEG), cut small: a page with a seal over text (PNG), the top of a
// first page turned 1.5° (JPEG), two pages of one TIFF, a ruled
// self-evaluation table under a seal (an image-only PDF), and a report
// whose last page alone was scanned (text pages 1–2, scanned page 3).

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "scan", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readImage(t *testing.T, name string) (string, *pipeline.OCRInfo) {
	t.Helper()
	doc, info, err := (&Reader{}).ReadImage(context.Background(), fixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc.Text, info
}

func TestImageFiles(t *testing.T) {
	for _, c := range []struct {
		file  string
		pages int
		want  []string
	}{
		// The seal's ring and star cross three lines; dropped by colour,
		// they leave the text around them readable and no letters of
		// their own (read in grey, the ring came out as SS, AN, N).
		{"seal.png", 1, []string{"（四）项目效益情况", "（五）满意度指标完成情况分析", "居民健康素养水平年度目标值≥25%", "实际完成30.3%"}},
		{"tilted.jpg", 1, []string{"城乡最低生活保障资金2020年度绩效自评报告", "一、项目基本情况", "年初预算数为0.631亿元", "11,417,300.00元"}},
		{"pages.tif", 2, []string{"城乡最低生活保障资金2020年度绩效自评报告", "实际支出27,602,152.00元，预算执行率为94.66%"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			text, info := readImage(t, c.file)
			if len(info.Pages) != c.pages {
				t.Errorf("%d pages recognised, want %d", len(info.Pages), c.pages)
			}
			for _, p := range info.Pages {
				if p.Confidence < 70 || p.Confidence > 100 {
					t.Errorf("page %d: mean confidence %.1f, want 70–100", p.Page, p.Confidence)
				}
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("missing %q in:\n%s", w, text)
				}
			}
			if c.file == "seal.png" && strings.IndexFunc(text, func(r rune) bool { return r < 0x80 && (r|0x20 >= 'a' && r|0x20 <= 'z') }) >= 0 {
				t.Errorf("Latin letters read from the seal:\n%s", text)
			}
		})
	}
}

// A page fed crooked is straightened before recognition: the skew found
// is the 1.5° it was turned by.
func TestTiltedPage(t *testing.T) {
	_, decode, err := raster.Decode(fixture(t, "tilted.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := decode(0)
	if err != nil {
		t.Fatal(err)
	}
	g, red := raster.Grey(img)
	p := prepare(1, g, red, 200)
	if math.Abs(math.Abs(p.skew)-1.5) > 0.15 {
		t.Errorf("skew %.2f°, want ±1.5°", p.skew)
	}
}

// A ruled table under a seal reaches the extractor as a grid: each
// indicator in its row, with its target, actual, weight and score in
// their columns, the 预算执行率 row and the total read.
func TestScannedTable(t *testing.T) {
	runner, done := NewRunner()
	defer done()
	ext, err := runner.File(context.Background(), "table-seal.pdf", fixture(t, "table-seal.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if ext.Source.Extractor != Extractor || ext.Source.OCR == nil || len(ext.Source.OCR.Pages) != 1 {
		t.Fatalf("source %+v, want extractor ocr with one page", ext.Source)
	}
	r := ext.Report
	if len(r.Indicators) != 8 {
		t.Errorf("%d indicator rows, want 8", len(r.Indicators))
	}
	rows := map[string]pipeline.Indicator{}
	for _, ind := range r.Indicators {
		rows[ind.Level3] = ind
	}
	for _, w := range []struct{ name, target, actual, weight, score string }{
		{"举办科普活动场次", "≥200场", "222场", "15", "15"},
		{"科普大篷车巡展里程", "≥4万公里", "4万公里", "10", "10"},
		{"基层科普服务能力", "长期", "长期", "10", "10"},
		{"参与群众满意度", "", "90.4%", "10", "10"}, // its ≥ is lost under the seal's ring
	} {
		got, ok := rows[w.name]
		if !ok {
			t.Errorf("no row %q in %v", w.name, names(r.Indicators))
			continue
		}
		if w.target != "" && got.Target != w.target || got.Actual != w.actual || dec(got.Weight) != w.weight || dec(got.Score) != w.score {
			t.Errorf("row %q: %q %q %s %s, want %q %q %s %s", w.name, got.Target, got.Actual, dec(got.Weight), dec(got.Score), w.target, w.actual, w.weight, w.score)
		}
		if got.Evidence.Page != 1 || got.Evidence.Confidence <= 0 {
			t.Errorf("row %q: evidence %+v, want page 1 with a confidence", w.name, got.Evidence)
		}
	}
	if r.TableTotal == nil || r.TableTotal.String() != "98.73" {
		t.Errorf("total %v, want 98.73", r.TableTotal)
	}
	if r.Budget.Planned == nil || r.Budget.Planned.Yuan() != "5490000" {
		t.Errorf("planned %v, want 549.00 万元", r.Budget.Planned)
	}
}

func names(inds []pipeline.Indicator) []string {
	var out []string
	for _, i := range inds {
		out = append(out, i.Level3)
	}
	return out
}

func dec(d *pipeline.Decimal) string {
	if d == nil {
		return "null"
	}
	return d.String()
}

// A report whose last page alone was scanned: its text pages are read from
// the text layer, the scanned one by OCR, into one model; only the
// scanned page's figures carry a confidence.
func TestMixedPDF(t *testing.T) {
	runner, done := NewRunner()
	defer done()
	ext, err := runner.File(context.Background(), "mixed.pdf", fixture(t, "mixed.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	s := ext.Source
	if !strings.HasSuffix(s.Extractor, "+"+Extractor) || s.Pages != 3 || s.OCR == nil || len(s.OCR.Pages) != 1 || s.OCR.Pages[0].Page != 3 {
		t.Fatalf("source %+v %+v, want 3 pages, page 3 by OCR", s, s.OCR)
	}
	r := ext.Report
	if ev := r.Evidence["executed"]; ev.Page != 1 || ev.Confidence != 0 {
		t.Errorf("executed evidence %+v, want page 1 with no confidence (text layer)", ev)
	}
	// The signature under the seal, on the scanned page, names the body.
	if ev := r.Evidence["organization"]; r.Organization != "伊宁县农业农村局" || ev.Page != 3 || ev.Confidence <= 0 || ev.Confidence > 100 {
		t.Errorf("organization %q %+v, want page 3 with a confidence", r.Organization, ev)
	}
	if len(r.Problems) != 4 || !strings.Contains(ext.Text, "绩效监控工作不够深入") {
		t.Errorf("problems %q, want the scanned page's four", r.Problems)
	}
}

// The pipeline's own reader of PDF pages renders with the pdfium it reads
// text layers with; a page of a scanned PDF comes out as its JPEG.
func TestRenderScannedPage(t *testing.T) {
	r := pdf.NewReader(pdf.Options{})
	defer r.Close()
	var got []pdf.Page
	err := r.Render(context.Background(), fixture(t, "table-seal.pdf"), DPI, func(int) bool { return true }, func(p pdf.Page) error {
		got = append(got, pdf.Page{Number: p.Number, DPI: p.DPI, JPEG: p.JPEG})
		return nil
	})
	if err != nil || len(got) != 1 || got[0].JPEG == nil || got[0].DPI != 200 {
		t.Fatalf("rendered %+v, %v; want one 200-dpi JPEG page", got, err)
	}
}
