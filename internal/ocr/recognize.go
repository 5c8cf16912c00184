package ocr

import (
	"context"
	"fmt"
	"image"
	"sort"
	"sync"
)

// grey is one page as a source hands it over: grey, seal dropped.
type grey struct {
	number int
	img    *image.Gray
	red    *image.Gray // where red ink was dropped; nil for none
	dpi    int
}

// pages is a source of page images: it calls yield with each page in
// order and stops at the first error yield returns.
type pages func(ctx context.Context, yield func(grey) error) error

// recognizeAll prepares and recognises the pages of src on one worker
// more than there are engines, so a page is being cleaned while the
// engines read the others. The source is read on one goroutine (a PDF
// renderer is not safe for concurrent use) and hands each page to the next
// free worker, so no more than one page per worker and one in hand are in
// memory, however many pages the document has.
func recognizeAll(ctx context.Context, src pages) ([]Page, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan grey)
	var (
		mu    sync.Mutex
		out   []Page
		first error
		wg    sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
		cancel()
	}
	for range engines.size + 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range in {
				p, err := safely(ctx, g)
				if err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				out = append(out, p)
				mu.Unlock()
			}
		}()
	}
	err := src(ctx, func(g grey) error {
		select {
		case in <- g:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(in)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// safely prepares and recognises one page; a panic in either is that
// page's error, not the process's end (a worker goroutine has no caller
// to recover it).
func safely(ctx context.Context, g grey) (p Page, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("第 %d 页识别出错：%v", g.number, r)
		}
	}()
	return recognize(ctx, prepare(g.number, g.img, g.red, g.dpi))
}
