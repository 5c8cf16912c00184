// jixiao patch: the bytes a stream's filters decode are bounded, per stream
// and per document. A FlateDecode stream of a few hundred KB can inflate to
// gigabytes (a compression bomb).

package pdf

import (
	"fmt"
	"io"
	"sync/atomic"
)

// Default bounds, for a Reader whose SetDecodeLimits was not called. A
// colour page scanned at 600 dpi is ~100 MB decoded (A3: ~210 MB), so one
// stream may reach 256 MiB; a document's fonts, content and object streams
// together stay far under 1 GiB.
const (
	DefaultMaxStreamBytes = 256 << 20
	DefaultMaxTotalBytes  = 1 << 30
)

// DecodeLimitError is the read error of a stream whose decoded bytes pass
// a bound: its own (Total false) or the document's (Total true).
type DecodeLimitError struct {
	Limit int64 // bytes
	Total bool
}

func (e *DecodeLimitError) Error() string {
	if e.Total {
		return fmt.Sprintf("streams decode to more than %d MB in total", e.Limit>>20)
	}
	return fmt.Sprintf("a stream decodes to more than %d MB", e.Limit>>20)
}

// decodeLimits is a Reader's bounds and what it has decoded so far.
type decodeLimits struct {
	maxStream, maxTotal int64
	decoded             atomic.Int64 // every stream's decoded bytes
	kept                atomic.Int64 // those of streams other than images
}

// SetDecodeLimits bounds the bytes one stream may decode to, and the bytes
// all streams other than images may decode to together (an engine keeps
// fonts and parsed content for the whole document, but decodes an image
// only when it draws it, one at a time). Zero keeps a default. Streams
// already decoded still count.
func (r *Reader) SetDecodeLimits(perStream, total int64) {
	r.limits.maxStream, r.limits.maxTotal = perStream, total
}

// Decoded is the number of bytes the Reader's streams have decoded.
func (r *Reader) Decoded() int64 { return r.limits.decoded.Load() }

// limit wraps a stream's decoded output; image streams do not count
// towards the document's total.
func (l *decodeLimits) limit(rd io.Reader, image bool) io.Reader {
	lr := &limitReader{r: rd, l: l, left: l.maxStream, image: image}
	if lr.left <= 0 {
		lr.left = DefaultMaxStreamBytes
	}
	lr.max = lr.left
	return lr
}

type limitReader struct {
	r         io.Reader
	l         *decodeLimits
	left, max int64 // bytes the stream may still yield, of max
	image     bool
	err       error
}

func (lr *limitReader) Read(p []byte) (int, error) {
	if lr.err != nil {
		return 0, lr.err
	}
	room := lr.left
	if !lr.image {
		room = min(room, max(lr.l.totalLimit()-lr.l.kept.Load(), 0))
	}
	if int64(len(p)) > room+1 {
		p = p[:room+1] // one byte past a bound tells it is passed
	}
	n, err := lr.r.Read(p)
	lr.left -= int64(n)
	lr.l.decoded.Add(int64(n))
	kept := int64(0)
	if !lr.image {
		kept = lr.l.kept.Add(int64(n))
	}
	switch {
	case lr.left < 0:
		lr.err = &DecodeLimitError{Limit: lr.max}
		return n, lr.err
	case kept > lr.l.totalLimit():
		lr.err = &DecodeLimitError{Limit: lr.l.totalLimit(), Total: true}
		return n, lr.err
	}
	return n, err
}

func (l *decodeLimits) totalLimit() int64 {
	if l.maxTotal <= 0 {
		return DefaultMaxTotalBytes
	}
	return l.maxTotal
}

// Streams calls fn with each stream object in the cross-reference table, in
// object order, until fn returns false. Streams are never inside object
// streams, so those entries are not read; an object that does not parse is
// skipped.
func (r *Reader) Streams(fn func(Value) bool) {
	for id, x := range r.xref {
		if x.inStream || x.offset == 0 || x.ptr.id != uint32(id) {
			continue
		}
		if v := r.object(x.ptr); v.Kind() == Stream && !fn(v) {
			return
		}
	}
}

func (r *Reader) object(ptr objptr) (v Value) {
	defer func() {
		if recover() != nil {
			v = Value{}
		}
	}()
	return r.resolve(objptr{}, ptr)
}
