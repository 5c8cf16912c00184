package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	lpdf "github.com/ledongthuc/pdf"
)

// fileClass is what inspecting a file's fonts and structure says about it.
type fileClass struct {
	pdfiumReason string               // why the fast engine must not read it ("" = it may)
	undecodable  bool                 // every font that could show text lacks a Unicode mapping
	fonts        map[objRef]*fastFont // fonts classify has read, for the walker
}

// route picks the engine. The fast engine only reads the font classes it is
// known to decode exactly, and its output must still pass the quality gate;
// everything else, and every file it cannot open, goes to pdfium.
func (r *Reader) route(ctx context.Context, data []byte) ([]string, string, error) {
	if len(data) == 0 {
		return nil, "", fmt.Errorf("%w: empty file", ErrMalformed)
	}
	if int64(len(data)) > r.opts.MaxFileSize {
		return nil, "", fmt.Errorf("%w: %d bytes, more than the limit of %d", ErrTooLarge, len(data), r.opts.MaxFileSize)
	}
	if !hasEOFMarker(data) {
		return nil, "", fmt.Errorf("%w: truncated (no %%EOF at the end)", ErrMalformed)
	}
	if depth := nestingDepth(data); depth > maxNesting {
		return nil, "", fmt.Errorf("%w: objects nested %d deep (limit %d)", ErrMalformed, depth, maxNesting)
	}
	if r.opts.ForceEngine == EnginePdfium {
		return r.readPdfium(ctx, data, fileClass{})
	}
	doc, class, err := r.inspect(ctx, data)
	if errors.Is(err, ErrTooLarge) || ctx.Err() != nil {
		return nil, "", err
	}
	if r.opts.ForceEngine == EngineFast {
		if err != nil {
			return nil, "", err
		}
		pages, err := runBounded(ctx, func() ([]string, error) { return fastPages(doc, r.opts.MaxPages, class.fonts) })
		return pages, EngineFast, err
	}
	if err == nil && class.pdfiumReason == "" {
		pages, err := runBounded(ctx, func() ([]string, error) { return fastPages(doc, r.opts.MaxPages, class.fonts) })
		if err == nil && gate(pages).fastOK() {
			return pages, EngineFast, nil
		}
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		if errors.Is(err, ErrTooLarge) { // a bomb: pdfium would inflate it too
			return nil, "", err
		}
	}
	return r.readPdfium(ctx, data, class)
}

func (r *Reader) readPdfium(ctx context.Context, data []byte, class fileClass) ([]string, string, error) {
	var pages []string
	err := r.withPdfium(ctx, data, false, func() (err error) {
		pages, err = r.pdfium.pages(ctx, data)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	g := gate(pages)
	switch {
	case g.letters == 0 && class.undecodable:
		return nil, "", ErrNotDecodable
	case g.letters == 0:
		return nil, "", ErrNoText
	case class.undecodable && !g.strictOK(), !g.pdfiumOK():
		return nil, "", fmt.Errorf("%w (%s)", ErrNotDecodable, g)
	}
	return pages, EnginePdfium, nil
}

// inspect opens the file with ledongthuc/pdf and classifies its fonts and
// structure. An error means the fast engine cannot read the file at all.
func (r *Reader) inspect(ctx context.Context, data []byte) (*lpdf.Reader, fileClass, error) {
	var doc *lpdf.Reader
	var class fileClass
	_, err := runBounded(ctx, func() ([]string, error) {
		d, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, err
		}
		d.SetDecodeLimits(r.opts.MaxStreamBytes, r.opts.MaxDecodedBytes)
		doc = d
		class, err = classify(d, r.opts)
		return nil, err
	})
	switch {
	case err == nil:
		return doc, class, nil
	case decodeBound(err) != err:
		return nil, fileClass{}, decodeBound(err)
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrMalformed), ctx.Err() != nil:
		return nil, fileClass{}, err
	}
	return nil, fileClass{}, fmt.Errorf("%w: %v", ErrMalformed, err)
}

// classify names the first reason the fast engine cannot be trusted with the
// file: Type 3 fonts without a ToUnicode map it reads (their Encoding only
// names glyphs) or with a FontMatrix that turns their advances,
// predefined CMaps other than UniGB-UCS2-H without ToUnicode (it emits the
// raw bytes), simple fonts whose Encoding would override their ToUnicode,
// Form XObjects (it does not follow Do, pages come out empty), encryption.
func classify(doc *lpdf.Reader, opts Options) (fileClass, error) {
	c := fileClass{fonts: map[objRef]*fastFont{}}
	maxPages := opts.MaxPages
	if !doc.Trailer().Key("Encrypt").IsNull() {
		c.pdfiumReason = "encrypted"
	}
	n := doc.NumPage()
	if n == 0 {
		c.pdfiumReason = "no page tree the fast engine can read"
	}
	if n > maxPages {
		n = maxPages
	}
	decodable, undecodable := 0, 0
	// Fonts are shared by pages: check each once, known by its object (or,
	// written inline, by its name and BaseFont).
	checked := map[fontKey]fontCheck{}
	for i := 1; i <= n; i++ {
		page := doc.Page(i)
		if n, err := contentSize(page.V.Key("Contents"), opts.MaxContentBytes); err != nil {
			return c, fmt.Errorf("%w: page %d: %w", ErrMalformed, i, err)
		} else if n > opts.MaxContentBytes {
			return c, fmt.Errorf("%w: page %d content is more than %d bytes", ErrTooLarge, i, opts.MaxContentBytes)
		}
		res := page.Resources()
		xobjs := res.Key("XObject")
		for _, name := range xobjs.Keys() {
			if xobjs.Key(name).Key("Subtype").Name() == "Form" && c.pdfiumReason == "" {
				c.pdfiumReason = "Form XObject"
			}
		}
		fonts := res.Key("Font")
		for _, name := range fonts.Keys() {
			var key fontKey
			ref, indirect := keyRef(fonts, name)
			if indirect {
				key.ref = ref
			} else {
				key.inline = name + "\x00" + fonts.Key(name).Key("BaseFont").Name()
			}
			fc, seen := checked[key]
			if !seen {
				var err error
				if fc, err = checkFont(fonts.Key(name), opts.MaxContentBytes); err != nil {
					return c, fmt.Errorf("page %d font %s: %w", i, name, err)
				}
				checked[key] = fc
				if indirect && fc.fast != nil && len(c.fonts) < maxDocFonts {
					c.fonts[ref] = fc.fast
				}
			}
			if fc.unicode {
				decodable++
			} else {
				undecodable++
			}
			if fc.pdfiumReason != "" && c.pdfiumReason == "" {
				c.pdfiumReason = fc.pdfiumReason
			}
		}
	}
	c.undecodable = undecodable > 0 && decodable == 0
	return c, nil
}

// contentSize decompresses a page's content streams up to limit+1 bytes:
// a small stream can inflate to gigabytes (a deflate bomb).
func contentSize(contents lpdf.Value, limit int64) (int64, error) {
	streams := []lpdf.Value{contents}
	if contents.Kind() == lpdf.Array {
		streams = streams[:0]
		for i := 0; i < contents.Len(); i++ {
			streams = append(streams, contents.Index(i))
		}
	}
	var total int64
	for _, s := range streams {
		if s.Kind() != lpdf.Stream {
			continue
		}
		rc := s.Reader()
		n, err := io.Copy(io.Discard, io.LimitReader(rc, limit+1-total))
		rc.Close()
		total += n
		if err != nil {
			return total, err
		}
		if total > limit {
			break
		}
	}
	return total, nil
}

type fontKey struct {
	ref    objRef
	inline string
}

type fontCheck struct {
	pdfiumReason string
	unicode      bool
	fast         *fastFont // as the walker reads it, when it may
}

// checkFont classifies one font and bounds and vets its ToUnicode map, which
// the fast engine parses whole.
func checkFont(font lpdf.Value, maxBytes int64) (fontCheck, error) {
	var fc fontCheck
	fc.pdfiumReason, fc.unicode = fontClass(font)
	toUnicode := font.Key("ToUnicode")
	if toUnicode.Kind() != lpdf.Stream {
		return fc, nil
	}
	if n, _ := contentSize(toUnicode, maxBytes); n > maxBytes {
		return fc, fmt.Errorf("%w: ToUnicode map is more than %d bytes", ErrTooLarge, maxBytes)
	}
	if fc.pdfiumReason == "" && !toUnicodeSafe(toUnicode) {
		fc.pdfiumReason = "ToUnicode map the fast engine misreads"
	}
	if fc.pdfiumReason != "" {
		return fc, nil
	}
	fc.fast = newFastFont(font)
	if font.Key("Subtype").Name() == "Type3" && !type3Decodes(fc.fast) {
		fc.pdfiumReason = "Type 3 font whose ToUnicode map does not decode"
	}
	return fc, nil
}

// type3Decodes reports whether a Type 3 font's ToUnicode map reads its
// one-byte codes: some code it draws (non-zero width) decodes, and none
// decodes to nothing (text silently lost). A drawn code the map lacks
// decodes to U+FFFD, which the quality gate refuses if a page shows it.
func type3Decodes(f *fastFont) bool {
	decoded := 0
	for code, width := range f.widths {
		if width == 0 || code < 0 || code > 255 {
			continue
		}
		switch s := f.enc.Decode(string([]byte{byte(code)})); {
		case s == "":
			return false
		case s != "\uFFFD":
			decoded++
		}
	}
	return decoded > 0
}

// fontClass returns why the fast engine cannot decode the font ("" if it
// can) and whether any engine can map it to Unicode.
func fontClass(f lpdf.Value) (pdfiumReason string, unicode bool) {
	hasToUnicode := f.Key("ToUnicode").Kind() == lpdf.Stream
	enc := f.Key("Encoding")
	switch f.Key("Subtype").Name() {
	case "Type3":
		switch {
		case !hasToUnicode:
			return "Type 3 font without ToUnicode", enc.Kind() == lpdf.Dict
		case type3WidthScale(f) == 0:
			return "Type 3 font with a rotated or skewed FontMatrix", true
		}
		return "", true // checkFont still tries its map
	case "Type0":
		cmap := enc.Name()
		ordering := f.Key("DescendantFonts").Index(0).Key("CIDSystemInfo").Key("Ordering").Text()
		switch {
		case enc.Kind() != lpdf.Name:
			return "embedded CMap", hasToUnicode || ordering != "Identity"
		case cmap == "Identity-H" && hasToUnicode:
			return "", true
		case cmap == "UniGB-UCS2-H":
			return "", true
		case hasToUnicode:
			return "predefined CMap " + cmap, true
		case ordering == "Identity" || ordering == "":
			return "CID font without Unicode mapping", false
		default:
			return "predefined CMap " + cmap + " without ToUnicode", true
		}
	case "TrueType", "Type1", "MMType1":
		switch {
		case enc.Kind() == lpdf.Null && hasToUnicode:
			return "", true
		case !hasToUnicode && (enc.Name() == "WinAnsiEncoding" || enc.Name() == "MacRomanEncoding"):
			return "", true
		default:
			return "simple font with Encoding " + enc.String(), true
		}
	}
	return "font subtype " + f.Key("Subtype").Name(), true
}

// fastPages reads every page with the walker; docFonts are fonts already
// read (by classify), by object, and gains those read on the way.
func fastPages(doc *lpdf.Reader, maxPages int, docFonts map[objRef]*fastFont) ([]string, error) {
	n := doc.NumPage()
	if n == 0 {
		return nil, fmt.Errorf("%w: no pages", ErrMalformed)
	}
	if n > maxPages {
		return nil, fmt.Errorf("%w: %d pages, more than the limit of %d", ErrTooLarge, n, maxPages)
	}
	pages := make([]string, n)
	if docFonts == nil {
		docFonts = map[objRef]*fastFont{}
	}
	for i := range pages {
		pages[i] = fastPageText(doc.Page(i+1), docFonts)
	}
	return pages, nil
}

// runBounded runs f on its own goroutine so a panic becomes an error and a
// hang ends at the context's deadline. (A goroutine stuck in the parser
// cannot be stopped; it is abandoned.)
func runBounded(ctx context.Context, f func() ([]string, error)) ([]string, error) {
	type result struct {
		pages []string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			if p := recover(); p != nil {
				res = result{err: recovered(p)}
			}
			done <- res
		}()
		res.pages, res.err = f()
	}()
	select {
	case res := <-done:
		return res.pages, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
