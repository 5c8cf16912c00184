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

// Grey converts a page to 8-bit grey, dropping red: a pixel whose red
// channel stands well above green and blue (a seal's or a signature's red
// ink) takes its red value, which is light, instead of its luminance, which
// is as dark as text. Black text under red ink stays dark in every channel
// and is kept; grey and black pixels are unchanged.
func Grey(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			out := g.Pix[y*g.Stride:]
			for x := 0; x < b.Dx(); x++ {
				out[x] = dropRed(row[4*x], row[4*x+1], row[4*x+2])
			}
		}
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			out := g.Pix[y*g.Stride:]
			for x := 0; x < b.Dx(); x++ {
				yi := src.YOffset(b.Min.X+x, b.Min.Y+y)
				ci := src.COffset(b.Min.X+x, b.Min.Y+y)
				r, gg, bb := color.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
				out[x] = dropRed(r, gg, bb)
			}
		}
	default:
		for y := 0; y < b.Dy(); y++ {
			out := g.Pix[y*g.Stride:]
			for x := 0; x < b.Dx(); x++ {
				r, gg, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				out[x] = dropRed(uint8(r>>8), uint8(gg>>8), uint8(bb>>8))
			}
		}
	}
	return g
}

// redMargin is how far red must stand above green and blue for a pixel to
// be ink of a seal: JPEG's colour noise on grey text stays well under it.
const redMargin = 60

func dropRed(r, g, b uint8) uint8 {
	if int(r)-int(g) > redMargin && int(r)-int(b) > redMargin {
		return r
	}
	return uint8((299*int(r) + 587*int(g) + 114*int(b) + 500) / 1000)
}
