package textload

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

const sample = "一、基本情况\n红十字专项业务费年初安排资金 240 万元。\n"

func TestDecodeEncodings(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	u16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(sample))
	u16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(sample))
	cases := []struct {
		name string
		data []byte
		enc  string
	}{
		{"utf-8", []byte(sample), UTF8},
		{"utf-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, sample...), UTF8BOM},
		{"gb18030", gb, GB18030},
		{"utf-16le", u16le, UTF16LE},
		{"utf-16be", u16be, UTF16BE},
	}
	for _, c := range cases {
		got, enc, err := Decode(c.data)
		if err != nil || got != sample || enc != c.enc {
			t.Errorf("%s: got %q %q %v", c.name, got, enc, err)
		}
	}
}

func TestDecodeRealReportGB18030(t *testing.T) {
	b, err := os.ReadFile("../../testdata/corpus/xj-redcross-2022.txt")
	if err != nil {
		t.Fatal(err)
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	got, enc, err := Decode(gb)
	if err != nil || enc != GB18030 || got != string(b) {
		t.Fatalf("enc %q err %v, equal %v", enc, err, got == string(b))
	}
}

func TestDecodeErrors(t *testing.T) {
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i*131 + 7)
	}
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"only white space", []byte(" \n\r\n\t"), ErrEmpty},
		{"binary junk", junk, ErrBinary},
		{"NUL bytes", append([]byte("一、基本情况"), 0, 0, 0), ErrBinary},
		{"latin-1 high bytes that are no GB18030 text", bytes.Repeat([]byte{0x80, 0xFF, 0x41}, 400), ErrUnknown},
	}
	for _, c := range cases {
		_, _, err := Decode(c.data)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.want)
		}
	}
}

func TestIsPDF(t *testing.T) {
	if !IsPDF([]byte("%PDF-1.7\n...")) || IsPDF([]byte(sample)) {
		t.Error("IsPDF")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte{0xFF, 0xFE, 0x00})
	f.Add([]byte{0xEF, 0xBB, 0xBF})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, _, err := Decode(b)
		if err == nil && s == "" {
			t.Fatal("no error and no text")
		}
	})
}
