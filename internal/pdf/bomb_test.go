package pdf

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	lpdf "github.com/ledongthuc/pdf"

	"github.com/jixiao/jixiao/internal/pdf/pdftest"
)

// zeros is n zero bytes (whole MiB) as a zlib stream, ~1 KB per MB, as
// compress/flate writes it in seconds, here in milliseconds: a MiB deflated
// after a MiB of zeros is the same bytes every time, so the stream is the
// first MiB, that block repeated, an empty final block and the Adler-32 of
// n zeros.
func zeros(n int) []byte {
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestCompression)
	mib := make([]byte, 1<<20)
	fw.Write(mib)
	fw.Flush()
	first := raw.Len()
	fw.Write(mib)
	fw.Flush()
	block := raw.Bytes()[first:]
	z := append([]byte{0x78, 0xda}, raw.Bytes()[:first]...)
	for range n>>20 - 1 {
		z = append(z, block...)
	}
	z = append(z, 0x03, 0x00)
	return binary.BigEndian.AppendUint32(z, uint32(n%65521)<<16|1)
}

// fontBomb is a one-page PDF whose text is in fonts the fast engine leaves
// to pdfium (an Encoding with Differences), each embedding a font program
// of size zero bytes.
func fontBomb(size, fonts int) []byte {
	program := zeros(size)
	return fontPDF(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(program), program), fonts)
}

// hexFontBomb is fontBomb with the program's zlib data in hexadecimal,
// which pdfium decodes and the Go reader cannot.
func hexFontBomb(size int) []byte {
	program := hex.EncodeToString(zeros(size)) + ">"
	return fontPDF(fmt.Sprintf("<< /Length %d /Filter [/ASCIIHexDecode /FlateDecode] >>\nstream\n%s\nendstream", len(program), program), 1)
}

// fontPDF is the PDF of fontBomb around a font program's stream object.
func fontPDF(program string, fonts int) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"", // the page, once the fonts are numbered
		"<< /Length 41 >>\nstream\nBT /F0 12 Tf 72 720 Td (Budget 240) Tj ET\nendstream",
	}
	var res strings.Builder
	for i := range fonts {
		n := len(objs) + 1
		fmt.Fprintf(&res, "/F%d %d 0 R ", i, n)
		objs = append(objs,
			fmt.Sprintf("<< /Type /Font /Subtype /TrueType /BaseFont /F%d /Encoding << /Differences [32 /space] >> /FontDescriptor %d 0 R >>", i, n+1),
			fmt.Sprintf("<< /Type /FontDescriptor /FontName /F%d /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>", i, n+2),
			program)
	}
	objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << " + res.String() + ">> >> >>"
	return pdftest.Assemble("1.4", objs...)
}

// withoutXref cuts a PDF's cross-reference table: the Go reader cannot open
// it, pdfium repairs it.
func withoutXref(data []byte) []byte {
	data = bytes.Clone(data[:bytes.LastIndex(data, []byte("xref"))])
	return append(data, "trailer\n<< /Root 1 0 R >>\n%%EOF\n"...)
}

// assertBomb checks err is one line, ErrTooLarge, naming the bound.
func assertBomb(t *testing.T, err error, bound string) {
	t.Helper()
	switch {
	case !errors.Is(err, ErrTooLarge):
		t.Fatalf("err = %v, want %v", err, ErrTooLarge)
	case strings.Contains(err.Error(), "\n"):
		t.Fatalf("the error is more than one line:\n%v", err)
	case !strings.Contains(err.Error(), bound+"), likely a compression bomb"):
		t.Fatalf("err = %v, want it to name %q", err, bound)
	}
}

// The Go reader stops a stream at its bound, and a document at its total:
// the bytes it decoded end one past the bound.
func TestGoReaderDecodeBounds(t *testing.T) {
	data := flateBomb(64 << 20)
	doc, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	doc.SetDecodeLimits(16<<20, 40<<20)
	content := doc.Page(1).V.Key("Contents")
	for i, want := range []*lpdf.DecodeLimitError{{Limit: 16 << 20}, {Limit: 16 << 20}, {Limit: 40 << 20, Total: true}} {
		before := doc.Decoded()
		n, err := io.Copy(io.Discard, content.Reader())
		var le *lpdf.DecodeLimitError
		if !errors.As(err, &le) || *le != *want {
			t.Fatalf("read %d: err = %v, want %v", i+1, err, want)
		}
		if got := doc.Decoded() - before; got != n || n > 16<<20+1 {
			t.Fatalf("read %d: %d bytes decoded, %d returned; the bound is %d", i+1, got, n, 16<<20)
		}
	}
	if doc.Decoded() != 40<<20+1 {
		t.Errorf("%d bytes decoded in all, want the total bound + 1", doc.Decoded())
	}
}

// A font program of zeros that inflates to 1 GiB from ~1 MB: routed (the
// fast engine leaves the font to pdfium), forced to pdfium, and rendered
// for OCR, it is refused in one line before pdfium inflates it.
func TestFlateBombPdfium(t *testing.T) {
	bomb := fontBomb(1<<30, 1)
	r := NewReader(Options{})
	defer r.Close()
	forced := NewReader(Options{ForceEngine: EnginePdfium})
	defer forced.Close()
	_, _, err := r.Pages(context.Background(), bomb)
	assertBomb(t, err, "a stream over 256 MB")
	_, _, err = forced.Pages(context.Background(), bomb)
	assertBomb(t, err, "a stream over 256 MB")
	err = r.Render(context.Background(), bomb, 200, func(int) bool { return true }, func(Page) error { return nil })
	assertBomb(t, err, "a stream over 256 MB")
	if r.pdfium.instance != nil || forced.pdfium.instance != nil {
		t.Error("pdfium was started for a bomb")
	}
}

// Many font programs, each under the stream bound, that together pass the
// document's.
func TestFlateBombManyStreams(t *testing.T) {
	r := NewReader(Options{MaxStreamBytes: 16 << 20, MaxDecodedBytes: 64 << 20})
	defer r.Close()
	_, _, err := r.Pages(context.Background(), fontBomb(15<<20, 5))
	assertBomb(t, err, "all streams together over 64 MB")
	if r.pdfium.instance != nil {
		t.Error("pdfium was started for a bomb")
	}
}

// Pages of content, each under MaxContentBytes, that together inflate past
// the document's bound stop the fast engine (routed or forced) rather than
// being handed to pdfium to parse for a minute.
func TestFlateBombManyPages(t *testing.T) {
	page := zeros(7 << 20)
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
	var kids strings.Builder
	for i := range 10 {
		fmt.Fprintf(&kids, "%d 0 R ", 4+2*i)
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>", 5+2*i),
			fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(page), page))
	}
	objs[1] = "<< /Type /Pages /Kids [" + kids.String() + "] /Count 10 >>"
	bomb := pdftest.Assemble("1.4", objs...)
	for _, engine := range []string{"", EngineFast} {
		r := NewReader(Options{MaxContentBytes: 8 << 20, MaxDecodedBytes: 64 << 20, ForceEngine: engine})
		_, _, err := r.Pages(context.Background(), bomb)
		assertBomb(t, err, "all streams together over 64 MB")
		if r.pdfium.instance != nil {
			t.Error("pdfium was started for a bomb")
		}
		r.Close()
	}
}

// A bomb the Go reader cannot open (no xref) is found by the raw scan, in
// pdfium's place.
func TestFlateBombWithoutXref(t *testing.T) {
	bomb := withoutXref(fontBomb(300<<20, 1))
	if _, _, err := shared.inspect(context.Background(), bomb); err == nil {
		t.Fatal("the Go parser opened the file; the test no longer reaches the raw scan")
	}
	_, _, err := shared.Pages(context.Background(), bomb)
	assertBomb(t, err, "a stream over 256 MB")
	r := NewReader(Options{MaxStreamBytes: 16 << 20, MaxDecodedBytes: 64 << 20})
	defer r.Close()
	_, _, err = r.Pages(context.Background(), withoutXref(fontBomb(15<<20, 5)))
	assertBomb(t, err, "all streams together over 64 MB")
}

// A bomb in a filter the Go reader lacks (ASCIIHex before Flate), with or
// without a cross-reference table, reaches pdfium, which is refused memory
// at its limit: one line, not a WebAssembly stack trace, and the Reader
// then serves the next file.
func TestFlateBombPdfiumMemoryLimit(t *testing.T) {
	r := NewReader(Options{MaxEngineMemory: 128 << 20})
	defer r.Close()
	bomb := hexFontBomb(256 << 20)
	for _, data := range [][]byte{bomb, withoutXref(bomb)} {
		_, _, err := r.Pages(context.Background(), data)
		assertBomb(t, err, "pdfium's memory over 128 MB")
		if _, _, err := r.Pages(context.Background(), readFixture(t, "seed-cid-gbk.pdf")); err != nil {
			t.Fatalf("after the bomb: %v", err)
		}
	}
}

// The bounds leave room for real scans: an A3 page scanned at 600 dpi in
// colour (7016 × 9921 pixels, 209 MB decoded), Flate-compressed, renders
// for OCR.
func TestLargeScanWithinBounds(t *testing.T) {
	const w, h = 7016, 9921
	image := zeros((w*h*3)>>20 + 1)
	scan := pdftest.Assemble("1.4",
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 1191] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>",
		"<< /Length 32 >>\nstream\nq 842 0 0 1191 0 0 cm /Im0 Do Q\nendstream",
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", w, h, len(image), image))
	r := NewReader(Options{})
	defer r.Close()
	pages := 0
	err := r.Render(context.Background(), scan, 200, func(int) bool { return true }, func(p Page) error {
		pages++
		return nil
	})
	t.Logf("pdfium's memory reached %d MiB", r.pdfium.mem.size.Load()>>20)
	if err != nil || pages != 1 {
		t.Fatalf("%d pages rendered: %v", pages, err)
	}
}
