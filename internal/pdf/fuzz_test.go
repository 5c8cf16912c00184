package pdf

import (
	"context"
	"errors"
	"testing"
	"time"
)

// FuzzPages feeds mutated PDFs to the entry point: whatever the bytes, it
// must return pages or one of the package's errors, never panic or hang.
// Crashers found are kept in testdata/fuzz/FuzzPages.
func FuzzPages(f *testing.F) {
	for _, name := range []string{"seed-cid-ucs2.pdf", "seed-cid-gbk.pdf", "selfeval-table-libreoffice.pdf"} {
		f.Add(readFixture(f, name))
	}
	f.Add(buildPDF([]byte("BT /F1 12 Tf 72 720 Td (Budget 240) Tj T* (x) ' ET"), "", ""))
	f.Add(nestedBomb(300))
	// Flate bombs (testdata/fuzz/FuzzPages/flate-bomb-font is fontBomb(16 MiB)):
	// a font program past MaxStreamBytes, fonts past MaxDecodedBytes, and one
	// the Go reader cannot open, left to pdfium.
	f.Add(fontBomb(9<<20, 1))
	f.Add(fontBomb(3<<20, 6))
	f.Add(withoutXref(fontBomb(9<<20, 1)))
	f.Add([]byte("%PDF-1.7\n%%EOF\n"))
	// Timeout stays under the fuzzer's own 10 s hang limit.
	r := NewReader(Options{Timeout: 5 * time.Second, MaxContentBytes: 8 << 20, MaxStreamBytes: 8 << 20, MaxDecodedBytes: 16 << 20, MaxPages: 200})
	f.Cleanup(func() { r.Close() })
	known := []error{ErrNoText, ErrNotDecodable, ErrEncrypted, ErrMalformed, ErrTooLarge, ErrTimeout}
	f.Fuzz(func(t *testing.T, data []byte) {
		pages, engine, err := r.Pages(context.Background(), data)
		if err == nil {
			if engine != EngineFast && engine != EnginePdfium {
				t.Fatalf("unknown engine %q", engine)
			}
			if len(pages) == 0 {
				t.Fatal("no pages and no error")
			}
			return
		}
		for _, k := range known {
			if errors.Is(err, k) {
				return
			}
		}
		t.Fatalf("error outside the package's kinds: %v", err)
	})
}
