package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/pdf/pdftest"
)

// buildPDF writes a one-page PDF around a content stream, with a correct
// xref table. extra goes into the page dictionary.
func buildPDF(content []byte, filter, extra string) []byte {
	f := ""
	if filter != "" {
		f = " /Filter /" + filter
	}
	return pdftest.Assemble("1.4",
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "+
			"/Resources << /Font << /F1 5 0 R >> >> "+extra+">>",
		fmt.Sprintf("<< /Length %d%s >>\nstream\n%s\nendstream", len(content), f, content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
}

func nestedBomb(depth int) []byte {
	return buildPDF([]byte("BT /F1 12 Tf 72 720 Td (x) Tj ET"), "",
		"/Bomb "+strings.Repeat("[", depth)+strings.Repeat("]", depth)+" ")
}

// flateBomb is a content stream of n zero bytes, compressed ~1000:1.
func flateBomb(n int) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zeros := make([]byte, 1<<20)
	for i := 0; i < n>>20; i++ {
		w.Write(zeros)
	}
	w.Write([]byte("BT /F1 12 Tf 72 720 Td (x) Tj ET"))
	w.Close()
	return buildPDF(z.Bytes(), "FlateDecode", "")
}

// The synthetic PDF itself is fine: the fast engine reads it.
func TestBuildPDF(t *testing.T) {
	pages, engine, err := shared.Pages(context.Background(), buildPDF([]byte("BT /F1 12 Tf 72 720 Td (Budget 240) Tj 0 -20 Td (Score 90.58) Tj ET"), "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if engine != EngineFast || len(pages) != 1 || pages[0] != "Budget 240\nScore 90.58" {
		t.Errorf("got %q from %s", pages, engine)
	}
}

// Hostile files end with a clear error in bounded time and memory: the
// per-file Timeout and the content size limit stop them.
func TestHostileFiles(t *testing.T) {
	r := NewReader(Options{Timeout: 20 * time.Second, MaxContentBytes: 16 << 20})
	defer r.Close()
	cases := []struct {
		name string
		data []byte
		want []error
	}{
		{"deflate bomb 256 MiB", flateBomb(256 << 20), []error{ErrTooLarge}},
		{"nested dictionaries", buildPDF([]byte("BT ET"), "", "/Bomb "+strings.Repeat("<</A ", 50000)+strings.Repeat(">>", 50000)+" "), []error{ErrMalformed}},
		{"reference loop", bytes.Replace(buildPDF([]byte("BT ET"), "", ""), []byte("/Contents 4 0 R"), []byte("/Contents 3 0 R"), 1), []error{ErrNoText, ErrMalformed}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := r.Pages(context.Background(), c.data)
			for _, w := range c.want {
				if errors.Is(err, w) {
					return
				}
			}
			t.Fatalf("err = %v, want one of %v", err, c.want)
		})
	}
}

// A file that overruns the deadline kills the pdfium instance; the Reader
// starts a new one for the next file.
func TestTimeoutKillsAndRestartsPdfium(t *testing.T) {
	r := NewReader(Options{ForceEngine: EnginePdfium, Timeout: time.Millisecond})
	defer r.Close()
	data := readFixture(t, "seed-chromium.pdf")
	if _, _, err := r.Pages(context.Background(), data); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want %v", err, ErrTimeout)
	}
	r.opts.Timeout = time.Minute
	pages, _, err := r.Pages(context.Background(), readFixture(t, "seed-cid-gbk.pdf"))
	if err != nil || len(pages) != 9 {
		t.Fatalf("after a timeout: %d pages, %v", len(pages), err)
	}
}

// Text drawn twice a hair apart (fake bold) comes out once; the same text
// further along the line, or on the next line, is kept.
func TestFastFakeBold(t *testing.T) {
	content := "BT /F1 12 Tf 72 720 Td (Budget 240) Tj ET BT /F1 12 Tf 72.4 720.2 Td (Budget 240) Tj ET " +
		"BT /F1 12 Tf 72 700 Td (10) Tj 20 0 Td (10) Tj ET BT /F1 12 Tf 72 680 Td (10) Tj ET"
	pages, engine, err := shared.Pages(context.Background(), buildPDF([]byte(content), "", ""))
	if err != nil || engine != EngineFast {
		t.Fatalf("%s: %v", engine, err)
	}
	if want := "Budget 240\n10 10\n10"; pages[0] != want {
		t.Errorf("got %q, want %q", pages[0], want)
	}
}

// pdfium starts only when a file needs it: a Reader that has only seen
// files the fast engine reads has no WebAssembly instance.
func TestPdfiumStartsLazily(t *testing.T) {
	r := NewReader(Options{})
	defer r.Close()
	if _, engine, err := r.Pages(context.Background(), readFixture(t, "seed-libreoffice.pdf")); err != nil || engine != EngineFast {
		t.Fatalf("%s: %v", engine, err)
	}
	if r.pdfium.pool != nil {
		t.Error("pdfium was started for a file the fast engine reads")
	}
	if _, engine, err := r.Pages(context.Background(), readFixture(t, "seed-cid-gbk.pdf")); err != nil || engine != EnginePdfium {
		t.Fatalf("%s: %v", engine, err)
	}
	if r.pdfium.pool == nil {
		t.Error("pdfium not started")
	}
}

// Text rotated 90° keeps its lines: they are apart across the baseline.
func TestFastRotatedText(t *testing.T) {
	content := "BT /F1 12 Tf 0 1 -1 0 300 100 Tm (Budget 240) Tj 0 -20 Td (Score 90.58) Tj ET"
	pages, engine, err := shared.Pages(context.Background(), buildPDF([]byte(content), "", ""))
	if err != nil || engine != EngineFast {
		t.Fatalf("%s: %v", engine, err)
	}
	if want := "Budget 240\nScore 90.58"; pages[0] != want {
		t.Errorf("got %q, want %q", pages[0], want)
	}
}
