// Package pdftest writes small, well-formed PDFs for tests: the objects a
// test names, numbered from 1 (object 1 the catalog), with a correct
// cross-reference table and trailer.
package pdftest

import (
	"bytes"
	"fmt"
)

// Assemble returns a PDF of the given version ("1.4", "1.7") holding objs as
// objects 1…n.
func Assemble(version string, objs ...string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%%PDF-%s\n", version)
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
