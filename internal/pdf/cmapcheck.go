package pdf

import (
	"encoding/hex"
	"io"
	"strconv"

	lpdf "github.com/ledongthuc/pdf"
)

// toUnicodeSafe reports whether ledongthuc/pdf decodes this ToUnicode CMap
// exactly. Its bfrange arithmetic only adds the difference of the last
// bytes to the last byte of the destination, so a range whose source codes
// differ in more than the last byte (<0100> <02FF> <4E00>), or whose
// destination's last byte overflows (<01> <02> <00FF>), decodes to other,
// plausible characters: silently wrong text that no gate can see. Such maps,
// and maps without a codespace range, go to pdfium. The caller has bounded
// the stream's size.
func toUnicodeSafe(cmap lpdf.Value) bool {
	rc := cmap.Reader()
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return false
	}
	return cmapSafe(data)
}

// cmapToken is a hex string (hex set), a number or keyword (word), or an
// array of hex strings.
type cmapToken struct {
	hex   string
	isHex bool
	word  string
	array []cmapToken
}

func cmapSafe(data []byte) bool {
	var stack []cmapToken
	hasCodespace, safe := false, true
	toks := tokenizeCMap(data)
	for _, t := range toks {
		if t.isHex || t.array != nil || t.word == "" || isNumber(t.word) {
			stack = append(stack, t)
			continue
		}
		switch t.word {
		case "endcodespacerange":
			hasCodespace = hasCodespace || len(stack) >= 2
		case "endbfchar":
			for i := 1; i < len(stack); i += 2 {
				if !stack[i].isHex || len(stack[i].hex)%2 != 0 {
					safe = false
				}
			}
		case "endbfrange":
			if len(stack)%3 != 0 {
				return false
			}
			for i := 0; i+2 < len(stack); i += 3 {
				safe = safe && bfrangeSafe(stack[i], stack[i+1], stack[i+2])
			}
		}
		stack = stack[:0]
	}
	return safe && hasCodespace
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func bfrangeSafe(loT, hiT, dst cmapToken) bool {
	lo, hi := loT.hex, hiT.hex
	k := len(lo)
	if !loT.isHex || !hiT.isHex || k == 0 || len(hi) != k || lo[:k-1] != hi[:k-1] || lo[k-1] > hi[k-1] {
		return false
	}
	span := int(hi[k-1] - lo[k-1])
	switch {
	case dst.isHex:
		d := dst.hex
		return len(d) >= 2 && len(d)%2 == 0 && int(d[len(d)-1])+span <= 0xFF
	case dst.array != nil:
		if len(dst.array) < span+1 {
			return false
		}
		for _, s := range dst.array[:span+1] {
			if !s.isHex || len(s.hex)%2 != 0 {
				return false
			}
		}
		return true
	}
	return false
}

// tokenizeCMap splits a CMap into hex strings, arrays of them, and words
// (numbers, names, keywords). Literal strings become the word "(".
func tokenizeCMap(data []byte) []cmapToken {
	var out []cmapToken
	var array *[]cmapToken
	emit := func(t cmapToken) {
		if array != nil {
			*array = append(*array, t)
		} else {
			out = append(out, t)
		}
	}
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '%':
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
		case isPDFSpace(c):
			i++
		case c == '<' && i+1 < len(data) && data[i+1] == '<', c == '>' && i+1 < len(data) && data[i+1] == '>':
			emit(cmapToken{word: string(data[i : i+2])})
			i += 2
		case c == '<':
			j := i + 1
			var digits []byte
			for j < len(data) && data[j] != '>' {
				if !isPDFSpace(data[j]) {
					digits = append(digits, data[j])
				}
				j++
			}
			if len(digits)%2 == 1 {
				digits = append(digits, '0')
			}
			b, err := hex.DecodeString(string(digits))
			if err != nil {
				emit(cmapToken{word: "<bad>"})
			} else {
				emit(cmapToken{hex: string(b), isHex: true})
			}
			i = j + 1
		case c == '[':
			arr := []cmapToken{}
			array = &arr
			i++
		case c == ']':
			if array != nil {
				arr := *array
				array = nil
				if arr == nil {
					arr = []cmapToken{}
				}
				out = append(out, cmapToken{array: arr})
			}
			i++
		case c == '(':
			i = skipLiteral(data, i) + 1
			emit(cmapToken{word: "("})
		default:
			j := i + 1
			for j < len(data) && !isPDFSpace(data[j]) && !isPDFDelim(data[j]) {
				j++
			}
			if c == '/' || c == '{' || c == '}' || c == ')' {
				j = max(j, i+1)
			}
			emit(cmapToken{word: string(data[i:j])})
			i = j
		}
	}
	return out
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}
