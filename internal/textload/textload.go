// Package textload decodes a report given as a text file: UTF-8 (with or
// without a byte-order mark), UTF-16 with a byte-order mark, or GB18030/GBK,
// detected from the bytes, never from the file name. A file that decodes to
// nothing readable is an error, not mojibake.
package textload

import (
	"bytes"
	"errors"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	unicodeenc "golang.org/x/text/encoding/unicode"
)

// Encoding names reported in source.encoding.
const (
	UTF8    = "utf-8"
	UTF8BOM = "utf-8-bom"
	UTF16LE = "utf-16le"
	UTF16BE = "utf-16be"
	GB18030 = "gb18030"
)

// Errors a caller may test for.
var (
	ErrEmpty   = errors.New("empty file")
	ErrBinary  = errors.New("not a text file (binary content)")
	ErrUnknown = errors.New("unknown text encoding (neither UTF-8, UTF-16 nor GB18030)")
)

// IsPDF reports whether data starts like a PDF (the header may follow a few
// junk bytes, as readers allow).
func IsPDF(data []byte) bool {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	return bytes.Contains(head, []byte("%PDF-"))
}

// Decode returns the text of data and the encoding it was read in.
func Decode(data []byte) (string, string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", "", ErrEmpty
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return checked(string(data[3:]), UTF8BOM, true)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeWith(unicodeenc.UTF16(unicodeenc.LittleEndian, unicodeenc.UseBOM), data, UTF16LE)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeWith(unicodeenc.UTF16(unicodeenc.BigEndian, unicodeenc.UseBOM), data, UTF16BE)
	}
	if binaryBytes(data) {
		return "", "", ErrBinary
	}
	if utf8.Valid(data) {
		return checked(string(data), UTF8, true)
	}
	return decodeWith(simplifiedchinese.GB18030, data, GB18030)
}

func decodeWith(enc encoding.Encoding, data []byte, name string) (string, string, error) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", ErrUnknown
	}
	return checked(string(out), name, false)
}

// checked refuses text that decoded without error but is not plausible
// report text: replacement characters (invalid sequences) or control
// characters beyond a trace. strict is for UTF-8, which either is valid or
// is not.
func checked(s, name string, strict bool) (string, string, error) {
	var bad, total int
	for _, r := range s {
		total++
		switch {
		case r == utf8.RuneError:
			bad++
		case r == '\n' || r == '\r' || r == '\t' || r == '\f' || r == '\v':
		case unicode.IsControl(r):
			bad++
		case r >= 0xE000 && r <= 0xF8FF: // private use: GB18030 of random bytes
			bad++
		}
	}
	if total == 0 {
		return "", "", ErrEmpty
	}
	limit := total / 200 // 0.5 %
	if strict {
		limit = total / 50
	}
	if bad > limit {
		if name == GB18030 {
			return "", "", ErrUnknown
		}
		return "", "", ErrBinary
	}
	return s, name, nil
}

// binaryBytes reports NUL bytes or many C0 controls in the first 8 KiB:
// text in the encodings we read without a BOM has neither.
func binaryBytes(data []byte) bool {
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	ctl := 0
	for _, b := range head {
		if b == 0 {
			return true
		}
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != '\v' && b != 0x1b {
			ctl++
		}
	}
	return ctl > len(head)/100+1
}
