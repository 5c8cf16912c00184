package pdf

import (
	"context"
	"fmt"
	"image"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// Render draws pages of a PDF as images with pdfium, for OCR: fn gets each
// page (1-based) for which want is true, in page order, at dpi, one at a
// time. The image is valid only during the call (it lives in pdfium's
// memory), so a page is never held longer than its consumer needs it and
// memory stays bounded whatever the page count. Pages are rendered in
// colour: a red seal is told from the text by its colour.
//
// ctx bounds the whole call (a scan takes seconds a page, so the per-file
// Options.Timeout, meant for a text layer, does not apply); an error from
// fn stops rendering and is returned.
func (r *Reader) Render(ctx context.Context, data []byte, dpi int, want func(page int) bool, fn func(page int, img *image.RGBA) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrMalformed, p)
		}
	}()
	if int64(len(data)) > r.opts.MaxFileSize {
		return fmt.Errorf("%w: %d bytes, more than the limit of %d", ErrTooLarge, len(data), r.opts.MaxFileSize)
	}
	return r.pdfium.run(ctx, func(inst pdfium.Pdfium) error {
		return pdfiumRender(inst, data, r.opts.MaxPages, dpi, want, fn)
	})
}

func pdfiumRender(inst pdfium.Pdfium, data []byte, maxPages, dpi int, want func(int) bool, fn func(int, *image.RGBA) error) error {
	doc, err := openDocument(inst, data)
	if err != nil {
		return err
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc})
	count, err := pageCount(inst, doc, maxPages)
	if err != nil {
		return err
	}
	for i := 0; i < count; i++ {
		if !want(i + 1) {
			continue
		}
		if err := renderPage(inst, doc, i, dpi, fn); err != nil {
			return err
		}
	}
	return nil
}

func renderPage(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, index, dpi int, fn func(int, *image.RGBA) error) error {
	res, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{
		Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc, Index: index}},
		DPI:  dpi,
	})
	if err != nil {
		return fmt.Errorf("%w: page %d: pdfium: %v", ErrMalformed, index+1, err)
	}
	defer res.Cleanup()
	img, ok := res.Result.RenderedImage.(*image.RGBA)
	if !ok {
		return fmt.Errorf("%w: page %d: pdfium rendered no image", ErrMalformed, index+1)
	}
	return fn(index+1, img)
}
