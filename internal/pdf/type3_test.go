package pdf

import (
	"context"
	"fmt"
	"testing"

	"github.com/jixiao/jixiao/internal/pdf/pdftest"
)

// type3PDF is a one-page PDF whose only font is a Type 3 font drawing codes
// A, B, C (one square glyph, 100 glyph units wide, FontMatrix 0.01: one em)
// with the given ToUnicode map, showing content.
func type3PDF(toUnicode, content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /T3 5 0 R >> >> /Contents 4 0 R >>",
		stream(content),
		"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 100 100] /FontMatrix [0.01 0 0 0.01 0 0]" +
			" /CharProcs << /sq 7 0 R >> /Encoding << /Type /Encoding /Differences [65 /sq /sq /sq] >>" +
			" /FirstChar 65 /LastChar 67 /Widths [100 100 100] /ToUnicode 6 0 R /Resources << >> >>",
		stream(toUnicode),
		stream("100 0 0 0 100 100 d1 0 0 100 100 re f"),
	}
	return pdftest.Assemble("1.7", objs...)
}

func stream(s string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

func cmap(codespace, body string) string {
	return "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		codespace + "\n" + body + "\nendcmap CMapName currentdict /CMap defineresource pop end end"
}

const (
	oneByteSpace = "1 begincodespacerange <00> <FF> endcodespacerange"
	// A → 1, B → 2, C → 万
	digitsMap = "2 beginbfchar <41> <0031> <43> <4E07> endbfchar 1 beginbfrange <42> <42> <0032> endbfrange"
	// Line 1: "12" then "万" placed where "12" ends (10 pt glyphs, one em
	// wide): no space, which needs the FontMatrix; then C two ems on: a
	// space. Line 2, 20 pt lower; the 民 of an ActualText span.
	type3Content = "BT /T3 10 Tf 72 700 Td <4142> Tj 20 0 Td <43> Tj 30 0 Td <43> Tj ET\n" +
		"BT /T3 10 Tf 72 680 Td <41> Tj /Span << /ActualText <FEFF6C11> >> BDC <43> Tj EMC <42> Tj ET"
)

func TestType3Fast(t *testing.T) {
	data := type3PDF(cmap(oneByteSpace, digitsMap), type3Content)
	want := "12万 万\n1民2"
	for _, r := range []*Reader{shared, NewReader(Options{ForceEngine: EngineFast})} {
		pages, engine, err := r.Pages(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		if engine != EngineFast {
			t.Errorf("engine %q, want %q", engine, EngineFast)
		}
		if len(pages) != 1 || pages[0] != want {
			t.Errorf("pages %q, want [%q]", pages, want)
		}
	}
}

// A Type 3 font whose map the fast engine cannot use goes to pdfium.
func TestType3MapRefused(t *testing.T) {
	cases := []struct {
		name, toUnicode, want string
	}{
		{"no codespace", cmap("", digitsMap), "ToUnicode map the fast engine misreads"},
		{"two-byte codespace", cmap("1 begincodespacerange <0000> <FFFF> endcodespacerange",
			"1 beginbfchar <0041> <0031> endbfchar"), "Type 3 font whose ToUnicode map does not decode"},
		{"maps a drawn code to nothing", cmap(oneByteSpace, "2 beginbfchar <41> <0031> <42> <> endbfchar"),
			"Type 3 font whose ToUnicode map does not decode"},
		{"maps no drawn code", cmap(oneByteSpace, "1 beginbfchar <20> <0031> endbfchar"),
			"Type 3 font whose ToUnicode map does not decode"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, class, err := shared.inspect(context.Background(), type3PDF(c.toUnicode, type3Content))
			if err != nil {
				t.Fatal(err)
			}
			if class.pdfiumReason != c.want {
				t.Errorf("reason %q, want %q", class.pdfiumReason, c.want)
			}
		})
	}
}

// A code shown that the map lacks: the fast engine's U+FFFD fails the
// quality gate and the file goes to pdfium (or fails), never through.
func TestType3UnmappedCodeNotFast(t *testing.T) {
	data := type3PDF(cmap(oneByteSpace, "1 beginbfchar <41> <0031> endbfchar"), type3Content)
	if _, class, err := shared.inspect(context.Background(), data); err != nil || class.pdfiumReason != "" {
		t.Fatalf("inspect: reason %q, err %v; want the fast engine allowed", class.pdfiumReason, err)
	}
	if _, engine, err := shared.Pages(context.Background(), data); err == nil && engine == EngineFast {
		t.Errorf("fast engine's text with undecoded codes was used")
	}
}
