package pdf

import "github.com/jixiao/jixiao/pipeline/run"

// NewRunner builds the pipeline with this package's PDF engines; the
// returned function releases them. Nothing is started here: pdfium starts on
// the first PDF that needs it, so text files and PDFs the fast engine reads
// never pay its start-up. A batch gives each worker its own runner.
func NewRunner() (*run.Runner, func()) {
	reader := NewReader(Options{})
	return &run.Runner{PDF: reader}, func() { reader.Close() }
}
