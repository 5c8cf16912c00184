package ocr

import (
	"context"
	"runtime"
	"sync"

	"github.com/jixiao/jixiao/internal/tesseract"
)

// pool holds the Tesseract engines of the process: at most one per core,
// started when first needed and reused by every page and document after,
// whichever runner asks (ingest's workers share them), so the model is
// loaded once per engine and recognition never runs more threads than
// there are cores.
type pool struct {
	mu      sync.Mutex
	idle    []*tesseract.Engine
	started int
	size    int
	free    chan struct{} // a token per engine that may be taken
}

var engines = newPool(runtime.GOMAXPROCS(0))

func newPool(size int) *pool {
	p := &pool{size: size, free: make(chan struct{}, size)}
	for range size {
		p.free <- struct{}{}
	}
	return p
}

// get takes an engine, starting one if none is idle, waiting while all are
// busy.
func (p *pool) get(ctx context.Context) (*tesseract.Engine, error) {
	select {
	case <-p.free:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		e := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return e, nil
	}
	p.mu.Unlock()
	e, err := tesseract.New(tesseract.Lang)
	if err != nil {
		p.free <- struct{}{}
		return nil, err
	}
	return e, nil
}

// put returns an engine for the next page.
func (p *pool) put(e *tesseract.Engine) {
	p.mu.Lock()
	p.idle = append(p.idle, e)
	p.mu.Unlock()
	p.free <- struct{}{}
}
