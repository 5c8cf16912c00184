// Package ocr reads scanned reports: image-only PDFs, the scanned pages of
// text PDFs, and page images. It is the pipeline's stage between the page
// images and the document model:
//
//	pages (internal/pdf renders them, internal/raster cleans them)
//	  → words with boxes (internal/tesseract, one engine per core)
//	  → lines and table cells (layout.go, from the boxes and the rules)
//	  → OCR's misreadings repaired (fix.go, the one place that knows them)
//	  → document.Doc (build.go, through document.Builder)
//
// Every piece of text keeps the confidence of the words it was read from,
// in its document.Addr, so evidence can say how sure OCR was of a figure;
// source.ocr lists each page's mean confidence.
//
// Pages are recognised in parallel on the process's shared engines (pool.go)
// while the next page is read and cleaned; no more pages are in memory
// than there are workers, whatever the page count.
package ocr
