// Package pdf reads the text layer of a PDF report, page by page, with one
// of two engines:
//
//   - ledongthuc/pdf (pure Go, ~1 ms/page): its parser and font decoders with
//     this package's own text walker (fast.go), which honours ActualText
//     spans. Used only when every font is of a class it decodes exactly
//     (simple fonts with ToUnicode and no Encoding override, Type0
//     Identity-H with ToUnicode, UniGB-UCS2-H, Type 3 fonts with a one-byte
//     ToUnicode map and an unrotated FontMatrix — Chromium's CJK output),
//     every ToUnicode map is one its decoder reads exactly (cmapcheck.go),
//     there is no Form XObject and no encryption, and its output passes the
//     quality gate (gate.go).
//   - pdfium, compiled to WebAssembly and run by wazero (go-pdfium): every
//     other file — Type 3 fonts without a usable ToUnicode, predefined CMaps
//     without ToUnicode (UniGB-UTF16-H, GBK-EUC-H), Form XObjects, AES-256,
//     files the Go parser cannot open.
//
// Use:
//
//	r := pdf.NewReader(pdf.Options{}) // one per worker; not safe for concurrent use
//	defer r.Close()
//	pages, engine, err := r.Pages(ctx, data)
//
// pdfium is started on the first file that needs it and reused for the next
// files of the same Reader; its compiled machine code is cached in
// os.UserCacheDir()/jixiao/wazero (created on first use), so a later process
// starts it in ~0.1 s instead of ~3 s. pdfium gets no file-system access:
// documents are handed over as bytes.
//
// Measured on the corpus in testdata/pdf (2 shared cores): fast engine
// 450–800 pages/s; pdfium 30–280 pages/s (Chromium's Type 3 fonts are the
// slowest: pdfium parses every glyph procedure when it loads a page, which
// is why they are read by the fast engine when their ToUnicode allows). A
// cold `jixiao extract` of a pdfium file with the cache filled: 0.13–0.22 s,
// 70–95 MB RSS; of a fast-engine file: 0.06 s, 43 MB (the Chromium Type 3
// report: ~0.1 s, 45 MB, instead of 0.57 s, 95 MB through pdfium).
//
// ledongthuc/pdf is used through a patched copy in third_party/ (bounded
// cross-reference tables and object chains, a font's own ToUnicode decoder,
// indirect references read without parsing; see PATCHES.md there).
//
// Errors (test with errors.Is): ErrNoText for an image-only (scanned) PDF,
// ErrNotDecodable when fonts carry no Unicode mapping, ErrEncrypted when a
// password is needed (an empty user password is tried), ErrMalformed,
// ErrTooLarge, ErrTimeout. A file cut short (no %%EOF at its end) is refused
// rather than read in part. Panics in either engine become ErrMalformed, in
// one line (a WebAssembly trap's stack trace is cut); each file is bounded by
// Options.Timeout, a page's content streams and ToUnicode maps by
// Options.MaxContentBytes, object nesting by maxNesting.
//
// Compression bombs (bomb.go): in both engines one decompressed stream is
// bounded by Options.MaxStreamBytes (256 MiB: a colour A3 page scanned at
// 600 dpi is ~210 MB) and a document's streams but images together by
// Options.MaxDecodedBytes (1 GiB; images are decoded one at a time). The Go
// reader enforces them as it reads; pdfium gets a file only after the Go
// reader has decompressed its streams through them (~1–40 ms for the
// corpus; a file it cannot open is scanned for zlib streams). What the Go
// side cannot decode (LZW, ASCIIHex, an encryption it lacks) is bounded by
// pdfium's memory limit, Options.MaxEngineMemory (384 MiB), and by
// engineBudget, which makes the process's pdfium runs take turns when
// their expected memory passes 512 MiB together. A bomb is ErrTooLarge:
// "PDF too large when decompressed (a stream over 256 MB), likely a
// compression bomb". Four 1 GiB Flate bombs read at once by four workers
// (jixiao ingest) peak at 44 MB RSS, 0.8 s; four pdfium must decode
// itself at 490 MB (before: 2.2 GB both, with a WebAssembly stack trace).
package pdf
