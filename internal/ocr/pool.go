package ocr

import (
	"context"
	"runtime"
	"sync"

	"github.com/jixiao/jixiao/internal/tesseract"
)

// pool runs the Tesseract engines of the process: one per core, each on a
// goroutine locked to its own OS thread, started when the first page needs
// it and kept for every page and document after, whichever runner sends
// them (ingest's workers share them). The model is loaded once per
// engine; recognition never runs more threads than there are cores; and
// an engine always allocates from the same thread's C heap, which glibc
// would otherwise multiply by every thread Go happens to call it from.
type pool struct {
	size  int
	start sync.Once
	jobs  chan job
}

type job struct {
	ctx  context.Context
	page prepared
	done chan<- result
}

type result struct {
	words []tesseract.Word
	err   error
}

var engines = &pool{size: runtime.GOMAXPROCS(0)}

// recognize reads a prepared page on the next free engine.
func (p *pool) recognize(ctx context.Context, page prepared) ([]tesseract.Word, error) {
	p.start.Do(func() {
		p.jobs = make(chan job)
		for range p.size {
			go p.engine()
		}
	})
	done := make(chan result, 1)
	select {
	case p.jobs <- job{ctx: ctx, page: page, done: done}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	r := <-done
	return r.words, r.err
}

// engine is one worker: it starts its engine on the first job, and
// starts it again after a job that could not (Tesseract missing: the next
// job reports the same error).
func (p *pool) engine() {
	runtime.LockOSThread()
	var e *tesseract.Engine
	for j := range p.jobs {
		if j.ctx.Err() != nil {
			j.done <- result{err: j.ctx.Err()}
			continue
		}
		if e == nil {
			var err error
			if e, err = tesseract.New(tesseract.Lang); err != nil {
				j.done <- result{err: err}
				continue
			}
		}
		ws, err := e.Recognize(j.page.img, j.page.dpi, tesseract.PSMSingleBlock)
		j.done <- result{words: ws, err: err}
	}
}
