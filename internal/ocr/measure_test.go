package ocr

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/internal/raster"
)

// TestMeasurePrep measures each cleaning step of prepare on a scanned
// corpus: the character error rate of the recognised pages against their
// text twins' text layer, with every step, and with each step left out.
// It is a measurement, not a check, and runs only when asked:
//
//	JIXIAO_SCAN_CORPUS=../shared/corpus/scan JIXIAO_TEXT_CORPUS=../shared/corpus/dev \
//	  go test -tags sqlite_fts5 -run MeasurePrep -v ./internal/ocr
func TestMeasurePrep(t *testing.T) {
	scans, texts := os.Getenv("JIXIAO_SCAN_CORPUS"), os.Getenv("JIXIAO_TEXT_CORPUS")
	if scans == "" || texts == "" {
		t.Skip("set JIXIAO_SCAN_CORPUS and JIXIAO_TEXT_CORPUS to measure")
	}
	files, _ := filepath.Glob(filepath.Join(scans, "*.pdf"))
	variants := []struct {
		name string
		o    prep
		lum  bool // no red dropped
	}{
		{"every step", defaultPrep, false},
		{"seal not dropped", defaultPrep, true},
		{"no deskew", prep{binarize: true, despeckle: true, scale: 1}, false},
		{"grey, not binarized", prep{deskew: true, scale: 1}, false},
		{"no despeckle", prep{deskew: true, binarize: true, scale: 1}, false},
		{"300 dpi (×1.5)", prep{deskew: true, binarize: true, despeckle: true, scale: 1.5}, false},
	}
	if v := os.Getenv("JIXIAO_PREP_VARIANTS"); v != "" {
		keep := variants[:0]
		for _, x := range variants {
			if strings.Contains(v, x.name) {
				keep = append(keep, x)
			}
		}
		variants = keep
	}
	r := pdf.NewReader(pdf.Options{})
	defer r.Close()
	errs := make([]int, len(variants))
	took := make([]time.Duration, len(variants))
	total := 0
	for _, f := range files {
		twin, _ := os.ReadFile(filepath.Join(texts, filepath.Base(f)))
		ref, _, err := r.Pages(context.Background(), twin)
		if err != nil {
			t.Fatalf("%s: text twin: %v", f, err)
		}
		data, _ := os.ReadFile(f)
		err = r.Render(context.Background(), data, DPI, func(int) bool { return true }, func(p pdf.Page) error {
			img := p.Image
			var src image.Image = img
			if p.JPEG != nil {
				_, dec, err := raster.Decode(p.JPEG)
				if err != nil {
					return err
				}
				if src, err = dec(0); err != nil {
					return err
				}
			}
			want := squash(ref[p.Number-1])
			total += len(want)
			for i, v := range variants {
				g, red := raster.Grey(src)
				if v.lum {
					g, red = luminance(src), nil
				}
				start := time.Now()
				page, err := recognize(context.Background(), v.o.prepare(p.Number, g, red, p.DPI))
				took[i] += time.Since(start)
				if err != nil {
					return err
				}
				var got strings.Builder
				for _, w := range page.Words {
					got.WriteString(w.Text)
				}
				errs[i] += editDistance(squash(got.String()), want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, v := range variants {
		fmt.Printf("%-22s CER %.4f  %v\n", v.name, float64(errs[i])/float64(total), took[i].Round(time.Millisecond))
	}
}

func squash(s string) []rune {
	var out []rune
	for _, r := range s {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// luminance is the page grey with nothing dropped.
func luminance(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, gg, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			g.Pix[y*g.Stride+x] = uint8((299*(r>>8) + 587*(gg>>8) + 114*(bb>>8)) / 1000)
		}
	}
	return g
}
