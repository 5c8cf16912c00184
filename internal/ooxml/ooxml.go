// Package ooxml opens an Office Open XML package — a .docx or .xlsx, a zip
// of XML parts — with bounds, so a hostile file (a zip bomb, a million
// entries, a part that says it is small and is not) costs a clear error and
// a bounded amount of memory, never the process. internal/docx reads its
// parts through it; internal/xlsx hands excelize the same bounds.
//
// It also tells the two kinds of file that are not a package at all but
// look like one to a user: a password-protected .docx/.xlsx is an OLE2
// compound file holding an "EncryptedPackage" stream (see internal/office
// for OLE2), and anything else is simply not a zip.
package ooxml

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Bounds of a package. Real reports are a few hundred KB unpacked; a
// workbook with every project of a province is a few MB. Go's archive/zip
// refuses a part whose data inflates past its declared size, so checking
// the declared sizes bounds what is actually inflated.
const (
	MaxEntries  = 5000      // parts in one package
	MaxUnzipped = 256 << 20 // declared uncompressed bytes of all parts
	MaxPart     = 128 << 20 // declared uncompressed bytes of one part
)

// Errors a caller may test for. Their text is what a user sees.
var (
	ErrNotZip      = errors.New("不是有效的 Word/Excel 文件（zip 结构损坏或不是 zip）")
	ErrTooLarge    = errors.New("解压后过大，疑似压缩炸弹，已拒绝读取")
	ErrNotOffice   = errors.New("是 zip 压缩包，但不是 Word（.docx）或 Excel（.xlsx）文件")
	ErrMissingPart = errors.New("Word/Excel 文件缺少必需的部件")
)

// Kind is what a package holds.
type Kind uint8

const (
	Unknown Kind = iota
	Word         // word/document.xml
	Excel        // xl/workbook.xml
)

// IsZip reports whether data starts like a zip archive.
func IsZip(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06"))
}

// Package is an opened, checked package.
type Package struct {
	parts map[string]*zip.File // by lower-case name without a leading slash
}

// Open checks data's zip structure and declared sizes against the bounds.
func Open(data []byte) (*Package, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, ErrNotZip
	}
	if len(zr.File) > MaxEntries {
		return nil, fmt.Errorf("%w（%d 个部件，上限 %d）", ErrTooLarge, len(zr.File), MaxEntries)
	}
	p := &Package{parts: make(map[string]*zip.File, len(zr.File))}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > MaxPart {
			return nil, fmt.Errorf("%w（部件 %s 解压后 %d MB）", ErrTooLarge, f.Name, f.UncompressedSize64>>20)
		}
		total += f.UncompressedSize64
		if total > MaxUnzipped {
			return nil, fmt.Errorf("%w（解压后超过 %d MB）", ErrTooLarge, MaxUnzipped>>20)
		}
		p.parts[partKey(f.Name)] = f
	}
	return p, nil
}

func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// Kind tells a Word document from a workbook by the parts it holds.
func (p *Package) Kind() Kind {
	switch {
	case p.Has("word/document.xml"):
		return Word
	case p.Has("xl/workbook.xml"):
		return Excel
	}
	return Unknown
}

// Has reports whether the package holds a part.
func (p *Package) Has(name string) bool {
	_, ok := p.parts[partKey(name)]
	return ok
}

// Read returns a part's bytes; a missing part is ErrMissingPart.
func (p *Package) Read(name string) ([]byte, error) {
	f, ok := p.parts[partKey(name)]
	if !ok {
		return nil, fmt.Errorf("%w：%s", ErrMissingPart, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w：%s：%v", ErrNotZip, name, err)
	}
	defer rc.Close()
	// archive/zip fails a part that inflates past its declared size; the
	// limit is a second fence for a reader that would not.
	b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if err != nil || uint64(len(b)) > f.UncompressedSize64 {
		return nil, fmt.Errorf("%w：部件 %s 已损坏", ErrNotZip, name)
	}
	return b, nil
}

// Optional returns a part's bytes, nil when the package lacks it.
func (p *Package) Optional(name string) ([]byte, error) {
	if !p.Has(name) {
		return nil, nil
	}
	return p.Read(name)
}
