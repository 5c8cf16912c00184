package ocr

import (
	"context"
	"image"
	"math"
	"strings"

	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/internal/tesseract"
)

// Page is one recognised page: its words (boxes in the straightened
// page's pixels) and the ruled tables found on it.
type Page struct {
	Number     int // 1-based page of the document
	Size       image.Point
	DPI        int
	Words      []tesseract.Word
	Grids      []*raster.Grid
	Skew       float64 // degrees the page was turned back by
	Confidence float64 // mean word confidence, weighted by characters
}

// prepared is a page ready for recognition.
type prepared struct {
	number int
	img    *image.Gray
	dpi    int
	grids  []*raster.Grid
	skew   float64
}

// prep says which cleaning steps prepare takes. The default takes every
// one: each lowered the character error rate on the scanned corpus
// (TestMeasurePrep measures them; README, "Scanned reports", has the
// figures).
type prep struct {
	deskew, binarize, despeckle bool
	scale                       float64 // resample by this factor first (1: not at all)
}

var defaultPrep = prep{deskew: true, binarize: true, despeckle: true, scale: 1}

// prepare straightens a grey page, finds its tables, makes it black and
// white, clears it of dust and erases the tables' rules.
func prepare(number int, g, red *image.Gray, dpi int) prepared {
	return defaultPrep.prepare(number, g, red, dpi)
}

func (o prep) prepare(number int, g, red *image.Gray, dpi int) prepared {
	if o.scale != 1 && o.scale > 0 {
		g, red = raster.Scale(g, o.scale), scaleMask(red, o.scale)
		dpi = int(float64(dpi)*o.scale + 0.5)
	}
	ink := raster.Otsu(g)
	skew := 0.0
	if o.deskew {
		skew = raster.Skew(g, ink)
	}
	if math.Abs(skew) >= 0.1 {
		g = raster.Rotate(g, -skew, 255)
		if red != nil {
			red = raster.Rotate(red, -skew, 0)
		}
	}
	level := ruleLevel(ink)
	rules := raster.Rules(g, level, dpi)
	grids := raster.Grids(g, red, level, rules)
	if o.binarize {
		raster.Binarize(g, ink)
		if o.despeckle {
			raster.Despeckle(g, dpi*dpi/10000) // 4 pixels at 200 dpi: dust, never a decimal point
		}
	}
	raster.Erase(g, rules, max(2, dpi/100))
	return prepared{number: number, img: g, dpi: dpi, grids: grids, skew: skew}
}

func scaleMask(m *image.Gray, f float64) *image.Gray {
	if m == nil {
		return nil
	}
	return raster.Scale(m, f)
}

// ruleLevel is the grey level under which a pixel counts as a rule's ink:
// halfway from the text's threshold to white.
func ruleLevel(ink uint8) uint8 { return uint8((int(ink) + 255) / 2) }

// recognize reads a prepared page with an engine from the pool.
func recognize(ctx context.Context, p prepared) (Page, error) {
	words, err := engines.recognize(ctx, p)
	if err != nil {
		return Page{}, err
	}
	return Page{Number: p.number, Size: p.img.Bounds().Size(), DPI: p.dpi, Words: dropNoise(words),
		Grids: p.grids, Skew: p.skew, Confidence: meanConfidence(words)}, nil
}

// dropNoise removes what Tesseract reads in specks and smudges: words of
// punctuation alone read with little confidence.
func dropNoise(ws []tesseract.Word) []tesseract.Word {
	out := ws[:0]
	for _, w := range ws {
		if w.Confidence < 40 && strings.Trim(w.Text, ".,:;'\"`~-_|!^·。，、'‘’“”…") == "" {
			continue
		}
		out = append(out, dropFragments(w))
	}
	return out
}

func meanConfidence(ws []tesseract.Word) float64 {
	sum, n := 0.0, 0
	for _, w := range ws {
		k := len([]rune(w.Text))
		sum += w.Confidence * float64(k)
		n += k
	}
	if n == 0 {
		return 0
	}
	return math.Round(sum/float64(n)*10) / 10
}
