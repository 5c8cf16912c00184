package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfiumEngine is one pdfium WebAssembly instance, started on first use and
// reused for every file of its Reader. A call that overruns its deadline
// kills the instance; the next file starts a fresh one.
type pdfiumEngine struct {
	opts Options

	mu       sync.Mutex
	pool     pdfium.Pool
	instance pdfium.Pdfium
	cache    wazero.CompilationCache
	mem      wasmUse
}

// compilationCacheDir is where wazero keeps pdfium's compiled machine code,
// so a later process starts in ~0.1 s instead of compiling for ~3 s.
func compilationCacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(base, "jixiao", "wazero")
	return dir, os.MkdirAll(dir, 0o755)
}

// start creates the runtime and the single instance. Errors here are the
// engine's, not the file's.
func (e *pdfiumEngine) start() error {
	if e.instance != nil {
		return nil
	}
	cfg := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(true)
	alloc := wasmMemoryAllocator(&e.mem, e.opts.MaxEngineMemory)
	if alloc == nil { // wazero's own memory: its limit is the bound
		cfg = cfg.WithMemoryLimitPages(uint32(e.opts.MaxEngineMemory >> 16))
	}
	if e.cache == nil && !e.opts.NoCompilationCache {
		if dir, err := compilationCacheDir(); err == nil {
			if c, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
				e.cache = c
			}
		}
	}
	if e.cache != nil {
		cfg = cfg.WithCompilationCache(e.cache)
	}
	if e.pool == nil {
		pool, err := webassembly.Init(webassembly.Config{
			Context:       experimental.WithMemoryAllocator(context.Background(), alloc),
			MinIdle:       0,
			MaxIdle:       1,
			MaxTotal:      1,
			ReuseWorkers:  true,
			RuntimeConfig: cfg,
			// Documents are handed over as bytes: pdfium needs no file system.
			FSConfig: wazero.NewFSConfig(),
			Stdout:   io.Discard,
			Stderr:   io.Discard,
		})
		if err != nil {
			return fmt.Errorf("starting pdfium: %w", err)
		}
		e.pool = pool
	}
	inst, err := e.pool.GetInstanceWithContext(context.Background())
	if err != nil {
		return fmt.Errorf("starting pdfium: %w", err)
	}
	e.instance = inst
	return nil
}

// pages returns the text of every page. pdfium already emits its own line
// breaks ("\r\n") in reading order; they become "\n".
func (e *pdfiumEngine) pages(ctx context.Context, data []byte) ([]string, error) {
	var pages []string
	err := e.run(ctx, func(inst pdfium.Pdfium) (err error) {
		pages, err = pdfiumPages(inst, data, e.opts.MaxPages)
		return err
	})
	return pages, err
}

// run calls f with the instance on a goroutine of its own, so a panic
// becomes an error and a call that overruns ctx kills the instance (the
// next file starts a fresh one).
func (e *pdfiumEngine) run(ctx context.Context, f func(pdfium.Pdfium) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.start(); err != nil {
		return err
	}
	type result struct {
		err      error
		panicked bool
	}
	done := make(chan result, 1)
	inst := e.instance
	e.mem.refused.Store(false)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{err: fmt.Errorf("%w: pdfium: %s", ErrMalformed, firstLine(fmt.Sprint(p))), panicked: true}
			}
			done <- r
		}()
		r.err = f(inst)
	}()
	select {
	case r := <-done:
		// A grown instance is dropped: WebAssembly memory never shrinks.
		if r.panicked || r.err != nil && isEngineBroken(r.err) || e.mem.size.Load() > engineAllowance {
			e.kill()
		}
		return e.explain(r.err)
	case <-ctx.Done():
		e.kill()
		<-done
		return ctx.Err()
	}
}

// explain reduces pdfium's error to one line (a WebAssembly trap's text
// goes on with its stack trace); after pdfium was refused memory, the
// failure is the file's size.
func (e *pdfiumEngine) explain(err error) error {
	switch {
	case err == nil:
		return nil
	case e.mem.refused.Load():
		return bombError(fmt.Sprintf("pdfium's memory over %d MB", e.opts.MaxEngineMemory>>20))
	}
	return oneLine{err}
}

// isEngineBroken reports errors after which the instance's memory may be in
// a bad state (a wasm trap), so it must not serve the next file.
func isEngineBroken(err error) bool {
	var known bool
	for _, k := range []error{ErrEncrypted, ErrMalformed, ErrNoText, ErrNotDecodable, ErrTooLarge} {
		known = known || errors.Is(err, k)
	}
	return !known || strings.Contains(err.Error(), "wasm")
}

func (e *pdfiumEngine) kill() {
	if e.instance != nil {
		_ = e.instance.Kill()
		e.instance = nil
	}
}

func pdfiumPages(inst pdfium.Pdfium, data []byte, maxPages int) ([]string, error) {
	doc, err := openDocument(inst, data)
	if err != nil {
		return nil, err
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc})
	count, err := pageCount(inst, doc, maxPages)
	if err != nil {
		return nil, err
	}
	pages := make([]string, count)
	for i := range pages {
		text, err := pdfiumPageText(inst, doc, i)
		if err != nil {
			return nil, fmt.Errorf("%w: page %d: pdfium: %v", ErrMalformed, i+1, err)
		}
		pages[i] = text
	}
	return pages, nil
}

// openDocument opens data in pdfium, its errors told as this package's.
func openDocument(inst pdfium.Pdfium, data []byte) (references.FPDF_DOCUMENT, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		switch {
		case errors.Is(err, pdfiumerrors.ErrPassword), errors.Is(err, pdfiumerrors.ErrSecurity):
			return "", ErrEncrypted
		case errors.Is(err, pdfiumerrors.ErrFormat), errors.Is(err, pdfiumerrors.ErrFile):
			return "", fmt.Errorf("%w (pdfium cannot parse it)", ErrMalformed)
		}
		return "", fmt.Errorf("%w: pdfium: %v", ErrMalformed, err)
	}
	return doc.Document, nil
}

// pageCount is the document's page count, refused when zero or over maxPages.
func pageCount(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, maxPages int) (int, error) {
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
	if err != nil {
		return 0, fmt.Errorf("%w: pdfium: %v", ErrMalformed, err)
	}
	if count.PageCount == 0 {
		return 0, fmt.Errorf("%w: the document has no pages", ErrMalformed)
	}
	if count.PageCount > maxPages {
		return 0, fmt.Errorf("%w: %d pages, more than the limit of %d", ErrTooLarge, count.PageCount, maxPages)
	}
	return count.PageCount, nil
}

func pdfiumPageText(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, index int) (string, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: index})
	if err != nil {
		return "", err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
	if err != nil {
		return "", err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return "", err
	}
	if n.Count <= 0 {
		return "", nil
	}
	text, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, Count: n.Count})
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(strings.ReplaceAll(text.Text, "\r\n", "\n"), "\r", "\n"), nil
}

func (e *pdfiumEngine) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.instance != nil {
		_ = e.instance.Close()
		e.instance = nil
	}
	if e.pool != nil {
		_ = e.pool.Close()
		e.pool = nil
	}
	if e.cache != nil {
		_ = e.cache.Close(context.Background())
		e.cache = nil
	}
}
