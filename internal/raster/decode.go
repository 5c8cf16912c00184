package raster

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/tiff"
)

// Format names the page image format data holds, by its leading bytes —
// "png", "jpeg", "tiff" — or "" for anything else. A file's name is never
// consulted.
func Format(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "tiff"
	}
	return ""
}

// ErrImage: the bytes are not a page image this package decodes.
var ErrImage = errors.New("无法解码的图像")

// MaxPixels bounds one decoded page: an A3 page at 600 dpi is ~70 million
// pixels; a larger image is refused before it is decoded (a decompression
// bomb declares a huge size in a few bytes).
const MaxPixels = 80_000_000

// Decode returns the pages of a page image: one for PNG and JPEG, every
// image of a multi-page TIFF. Each page is decoded when asked for, so a
// long TIFF never holds more than one page.
func Decode(data []byte) (pages int, page func(i int) (image.Image, error), err error) {
	switch Format(data) {
	case "png", "jpeg":
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return 0, nil, fmt.Errorf("%w: %v", ErrImage, err)
		}
		if cfg.Width*cfg.Height > MaxPixels {
			return 0, nil, fmt.Errorf("%w: %d×%d 像素，超过上限", ErrImage, cfg.Width, cfg.Height)
		}
		return 1, func(int) (image.Image, error) { return decodeOne(data) }, nil
	case "tiff":
		offs, order, err := tiffPages(data)
		if err != nil {
			return 0, nil, err
		}
		return len(offs), func(i int) (image.Image, error) { return tiffPage(data, order, offs[i]) }, nil
	}
	return 0, nil, ErrImage
}

func decodeOne(data []byte) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("%w: %v", ErrImage, p)
		}
	}()
	if Format(data) == "png" {
		img, err = png.Decode(bytes.NewReader(data))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImage, err)
	}
	return img, nil
}

// tiffPages walks the chain of image file directories (one per page) and
// returns their offsets. x/image/tiff decodes the first directory only;
// each page is decoded from a copy whose header points at its directory.
func tiffPages(data []byte) ([]uint32, binary.ByteOrder, error) {
	if len(data) < 8 {
		return nil, nil, ErrImage
	}
	var order binary.ByteOrder = binary.LittleEndian
	if data[0] == 'M' {
		order = binary.BigEndian
	}
	var offs []uint32
	seen := map[uint32]bool{}
	for off := order.Uint32(data[4:8]); off != 0; {
		if seen[off] || int(off)+2 > len(data) || len(offs) >= 2000 {
			break // a loop, a cut file, or far more pages than a report has
		}
		seen[off] = true
		offs = append(offs, off)
		n := int(order.Uint16(data[off:]))
		next := int(off) + 2 + 12*n
		if next+4 > len(data) {
			break
		}
		off = order.Uint32(data[next:])
	}
	if len(offs) == 0 {
		return nil, nil, ErrImage
	}
	return offs, order, nil
}

func tiffPage(data []byte, order binary.ByteOrder, off uint32) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("%w: %v", ErrImage, p)
		}
	}()
	page := data
	if order.Uint32(data[4:8]) != off {
		page = append([]byte(nil), data...)
		order.PutUint32(page[4:8], off)
	}
	cfg, err := tiff.DecodeConfig(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImage, err)
	}
	if cfg.Width*cfg.Height > MaxPixels {
		return nil, fmt.Errorf("%w: %d×%d 像素，超过上限", ErrImage, cfg.Width, cfg.Height)
	}
	img, err = tiff.Decode(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImage, err)
	}
	return img, nil
}
