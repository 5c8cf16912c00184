package pdf

import (
	"context"
	"fmt"
	"image"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// Page is one page of a PDF as an image, for OCR: either the JPEG a
// scanner put on the page (JPEG set: its bytes as stored, decoded by the
// caller at their own resolution), or the page rendered (Image set, valid
// only during the call that hands it over: it lives in pdfium's memory).
type Page struct {
	Number int // 1-based
	Image  *image.RGBA
	JPEG   []byte
	DPI    int // of the image: the page's width in pixels over its width in inches
}

// Render hands each page of a PDF for which want is true to fn, as an
// image, in page order, one at a time, so a page is never held longer than
// its consumer needs it and memory stays bounded whatever the page count.
// A scanned page that is one JPEG covering the page is handed over as
// that JPEG: rendering it would only resample the scan (blurring its
// strokes) and cost a decode inside WebAssembly. Any other page is
// rendered at dpi, in colour: a red seal is told from the text by its
// colour.
//
// ctx bounds the whole call (a scan takes seconds a page, so the per-file
// Options.Timeout, meant for a text layer, does not apply); an error from
// fn stops rendering and is returned.
func (r *Reader) Render(ctx context.Context, data []byte, dpi int, want func(page int) bool, fn func(Page) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = recovered(p)
		}
	}()
	if int64(len(data)) > r.opts.MaxFileSize {
		return fmt.Errorf("%w: %d bytes, more than the limit of %d", ErrTooLarge, len(data), r.opts.MaxFileSize)
	}
	return r.withPdfium(ctx, data, true, func() error {
		return r.pdfium.run(ctx, func(inst pdfium.Pdfium) error {
			return pdfiumRender(inst, data, r.opts.MaxPages, dpi, want, fn)
		})
	})
}

func pdfiumRender(inst pdfium.Pdfium, data []byte, maxPages, dpi int, want func(int) bool, fn func(Page) error) error {
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

func renderPage(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, index, dpi int, fn func(Page) error) error {
	if p, ok := scannedJPEG(inst, doc, index); ok {
		return fn(p)
	}
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
	return fn(Page{Number: index + 1, Image: img, DPI: dpi})
}

// scannedJPEG returns the page's JPEG when the page is nothing but one
// JPEG image (one object, DCTDecode its only filter) of the page's own
// proportions, on an unrotated page: a scanner's output.
func scannedJPEG(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, index int) (Page, bool) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: index})
	if err != nil {
		return Page{}, false
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	ref := requests.Page{ByReference: &page.Page}
	if n, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: ref}); err != nil || n.Count != 1 {
		return Page{}, false
	}
	if r, err := inst.FPDFPage_GetRotation(&requests.FPDFPage_GetRotation{Page: ref}); err != nil || r.PageRotation != enums.FPDF_PAGE_ROTATION_NONE {
		return Page{}, false
	}
	obj, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: ref, Index: 0})
	if err != nil {
		return Page{}, false
	}
	if t, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: obj.PageObject}); err != nil || t.Type != enums.FPDF_PAGEOBJ_IMAGE {
		return Page{}, false
	}
	if n, err := inst.FPDFImageObj_GetImageFilterCount(&requests.FPDFImageObj_GetImageFilterCount{ImageObject: obj.PageObject}); err != nil || n.Count != 1 {
		return Page{}, false
	}
	if f, err := inst.FPDFImageObj_GetImageFilter(&requests.FPDFImageObj_GetImageFilter{ImageObject: obj.PageObject, Index: 0}); err != nil || f.ImageFilter != "DCTDecode" {
		return Page{}, false
	}
	px, err := inst.FPDFImageObj_GetImagePixelSize(&requests.FPDFImageObj_GetImagePixelSize{ImageObject: obj.PageObject})
	if err != nil || px.Width == 0 || px.Height == 0 {
		return Page{}, false
	}
	w, err1 := inst.FPDF_GetPageWidthF(&requests.FPDF_GetPageWidthF{Page: ref})
	h, err2 := inst.FPDF_GetPageHeightF(&requests.FPDF_GetPageHeightF{Page: ref})
	if err1 != nil || err2 != nil || w.PageWidth <= 0 || h.PageHeight <= 0 {
		return Page{}, false
	}
	if r := float64(px.Width) / float64(px.Height) / (float64(w.PageWidth) / float64(h.PageHeight)); r < 0.98 || r > 1.02 {
		return Page{}, false
	}
	raw, err := inst.FPDFImageObj_GetImageDataRaw(&requests.FPDFImageObj_GetImageDataRaw{ImageObject: obj.PageObject})
	if err != nil || len(raw.Data) == 0 {
		return Page{}, false
	}
	dpi := int(float64(px.Width)/(float64(w.PageWidth)/72) + 0.5)
	return Page{Number: index + 1, JPEG: raw.Data, DPI: dpi}, true
}
