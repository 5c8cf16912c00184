package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	lpdf "github.com/ledongthuc/pdf"
	"golang.org/x/sync/semaphore"
)

// bombError is the one-line error of a file whose streams decompress past a
// bound; what names the bound ("a stream over 256 MB").
func bombError(what string) error {
	return fmt.Errorf("%w when decompressed (%s), likely a compression bomb", ErrTooLarge, what)
}

// decodeBound returns bombError for the Go reader's DecodeLimitError found
// anywhere in err's chain, or err unchanged.
func decodeBound(err error) error {
	var le *lpdf.DecodeLimitError
	if !errors.As(err, &le) {
		return err
	}
	if le.Total {
		return bombError(fmt.Sprintf("all streams together over %d MB", le.Limit>>20))
	}
	return bombError(fmt.Sprintf("a stream over %d MB", le.Limit>>20))
}

// recovered is the error of a panic's value p inside an engine: a decode
// bound passed, or ErrMalformed with the value's first line (a WebAssembly
// trap's value carries a stack trace on the lines after).
func recovered(p any) error {
	if e, ok := p.(error); ok {
		if b := decodeBound(e); b != e {
			return b
		}
	}
	return fmt.Errorf("%w: %s", ErrMalformed, firstLine(fmt.Sprint(p)))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// oneLine is err shortened to its first line, still matching errors.Is.
type oneLine struct{ err error }

func (e oneLine) Error() string { return firstLine(e.err.Error()) }
func (e oneLine) Unwrap() error { return e.err }

// engineBudget is the memory the process's pdfium runs are expected to
// need at once; a run waits for its share (expectedMemory). Each instance
// is capped at Options.MaxEngineMemory besides, and one grown past
// engineAllowance is dropped after its run, so idle instances stay small.
// Four workers on four bombs the Go reader cannot open then take turns.
var engineBudget = semaphore.NewWeighted(engineBudgetBytes)

const (
	engineBudgetBytes = 512 << 20
	// engineAllowance is what a run needs beyond the file and its streams:
	// text keeps to pdfium's initial 18 MiB, a page rendered at 300 dpi
	// takes 35–71 MiB (measured on testdata/pdf).
	engineAllowance = 64 << 20
)

// withPdfium runs f, a pdfium call on data, once the file has passed
// checkDecoded and its expected memory is free in engineBudget.
func (r *Reader) withPdfium(ctx context.Context, data []byte, images bool, f func() error) error {
	need, err := r.checkDecoded(ctx, data, images)
	if err != nil {
		return err
	}
	need = min(need+int64(len(data))+engineAllowance, engineBudgetBytes)
	if err := engineBudget.Acquire(ctx, need); err != nil {
		return err
	}
	defer engineBudget.Release(need)
	return f()
}

// checkDecoded decompresses every stream of the file, through the Go
// reader's bounds, before pdfium reads it: pdfium would inflate a bomb into
// its WebAssembly memory (~0.6 GB RSS each before it fails). Images are
// skipped unless they will be drawn (images true): pdfium does not decode
// them for text. Objects the Go reader cannot parse or filters it lacks
// are skipped; a file it cannot open is scanned by rawCheck. It returns
// what pdfium is expected to hold decoded: the streams but images, and the
// largest image (as drawn, 4 bytes a pixel, if larger); the whole budget if
// a stream other than an image could not be read (LZW, ASCIIHex, Crypt:
// pdfium may decode it to anything, up to MaxEngineMemory).
func (r *Reader) checkDecoded(ctx context.Context, data []byte, images bool) (int64, error) {
	var kept, image int64
	_, err := runBounded(ctx, func() ([]string, error) {
		doc, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if err = boundOnly(err); err == nil {
				kept, err = r.rawCheck(ctx, data, images)
			}
			return nil, err
		}
		doc.SetDecodeLimits(r.opts.MaxStreamBytes, r.opts.MaxDecodedBytes)
		doc.Streams(func(v lpdf.Value) bool {
			isImage := v.Key("Subtype").Name() == "Image"
			if isImage && !images {
				return true
			}
			n, read, e := drain(v)
			switch {
			case isImage:
				image = max(image, n, 4*min(v.Key("Width").Int64(), 1<<20)*min(v.Key("Height").Int64(), 1<<20))
			case read:
				kept += n
			default:
				kept = engineBudgetBytes
			}
			err = e
			return err == nil && ctx.Err() == nil
		})
		return nil, err
	})
	return kept + image, err
}

// rawCheck is checkDecoded for a file whose cross-reference table the Go
// reader cannot read (pdfium repairs it): each zlib stream found after a
// "stream" keyword is inflated through the same bounds, an image told by
// "/Image" in its object's dictionary. Streams it cannot see (encrypted,
// other filters) are left to engineBudget and MaxEngineMemory, so it
// expects the whole budget to be needed.
func (r *Reader) rawCheck(ctx context.Context, data []byte, images bool) (int64, error) {
	var kept int64
	for i := 0; ctx.Err() == nil; {
		j := bytes.Index(data[i:], []byte("stream"))
		if j < 0 {
			break
		}
		dict := data[bytes.LastIndex(data[:i+j], []byte(" obj"))+1 : i+j]
		i += j + len("stream")
		if !images && bytes.Contains(dict, []byte("/Image")) {
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(bytes.TrimLeft(data[i:], "\r\n")))
		if err != nil {
			continue // not a zlib stream, or "endstream"
		}
		n, _ := io.Copy(io.Discard, io.LimitReader(zr, r.opts.MaxStreamBytes+1))
		kept += n
		switch {
		case n > r.opts.MaxStreamBytes:
			return 0, bombError(fmt.Sprintf("a stream over %d MB", r.opts.MaxStreamBytes>>20))
		case kept > r.opts.MaxDecodedBytes:
			return 0, bombError(fmt.Sprintf("all streams together over %d MB", r.opts.MaxDecodedBytes>>20))
		}
	}
	return engineBudgetBytes, nil
}

// drain reads a stream to its end and returns its length, whether it was
// read to its end, and only a decode bound passed as error.
func drain(v lpdf.Value) (n int64, read bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			e, _ := p.(error)
			err = boundOnly(e)
		}
	}()
	rc := v.Reader()
	defer rc.Close()
	n, err = io.Copy(io.Discard, rc)
	return n, err == nil, boundOnly(err)
}

// boundOnly is decodeBound's error for a passed bound, nil for any other.
func boundOnly(err error) error {
	if b := decodeBound(err); b != err {
		return b
	}
	return nil
}
