// Package raster prepares a scanned page for recognition: decoded from its
// file's bytes (PNG, JPEG, TIFF with several pages), turned grey with a red
// seal or signature dropped by its colour, straightened, cleared of dust,
// and scaled to the resolution recognition is tuned for. Every step is
// plain Go on 8-bit grey pixels; each was measured on the scanned corpus
// (see internal/ocr's README section in the project README).
package raster

import (
	"image"
	"image/color"
)

// Grey converts a page to 8-bit grey, dropping red: a seal's or a
// signature's red ink, dark in luminance, would otherwise be read as text
// or cut the text it crosses. A pixel whose red stands well above its green
// and blue is red ink; so is a pixel beside one that is not dark enough to
// be black text — JPEG keeps colour at half the resolution of brightness,
// so a red stroke's edges come out grey, and left alone they draw the
// seal's outline. Red ink becomes paper; black text under it stays.
//
// The mask it also returns (nil when the page has no red) marks where red
// ink was: a table's rule under a seal is hidden there, not missing.
func Grey(img image.Image) (*image.Gray, *image.Gray) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := image.NewGray(image.Rect(0, 0, w, h))
	if src, ok := img.(*image.Gray); ok {
		for y := 0; y < h; y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+w], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return g, nil
	}
	var red *image.Gray // allocated at the first red pixel: most pages have none
	rgb := pixels(img)
	for y := 0; y < h; y++ {
		out := g.Pix[y*g.Stride:]
		for x := 0; x < w; x++ {
			r, gg, bb := rgb(b.Min.X+x, b.Min.Y+y)
			out[x] = uint8((299*int(r) + 587*int(gg) + 114*int(bb) + 500) / 1000)
			if int(r)-int(gg) > redMargin && int(r)-int(bb) > redMargin {
				if red == nil {
					red = image.NewGray(g.Rect)
				}
				red.Pix[y*red.Stride+x] = 255
			}
		}
	}
	if red != nil {
		dropInk(g, red)
	}
	return g, red
}

// redMargin is how far red must stand above green and blue for a pixel to
// be red ink: JPEG's colour noise on grey text stays well under it.
const redMargin = 30

// blackText is the grey level under which a pixel near red ink is text
// printed under the seal, not the seal's own edge.
const blackText = 80

// dropInk whitens red pixels and the pixels within two of them that are
// lighter than black text.
func dropInk(g, red *image.Gray) {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	const reach = 2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*g.Stride + x
			if g.Pix[i] < blackText && red.Pix[i] == 0 {
				continue
			}
			near := false
			for dy := -reach; dy <= reach && !near; dy++ {
				yy := y + dy
				if yy < 0 || yy >= h {
					continue
				}
				for dx := -reach; dx <= reach; dx++ {
					xx := x + dx
					if xx >= 0 && xx < w && red.Pix[yy*red.Stride+xx] != 0 {
						near = true
						break
					}
				}
			}
			if near {
				g.Pix[i] = 255
			}
		}
	}
}

// pixels returns a reader of 8-bit RGB for the image types decoders and
// pdfium produce, and a generic one for the rest.
func pixels(img image.Image) func(x, y int) (r, g, b uint8) {
	switch src := img.(type) {
	case *image.RGBA:
		return func(x, y int) (uint8, uint8, uint8) {
			i := src.PixOffset(x, y)
			return src.Pix[i], src.Pix[i+1], src.Pix[i+2]
		}
	case *image.YCbCr:
		return func(x, y int) (uint8, uint8, uint8) {
			yi, ci := src.YOffset(x, y), src.COffset(x, y)
			return color.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
		}
	}
	return func(x, y int) (uint8, uint8, uint8) {
		r, g, b, _ := img.At(x, y).RGBA()
		return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
	}
}
