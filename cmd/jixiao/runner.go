package main

import (
	"github.com/jixiao/jixiao/internal/office"
	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/pipeline/run"
)

// newRunner is the pipeline with the PDF engines of this build and
// LibreOffice (when installed) for the old binary Office formats.
func newRunner() (*run.Runner, func()) {
	r, release := pdf.NewRunner()
	r.Office = &office.Converter{}
	return r, release
}
