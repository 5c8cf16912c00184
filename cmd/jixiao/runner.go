package main

import (
	"github.com/jixiao/jixiao/internal/ocr"
	"github.com/jixiao/jixiao/internal/office"
	"github.com/jixiao/jixiao/pipeline/run"
)

// newRunner is the pipeline with the PDF engines and OCR of this build, and
// LibreOffice (when installed) for the old binary Office formats.
func newRunner() (*run.Runner, func()) {
	r, release := ocr.NewRunner()
	r.Office = &office.Converter{}
	return r, release
}
