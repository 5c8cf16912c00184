package pdf

import "bytes"

// maxNesting bounds how deeply arrays and dictionaries may nest outside
// streams. Real files stay under 10; a "nested object bomb" goes to
// thousands and would drive the Go parser's recursion.
const maxNesting = 256

// nestingDepth returns the deepest nesting of [ and << in the file's object
// syntax, skipping stream data and string literals.
func nestingDepth(data []byte) int {
	depth, deepest := 0, 0
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '[':
			depth++
		case '<':
			if i+1 < len(data) && data[i+1] == '<' {
				depth++
				i++
			}
		case ']':
			depth = max(depth-1, 0)
		case '>':
			if i+1 < len(data) && data[i+1] == '>' {
				depth = max(depth-1, 0)
				i++
			}
		case '(':
			i = skipLiteral(data, i)
		case 's':
			if bytes.HasPrefix(data[i:], []byte("stream")) && (i == 0 || !isRegular(data[i-1])) {
				end := bytes.Index(data[i:], []byte("endstream"))
				if end < 0 {
					return deepest
				}
				i += end + len("endstream") - 1
			}
		case 'e':
			if bytes.HasPrefix(data[i:], []byte("endobj")) {
				depth = 0
			}
		}
		deepest = max(deepest, depth)
	}
	return deepest
}

func isRegular(c byte) bool {
	return c > ' ' && !bytes.ContainsRune([]byte("()<>[]{}/%"), rune(c))
}

// skipLiteral returns the index of the ")" closing the string at data[i].
func skipLiteral(data []byte, i int) int {
	level := 0
	for ; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '(':
			level++
		case ')':
			level--
			if level == 0 {
				return i
			}
		}
	}
	return i
}

// hasEOFMarker reports whether "%%EOF" is in the last 2 KiB: a file cut
// short (an interrupted download) is refused rather than read in part,
// which pdfium's repair would otherwise do silently.
func hasEOFMarker(data []byte) bool {
	tail := data[max(len(data)-2048, 0):]
	return bytes.Contains(tail, []byte("%%EOF"))
}
