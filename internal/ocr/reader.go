package ocr

import (
	"context"
	"fmt"
	"image"
	"strings"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/pipeline"
)

// Extractor is the name source.extractor gives a document OCR read.
const Extractor = "ocr"

// DPI is the resolution PDF pages are rendered at for recognition. At 200
// dpi the body text of these reports (10.5–12 pt) is 30–40 pixels high,
// what Tesseract's Chinese model reads best; 300 dpi read no better on the
// scanned corpus and cost more to render and clean.
const DPI = 200

// Reader recognises scanned documents. It renders PDF pages with the PDF
// reader it is given (not safe for concurrent use, like that reader);
// recognition runs on the process's shared engines.
type Reader struct {
	PDF *pdf.Reader
}

// ReadPDF builds the model of a PDF whose pages have no text layer, or
// some of them: texts holds each page's text layer ("" for a page to
// recognise; nil when no page has one).
func (r *Reader) ReadPDF(ctx context.Context, data []byte, texts []string) (*document.Doc, *pipeline.OCRInfo, error) {
	scan := func(page int) bool { return texts == nil || strings.TrimSpace(texts[page-1]) == "" }
	src := func(ctx context.Context, yield func(grey) error) error {
		return r.PDF.Render(ctx, data, DPI, scan, func(p pdf.Page) error {
			var img image.Image = p.Image
			if p.JPEG != nil {
				_, decode, err := raster.Decode(p.JPEG)
				if err != nil {
					return fmt.Errorf("第 %d 页：%w", p.Number, err)
				}
				if img, err = decode(0); err != nil {
					return fmt.Errorf("第 %d 页：%w", p.Number, err)
				}
			}
			g, red := raster.Grey(img)
			return yield(grey{number: p.Number, img: g, red: red, dpi: p.DPI})
		})
	}
	pages, err := recognizeAll(ctx, src)
	if err != nil {
		return nil, nil, err
	}
	n := len(texts)
	if texts == nil && len(pages) > 0 {
		n = pages[len(pages)-1].Number
	}
	return assemble(pages, texts, n)
}

// ReadImage builds the model of a page image file: PNG, JPEG, or a TIFF
// of one or more pages.
func (r *Reader) ReadImage(ctx context.Context, data []byte) (*document.Doc, *pipeline.OCRInfo, error) {
	n, page, err := raster.Decode(data)
	if err != nil {
		return nil, nil, err
	}
	src := func(ctx context.Context, yield func(grey) error) error {
		for i := range n {
			img, err := page(i)
			if err != nil {
				return fmt.Errorf("第 %d 页：%w", i+1, err)
			}
			g, red := raster.Grey(img)
			if err := yield(grey{number: i + 1, img: g, red: red, dpi: imageDPI(g.Bounds().Size())}); err != nil {
				return err
			}
		}
		return nil
	}
	pages, err := recognizeAll(ctx, src)
	if err != nil {
		return nil, nil, err
	}
	return assemble(pages, nil, n)
}

// imageDPI guesses a page image's resolution from its width, taking the
// page for A4 (8.27 inches wide), the paper these reports are on;
// resolution fields in image files are too often wrong to trust.
func imageDPI(size image.Point) int {
	w := min(size.X, size.Y)
	return min(max(int(float64(w)/8.27+0.5), 70), 600)
}

// assemble lays out the recognised pages, places them among the text
// pages, and builds the model.
func assemble(pages []Page, texts []string, n int) (*document.Doc, *pipeline.OCRInfo, error) {
	info := &pipeline.OCRInfo{Pages: []pipeline.OCRPage{}}
	byNumber := map[int]*pageLayout{}
	for _, p := range pages {
		pl := layoutPage(p)
		byNumber[p.Number] = &pl
		info.Pages = append(info.Pages, pipeline.OCRPage{Page: p.Number, Confidence: p.Confidence})
	}
	var srcs []source
	for i := 1; i <= n; i++ {
		s := source{number: i, layout: byNumber[i]}
		if s.layout == nil && texts != nil {
			s.text = texts[i-1]
		}
		if s.layout == nil && texts == nil {
			continue
		}
		srcs = append(srcs, s)
	}
	return buildDoc(srcs), info, nil
}
