package ocr

import (
	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/pipeline/run"
)

// NewRunner builds the pipeline with the PDF engines and OCR; the returned
// function releases them. Nothing is started here: pdfium starts on the
// first PDF that needs it, a Tesseract engine on the first scanned page. A
// batch gives each worker its own runner; the engines are shared.
func NewRunner() (*run.Runner, func()) {
	reader := pdf.NewReader(pdf.Options{})
	return &run.Runner{PDF: reader, OCR: &Reader{PDF: reader}}, func() { reader.Close() }
}
