package main

import (
	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/pipeline/run"
)

// newRunner builds the pipeline with the PDF engines of this build. The
// returned function releases them. Nothing is started here: pdfium starts
// on the first PDF that needs it, so text files and PDFs the fast engine
// reads never pay its start-up. A batch gives each worker its own runner.
func newRunner() (*run.Runner, func()) {
	reader := pdf.NewReader(pdf.Options{})
	return &run.Runner{PDF: reader}, func() { reader.Close() }
}
