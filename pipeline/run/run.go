// Package run is the stage sequence: load → model → extract → check. It
// turns one file's bytes into a pipeline.Extraction per report it holds. The store, the web
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
	"github.com/jixiao/jixiao/internal/docx"
	"github.com/jixiao/jixiao/internal/extract"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/internal/office"
	"github.com/jixiao/jixiao/internal/ooxml"
	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/internal/textload"
	"github.com/jixiao/jixiao/internal/xlsx"
	"github.com/jixiao/jixiao/pipeline"
)

// PDFText is the text layer of a PDF: one string per page and the engine
// that produced it. internal/pdf implements it.
type PDFText interface {
	Pages(ctx context.Context, data []byte) (pages []string, extractor string, err error)
}

// Converter turns an old binary Office file (.doc, .wps, .xls) into its
// Office Open XML twin (.docx, .xlsx). internal/office implements it with
// LibreOffice headless.
type Converter interface {
	Convert(ctx context.Context, data []byte, k office.Kind) ([]byte, error)
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
	PDF    PDFText   // nil: PDFs are refused with a clear error
	Office Converter // nil: .doc/.wps/.xls are refused with a clear error
	OCR    OCR       // nil: scanned documents are refused with a clear error
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

// ErrSeveralReports is File's error for a file that holds several reports
// (a workbook with several projects' forms); Reports reads them all.
var ErrSeveralReports = errors.New("文件含多份报告")

// Part is one report's text model within a file: the whole file, or one
// form of a workbook (Sheet names its worksheet, Form its place there when
// the sheet holds several).
type Part struct {
	Sheet string
	Form  int
	Doc   *document.Doc
}

// Loaded is a file read as far as the text model: what it was and the
// model of each report it holds.
type Loaded struct {
	Source pipeline.Source
	Parts  []Part
}

// File reads a document that holds one report. A workbook holding several
// projects' forms is refused with ErrSeveralReports, naming its sheets:
// callers that can take several reports use Reports. name is used for
// messages and source.name only. Any panic inside a stage (a third-party
// parser on hostile input) is recovered and returned as this file's error.
func (r *Runner) File(ctx context.Context, name string, data []byte) (*pipeline.Extraction, error) {
	exts, err := r.Reports(ctx, name, data)
	if err != nil {
		return nil, err
	}
	if len(exts) > 1 {
		var sheets []string
		for _, e := range exts {
			sheets = append(sheets, "“"+e.Source.Sheet+"”")
		}
		return nil, fmt.Errorf("%s: %w（%d 份，工作表 %s），请逐份读取", name, ErrSeveralReports, len(exts), strings.Join(sheets, "、"))
	}
	return exts[0], nil
}

// Reports reads every report a document holds: one for a text, PDF or Word
// file; one per project's form for a workbook, in sheet order, each with
// source.sheet set.
func (r *Runner) Reports(ctx context.Context, name string, data []byte) (exts []*pipeline.Extraction, err error) {
	defer func() {
		if p := recover(); p != nil {
			exts, err = nil, fmt.Errorf("%s: internal error while reading: %v", name, p)
		}
	}()
	l, err := r.Load(ctx, name, data)
	if err != nil {
		return nil, err
	}
	for _, p := range l.Parts {
		ext, err := extractPart(ctx, l.Source, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		exts = append(exts, ext)
	}
	return exts, nil
}

// Load reads a document as far as its text model.
func (r *Runner) Load(ctx context.Context, name string, data []byte) (*Loaded, error) {
	sum := sha256.Sum256(data)
	l := &Loaded{Source: pipeline.Source{Name: name, SHA256: hex.EncodeToString(sum[:])}}
	parts, err := r.load(ctx, data, &l.Source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("%s: %s", name, "文件中没有可读的文字")
	}
	l.Parts = parts
	return l, nil
}

// extractPart extracts and checks one report of a loaded document. A
// cancelled ctx (a client gone, a server stopping) ends it between stages;
// each stage is linear in the text, so none runs on long after.
func extractPart(ctx context.Context, src pipeline.Source, p Part) (*pipeline.Extraction, error) {
	doc := p.Doc
	src.Sheet, src.Form = p.Sheet, p.Form
	if src.Pages == 0 {
		src.Pages = doc.Pages
	}
	src.Chars = utf8.RuneCountInString(doc.Text)
	ext := pipeline.NewExtraction()
	ext.Source = src
	ext.Text = doc.Text
	ext.Positions = doc.Positions()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ext.Report = extract.Extract(doc)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ext.Findings = check.Run(doc, &ext.Report)
	ext.Audit = check.Audit(&ext.Report)
	return ext, nil
}

// Format names what data is by its bytes, as source.format does: "pdf",
// "image" (a page image: PNG, JPEG, TIFF), "docx", "xlsx", "doc", "wps",
// "xls", or "text" for anything else (which
// may still fail to decode). name only tells a .wps saved in Word's format
// from a .doc.
func Format(data []byte, name string) string {
	switch {
	case textload.IsPDF(data):
		return "pdf"
	case raster.Format(data) != "":
		return "image"
	case ooxml.IsZip(data):
		if pkg, err := ooxml.Open(data); err == nil {
			switch pkg.Kind() {
			case ooxml.Word:
				return "docx"
			case ooxml.Excel:
				return "xlsx"
			}
		}
		return "zip"
	case office.IsOLE2(data):
		k, _ := office.Identify(data)
		if f := office.Format(k, name); f != "" {
			return f
		}
		return "ole2"
	}
	return "text"
}

// load reads data by what its bytes are: a PDF, an Office Open XML
// package, an OLE2 compound file (old Office, or an encrypted new one), or
// text.
func (r *Runner) load(ctx context.Context, data []byte, src *pipeline.Source) ([]Part, error) {
	switch {
	case textload.IsPDF(data):
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
		return one(normalize.Parse(normalize.JoinPages(pages))), nil
	case raster.Format(data) != "":
		src.Format, src.Extractor = "image", ocrExtractor
		if r.OCR == nil {
			return nil, ErrNoOCR
		}
		doc, info, err := r.OCR.ReadImage(ctx, data)
		if err != nil {
			return nil, err
		}
		src.OCR, src.Pages = info, len(info.Pages)
		return one(doc), nil
	case ooxml.IsZip(data):
		return loadOOXML(data, src, "")
	case office.IsOLE2(data):
		return r.loadOLE2(ctx, data, src)
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
	return one(normalize.Parse(text)), nil
}

func one(d *document.Doc) []Part { return []Part{{Doc: d}} }

// loadOOXML reads a .docx or .xlsx. via names a converter that made it
// from an old binary file ("" for none): the format is then already set,
// and the extractor names both.
func loadOOXML(data []byte, src *pipeline.Source, via string) ([]Part, error) {
	pkg, err := ooxml.Open(data)
	if err != nil {
		return nil, err
	}
	format, extractor := "", ""
	var parts []Part
	switch pkg.Kind() {
	case ooxml.Word:
		format, extractor = "docx", docx.Extractor
		var d *document.Doc
		if d, err = docx.ReadPackage(pkg); err == nil {
			parts = one(d)
		}
	case ooxml.Excel:
		format, extractor = "xlsx", xlsx.Extractor
		var reports []xlsx.Report
		reports, err = xlsx.Read(data)
		for _, rep := range reports {
			parts = append(parts, Part{Sheet: rep.Sheet, Form: rep.Form, Doc: rep.Doc})
		}
	default:
		format, err = "zip", ooxml.ErrNotOffice
	}
	if via == "" {
		src.Format = format
	} else {
		extractor = via + "+" + extractor
	}
	src.Extractor = extractor
	return parts, err
}

// loadOLE2 refuses an encrypted package and converts an old binary file
// with LibreOffice, then reads what it made.
func (r *Runner) loadOLE2(ctx context.Context, data []byte, src *pipeline.Source) ([]Part, error) {
	k, err := office.Identify(data)
	if k == office.Encrypted {
		src.Format = "encrypted"
		return nil, office.ErrEncrypted
	}
	if k == office.Slides {
		return nil, office.ErrSlides
	}
	if err != nil {
		return nil, err
	}
	src.Format = office.Format(k, src.Name)
	if r.Office == nil {
		return nil, office.ErrNoLibreOffice
	}
	converted, err := r.Office.Convert(ctx, data, k)
	if err != nil {
		return nil, err
	}
	return loadOOXML(converted, src, "libreoffice")
}

// scannedPDF recognises the pages of a PDF that have no text layer (all of
// them when texts is nil).
func (r *Runner) scannedPDF(ctx context.Context, data []byte, texts []string, extractor string, src *pipeline.Source) ([]Part, error) {
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
	return one(doc), nil
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
