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
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/check"
	"github.com/jixiao/jixiao/internal/extract"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/internal/textload"
	"github.com/jixiao/jixiao/pipeline"
)

// PDFText is the text layer of a PDF: one string per page and the engine
// that produced it. internal/pdf implements it.
type PDFText interface {
	Pages(ctx context.Context, data []byte) (pages []string, extractor string, err error)
}

// Runner runs the pipeline. A Runner is not safe for concurrent use when its
// PDF engine is not: give each worker its own.
type Runner struct {
	PDF PDFText // nil: PDFs are refused with a clear error
}

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
	raw, err := r.load(ctx, data, &src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	doc := normalize.Parse(raw)
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

func (r *Runner) load(ctx context.Context, data []byte, src *pipeline.Source) (string, error) {
	if textload.IsPDF(data) {
		src.Format = "pdf"
		if r.PDF == nil {
			return "", ErrNoPDFEngine
		}
		pages, extractor, err := r.PDF.Pages(ctx, data)
		if err != nil {
			return "", err
		}
		src.Extractor = extractor
		src.Pages = len(pages)
		return normalize.JoinPages(pages), nil
	}
	src.Format = "text"
	src.Extractor = "text"
	if len(data) > MaxTextBytes {
		return "", fmt.Errorf("%w (%d MB; a text report is under %d MB)", ErrTooLarge, len(data)>>20, MaxTextBytes>>20)
	}
	text, enc, err := textload.Decode(data)
	if err != nil {
		return "", err
	}
	src.Encoding = enc
	return text, nil
}
