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

// prepare straightens a grey page, makes it black and white, clears it of
// dust and finds its tables, then erases their rules. Each step was kept
// because it lowered the character error rate on the scanned corpus (see
// README, "Scanned reports").
func prepare(number int, g *image.Gray, dpi int) prepared {
	ink := raster.Otsu(g)
	skew := raster.Skew(g, ink)
	if math.Abs(skew) >= 0.1 {
		g = raster.Rotate(g, -skew)
	}
	raster.Binarize(g, ink)
	raster.Despeckle(g, dpi*dpi/10000) // 4 pixels at 200 dpi: dust, never a decimal point
	rules := raster.Rules(g, dpi)
	grids := raster.Grids(g, rules)
	raster.Erase(g, rules, max(2, dpi/100))
	return prepared{number: number, img: g, dpi: dpi, grids: grids, skew: skew}
}

// recognize reads a prepared page with an engine from the pool.
func recognize(ctx context.Context, p prepared) (Page, error) {
	e, err := engines.get(ctx)
	if err != nil {
		return Page{}, err
	}
	defer engines.put(e)
	words, err := e.Recognize(p.img, p.dpi, tesseract.PSMSingleBlock)
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
		out = append(out, w)
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
