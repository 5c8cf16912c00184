// Package run is the stage sequence: load → normalise → extract → check. It
// turns one file's bytes into a pipeline.Extraction. The store, the web
// server and the CLI call it; it calls the stage packages in internal/.
package run

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/check"
	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/extract"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/internal/textload"
	"github.com/jixiao/jixiao/pipeline"
)

// PDFText is the text layer of a PDF: one string per page and the engine
// that produced it. internal/pdf implements it.
type PDFText interface {
	Pages(ctx context.Context, data []byte) (pages []string, extractor string, err error)
}

// OCR reads scanned documents: page images, and PDFs with pages that have
// no text layer (texts: each page's text layer, "" for a page to
// recognise, nil for none). It builds the model itself, from word boxes.
// internal/ocr implements it.
type OCR interface {
	ReadPDF(ctx context.Context, data []byte, texts []string) (*document.Doc, *pipeline.OCRInfo, error)
	ReadImage(ctx context.Context, data []byte) (*document.Doc, *pipeline.OCRInfo, error)
}

// Runner runs the pipeline. A Runner is not safe for concurrent use when its
// PDF engine is not: give each worker its own.
type Runner struct {
	PDF PDFText // nil: PDFs are refused with a clear error
	OCR OCR     // nil: scanned documents are refused with a clear error
}

// ErrNoTextLayer is the error of a PDF with no text on any page; the PDF
// engine returns it (internal/pdf's ErrNoText is this error).
var ErrNoTextLayer = errors.New("no text layer (scanned PDF)")

// ErrNoOCR is returned for a page image when the runner has no OCR.
var ErrNoOCR = errors.New("page images are not supported by this build")

// ocrExtractor names OCR in source.extractor.
const ocrExtractor = "ocr"

// MaxTextBytes bounds a text report: the longest real reports are well under
// a megabyte, so anything this large is not one, and reading it would only
// cost time.
const MaxTextBytes = 16 << 20

// ErrTooLarge is returned for a text file over MaxTextBytes.
var ErrTooLarge = errors.New("file too large for a report")

// ErrNoPDFEngine is returned for a PDF when the runner has no PDF engine.
var ErrNoPDFEngine = errors.New("PDF input is not supported by this build")

// File reads one document. name is used for messages and source.name only.
// Any panic inside a stage (a third-party parser on hostile input) is
// recovered and returned as this file's error.
func (r *Runner) File(ctx context.Context, name string, data []byte) (ext *pipeline.Extraction, err error) {
	defer func() {
		if p := recover(); p != nil {
			ext, err = nil, fmt.Errorf("%s: internal error while reading: %v", name, p)
		}
	}()
	sum := sha256.Sum256(data)
	src := pipeline.Source{Name: name, SHA256: hex.EncodeToString(sum[:])}
	doc, err := r.load(ctx, data, &src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if src.Pages == 0 {
		src.Pages = doc.Pages
	}
	src.Chars = utf8.RuneCountInString(doc.Text)
	ext = pipeline.NewExtraction()
	ext.Source = src
	ext.Text = doc.Text
	ext.Positions = doc.Positions()
	ext.Report = extract.Extract(doc)
	ext.Findings = check.Run(doc, &ext.Report)
	ext.Audit = check.Audit(&ext.Report)
	return ext, nil
}

func (r *Runner) load(ctx context.Context, data []byte, src *pipeline.Source) (*document.Doc, error) {
	if textload.IsPDF(data) {
		src.Format = "pdf"
		if r.PDF == nil {
			return nil, ErrNoPDFEngine
		}
		pages, extractor, err := r.PDF.Pages(ctx, data)
		switch {
		case errors.Is(err, ErrNoTextLayer) && r.OCR != nil:
			return r.scannedPDF(ctx, data, nil, ocrExtractor, src)
		case err != nil:
			return nil, err
		case r.OCR != nil && someEmpty(pages):
			return r.scannedPDF(ctx, data, pages, extractor+"+"+ocrExtractor, src)
		}
		src.Extractor = extractor
		src.Pages = len(pages)
		return normalize.Parse(normalize.JoinPages(pages)), nil
	}
	if raster.Format(data) != "" {
		src.Format, src.Extractor = "image", ocrExtractor
		if r.OCR == nil {
			return nil, ErrNoOCR
		}
		doc, info, err := r.OCR.ReadImage(ctx, data)
		if err != nil {
			return nil, err
		}
		src.OCR, src.Pages = info, len(info.Pages)
		return doc, nil
	}
	src.Format = "text"
	src.Extractor = "text"
	if len(data) > MaxTextBytes {
		return nil, fmt.Errorf("%w (%d MB; a text report is under %d MB)", ErrTooLarge, len(data)>>20, MaxTextBytes>>20)
	}
	text, enc, err := textload.Decode(data)
	if err != nil {
		return nil, err
	}
	src.Encoding = enc
	return normalize.Parse(text), nil
}

// scannedPDF recognises the pages of a PDF that have no text layer (all of
// them when texts is nil).
func (r *Runner) scannedPDF(ctx context.Context, data []byte, texts []string, extractor string, src *pipeline.Source) (*document.Doc, error) {
	doc, info, err := r.OCR.ReadPDF(ctx, data, texts)
	if err != nil {
		if texts == nil {
			return nil, fmt.Errorf("%w; %w", ErrNoTextLayer, err)
		}
		return nil, err
	}
	src.Extractor, src.OCR = extractor, info
	if texts != nil {
		src.Pages = len(texts)
	} else {
		src.Pages = doc.Pages
	}
	return doc, nil
}

// someEmpty: a page of an otherwise text PDF has no text: a scanned page
// inside it.
func someEmpty(pages []string) bool {
	for _, p := range pages {
		if strings.TrimSpace(p) == "" {
			return true
		}
	}
	return false
}
