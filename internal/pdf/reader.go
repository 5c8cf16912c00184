package pdf

import (
	"context"
	"errors"
	"fmt"
	"time"

	lpdf "github.com/ledongthuc/pdf"

	"github.com/jixiao/jixiao/pipeline/run"
)

// Engine names recorded in source.extractor.
const (
	EngineFast   = "ledongthuc/pdf"
	EnginePdfium = "pdfium"
)

// Errors a caller may test for with errors.Is. Their texts are the reasons
// shown to the user after the file name.
var (
	ErrNoText       = run.ErrNoTextLayer // the pipeline then hands the file to OCR
	ErrNotDecodable = errors.New("text layer is not decodable")
	ErrEncrypted    = errors.New("encrypted (needs a password)")
	ErrMalformed    = errors.New("malformed PDF")
	ErrTooLarge     = errors.New("PDF too large")
	ErrTimeout      = errors.New("PDF took too long to read")
)

// Options bound the work one file may cause. Zero fields take defaults.
type Options struct {
	Timeout            time.Duration // per file; default 60 s
	MaxPages           int           // default 2000
	MaxFileSize        int64         // bytes; default 256 MiB
	MaxContentBytes    int64         // one page's decompressed content streams; default 64 MiB
	MaxStreamBytes     int64         // any one decompressed stream; default 256 MiB (see lpdf.DefaultMaxStreamBytes)
	MaxDecodedBytes    int64         // a document's decompressed streams but images, together, as read (the fast engine reads content twice); default 1 GiB
	MaxEngineMemory    uint64        // pdfium's WebAssembly memory, bytes; default 384 MiB
	NoCompilationCache bool          // do not use the on-disk compiled-module cache
	ForceEngine        string        // EngineFast or EnginePdfium: skip routing (tests, benchmarks)
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.MaxPages <= 0 {
		o.MaxPages = 2000
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = 256 << 20
	}
	if o.MaxContentBytes <= 0 {
		o.MaxContentBytes = 64 << 20
	}
	if o.MaxStreamBytes <= 0 {
		o.MaxStreamBytes = lpdf.DefaultMaxStreamBytes
	}
	if o.MaxDecodedBytes <= 0 {
		o.MaxDecodedBytes = lpdf.DefaultMaxTotalBytes
	}
	if o.MaxEngineMemory == 0 {
		// The file itself (up to MaxFileSize) is copied into pdfium's
		// memory; reading text takes 18 MiB besides, rendering a page at
		// 300 dpi up to 71 MiB (measured on testdata/pdf).
		o.MaxEngineMemory = 384 << 20
	}
	return o
}

// Reader reads the text layer of PDFs. It is not safe for concurrent use:
// give each worker its own and Close it when done. pdfium is started the
// first time a file needs it.
type Reader struct {
	opts   Options
	pdfium *pdfiumEngine
}

// NewReader returns a Reader. It starts nothing.
func NewReader(opts Options) *Reader {
	opts = opts.withDefaults()
	return &Reader{opts: opts, pdfium: &pdfiumEngine{opts: opts}}
}

// Close releases the pdfium instance, if one was started.
func (r *Reader) Close() error {
	r.pdfium.close()
	return nil
}

// Pages returns the text of each page (lines separated by "\n") and the
// engine that produced it. It implements run.PDFText. Any panic inside a
// parser becomes the returned error.
func (r *Reader) Pages(ctx context.Context, data []byte) (pages []string, extractor string, err error) {
	defer func() {
		if p := recover(); p != nil {
			pages, extractor, err = nil, "", recovered(p)
		}
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	pages, extractor, err = r.route(ctx, data)
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		return nil, "", fmt.Errorf("%w (limit %s)", ErrTimeout, r.opts.Timeout)
	}
	if err != nil {
		return nil, "", err
	}
	return cleanPages(pages), extractor, nil
}
