// Command dumpdoc prints the document model jixiao builds of a file (text,
// PDF, Word, Excel; .doc/.xls through LibreOffice when installed; scans
// through OCR when Tesseract is installed): every
// block with its kind and source address, a table's layout and its rows of
// cells; a workbook's forms one after the other. A developer's view of
// what loading made of a report.
//
//	go run ./scripts/dumpdoc report.txt forms.xlsx
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/ocr"
	"github.com/jixiao/jixiao/internal/office"
)

func main() {
	defer office.Cleanup()
	r, release := ocr.NewRunner()
	defer release()
	r.Office = &office.Converter{}
	for _, name := range os.Args[1:] {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		l, err := r.Load(context.Background(), filepath.Base(name), data)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, p := range l.Parts {
			if p.Sheet != "" {
				fmt.Printf("== sheet %s\n", p.Sheet)
			}
			dump(p.Doc)
		}
	}
}

func dump(d *document.Doc) {
	for i := range d.Blocks {
		b := &d.Blocks[i]
		at := where(d.Pos(b.Start))
		if b.Kind != document.TableBlock {
			mark := ""
			if b.Marker != nil {
				mark = fmt.Sprintf(" L%d[%s]", b.Marker.Level, b.Marker.Number)
			}
			fmt.Printf("%4s %-7s%s %s\n", at, b.Kind, mark, clip(d.BlockText(b), 70))
			continue
		}
		fmt.Printf("%4s table %s, %d rows\n", at, b.Table.Layout, len(b.Table.Rows))
		for _, r := range b.Table.Rows {
			var cs []string
			for _, c := range r {
				cs = append(cs, clip(c.Text, 24))
			}
			fmt.Printf("        | %s\n", strings.Join(cs, " | "))
		}
	}
}

// where is a block's source address: a line, a Word paragraph (¶), or a
// workbook cell.
func where(a document.Addr) string {
	switch {
	case a.Cell != "":
		return a.Cell
	case a.Paragraph > 0:
		return fmt.Sprintf("¶%d", a.Paragraph)
	}
	return fmt.Sprint(a.Line)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
