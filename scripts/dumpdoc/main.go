// Command dumpdoc prints the document model jixiao builds of a text, PDF or
// scanned file (OCR):
// every block with its kind and source line, a table's layout and its rows
// of cells. A developer's view of what normalising made of a report.
//
//	go run ./scripts/dumpdoc report.txt
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/internal/ocr"
	"github.com/jixiao/jixiao/internal/pdf"
	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/internal/textload"
)

func main() {
	for _, name := range os.Args[1:] {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var text string
		if raster.Format(data) != "" {
			dump(scanned(name, data, nil))
			continue
		}
		if textload.IsPDF(data) {
			r := pdf.NewReader(pdf.Options{})
			pages, _, err := r.Pages(context.Background(), data)
			r.Close()
			if errors.Is(err, pdf.ErrNoText) {
				dump(scanned(name, data, nil))
				continue
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, name+":", err)
				os.Exit(1)
			}
			text = normalize.JoinPages(pages)
		} else if text, _, err = textload.Decode(data); err != nil {
			fmt.Fprintln(os.Stderr, name+":", err)
			os.Exit(1)
		}
		dump(normalize.Parse(text))
	}
}

// scanned is the model OCR builds of a scanned PDF or a page image.
func scanned(name string, data []byte, texts []string) *document.Doc {
	r := pdf.NewReader(pdf.Options{})
	defer r.Close()
	o := &ocr.Reader{PDF: r}
	var d *document.Doc
	var err error
	if textload.IsPDF(data) {
		d, _, err = o.ReadPDF(context.Background(), data, texts)
	} else {
		d, _, err = o.ReadImage(context.Background(), data)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
	return d
}

func dump(d *document.Doc) {
	for i := range d.Blocks {
		b := &d.Blocks[i]
		line, _ := d.Line(b.Start)
		if b.Kind != document.TableBlock {
			mark := ""
			if b.Marker != nil {
				mark = fmt.Sprintf(" L%d[%s]", b.Marker.Level, b.Marker.Number)
			}
			fmt.Printf("%4d %-7s%s %s\n", line, b.Kind, mark, clip(d.BlockText(b), 70))
			continue
		}
		fmt.Printf("%4d table %s, %d rows\n", line, b.Table.Layout, len(b.Table.Rows))
		for _, r := range b.Table.Rows {
			var cs []string
			for _, c := range r {
				cs = append(cs, clip(c.Text, 24))
			}
			fmt.Printf("        | %s\n", strings.Join(cs, " | "))
		}
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
