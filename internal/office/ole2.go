// Package office handles the Office files jixiao does not parse itself:
// the old binary formats (.doc, .wps, .xls — OLE2 compound files) are told
// apart by their streams and converted to .docx/.xlsx by LibreOffice
// headless, which internal/docx and internal/xlsx then read; and a
// password-protected .docx/.xlsx, which is an OLE2 file too, is recognised
// and refused with a clear message.
package office

import (
	"bytes"
	"errors"
	"strings"

	"github.com/richardlehane/mscfb"
)

// Kind is what an OLE2 compound file holds.
type Kind uint8

const (
	Unknown   Kind = iota
	Doc            // Word 97–2003 (WordDocument stream); WPS Writer saves this too
	Works          // Microsoft Works / old WPS word processor (CONTENTS stream)
	Xls            // Excel 97–2003 (Workbook or Book stream); WPS Spreadsheets too
	Encrypted      // a password-protected .docx/.xlsx (EncryptedPackage stream)
	Slides         // PowerPoint: never a report
)

// Errors a caller may test for. Their text is what a user sees.
var (
	ErrEncrypted = errors.New("文件设有打开密码（加密的 Word/Excel 文件），无法读取：请取消密码后另存为 .docx 或 .xlsx 再提交")
	ErrNotOLE2   = errors.New("旧版 Office 文件（OLE2）结构损坏，无法读取")
	ErrUnknown   = errors.New("是旧版 Office 文件（OLE2），但不是 Word、WPS 或 Excel 文档")
	ErrSlides    = errors.New("是 PowerPoint 演示文稿，不是绩效自评报告：请提交 Word、Excel、PDF 或文本文件")
)

var ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// IsOLE2 reports whether data starts like an OLE2 compound file.
func IsOLE2(data []byte) bool { return bytes.HasPrefix(data, ole2Magic) }

// Identify tells an OLE2 file's kind by the streams in its directory.
func Identify(data []byte) (k Kind, err error) {
	defer func() { // a hostile directory must not take the process down
		if recover() != nil {
			k, err = Unknown, ErrNotOLE2
		}
	}()
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return Unknown, ErrNotOLE2
	}
	seen := map[string]bool{}
	for n := 0; n < 10000; n++ {
		f, err := r.Next()
		if err != nil {
			break
		}
		if len(f.Path) == 0 { // root-level streams name the format
			seen[f.Name] = true
		}
	}
	switch {
	case seen["EncryptedPackage"]:
		return Encrypted, nil
	case seen["WordDocument"]:
		return Doc, nil
	case seen["Workbook"], seen["Book"], seen["WORKBOOK"]:
		return Xls, nil
	case seen["CONTENTS"], seen["MatOST"]:
		return Works, nil
	case seen["PowerPoint Document"]:
		return Slides, nil
	}
	return Unknown, ErrUnknown
}

// Format is the name source.format gives a kind. A Word-format file saved
// by WPS is a .doc by its bytes; only its name says WPS, so the name
// decides between "doc" and "wps" there — never the route it takes.
func Format(k Kind, name string) string {
	switch k {
	case Doc:
		if strings.HasSuffix(strings.ToLower(name), ".wps") {
			return "wps"
		}
		return "doc"
	case Works:
		return "wps"
	case Xls:
		return "xls"
	}
	return ""
}

// Target is the format LibreOffice converts a kind to: "docx" or "xlsx".
func Target(k Kind) string {
	if k == Xls {
		return "xlsx"
	}
	return "docx"
}
