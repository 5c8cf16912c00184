package raster

import (
	"image"
	"image/color"
	"os"
	"testing"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../../testdata/scan/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Page images are told by their bytes; a TIFF gives each of its pages.
func TestDecode(t *testing.T) {
	for _, c := range []struct {
		file, format string
		pages        int
	}{
		{"seal.png", "png", 1},
		{"tilted.jpg", "jpeg", 1},
		{"pages.tif", "tiff", 2},
		{"table-seal.pdf", "", 0},
	} {
		data := fixture(t, c.file)
		if f := Format(data); f != c.format {
			t.Errorf("%s: format %q, want %q", c.file, f, c.format)
		}
		n, page, err := Decode(data)
		if c.pages == 0 {
			if err == nil {
				t.Errorf("%s: decoded as an image", c.file)
			}
			continue
		}
		if err != nil || n != c.pages {
			t.Fatalf("%s: %d pages, %v; want %d", c.file, n, err, c.pages)
		}
		for i := range n {
			img, err := page(i)
			if err != nil || img.Bounds().Dx() < 1000 {
				t.Errorf("%s page %d: %v, %v", c.file, i+1, img.Bounds(), err)
			}
		}
	}
}

// Red ink becomes paper and is marked in the mask; black and grey stay.
func TestGreyDropsRed(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 1))
	for x, c := range []color.RGBA{
		{210, 40, 40, 255}, {0, 0, 0, 255}, {128, 128, 128, 255}, {255, 255, 255, 255},
		{255, 255, 255, 255}, {255, 255, 255, 255}, {40, 40, 40, 255}, {255, 255, 255, 255},
	} {
		img.Set(x, 0, c)
	}
	g, red := Grey(img)
	if red == nil || red.GrayAt(0, 0).Y == 0 || red.GrayAt(6, 0).Y != 0 {
		t.Fatalf("red mask %v", red)
	}
	want := []uint8{255, 0, 255, 255, 255, 255, 40, 255} // the grey next to red is its edge
	for x, w := range want {
		if got := g.GrayAt(x, 0).Y; got != w {
			t.Errorf("pixel %d: %d, want %d", x, got, w)
		}
	}
}

// A page turned by 1.5° is found turned by 1.5°; turned back, it is found
// straight.
func TestSkew(t *testing.T) {
	_, page, err := Decode(fixture(t, "tilted.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	img, _ := page(0)
	g, _ := Grey(img)
	ink := Otsu(g)
	a := Skew(g, ink)
	if a < -1.65 || a > -1.35 && a < 1.35 || a > 1.65 {
		t.Fatalf("skew %.2f°, want ±1.5°", a)
	}
	if b := Skew(Rotate(g, -a, 255), ink); b < -0.15 || b > 0.15 {
		t.Errorf("straightened page skewed %.2f°", b)
	}
}

// Specks up to the size given are removed; a stroke is not.
func TestDespeckle(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 20, 10))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	g.SetGray(2, 2, color.Gray{0})
	g.SetGray(3, 2, color.Gray{0})
	for x := 8; x < 18; x++ {
		g.SetGray(x, 5, color.Gray{0})
	}
	if n := Despeckle(g, 4); n != 1 {
		t.Errorf("%d specks removed, want 1", n)
	}
	if g.GrayAt(2, 2).Y != 255 || g.GrayAt(10, 5).Y != 0 {
		t.Errorf("speck %d, stroke %d", g.GrayAt(2, 2).Y, g.GrayAt(10, 5).Y)
	}
}

// The ruled table under a seal is one grid of 9 columns and 19 rows, its
// merged cells owned by their first row and column.
func TestGrids(t *testing.T) {
	_, page, err := Decode(jpegOf(t, fixture(t, "table-seal.pdf")))
	if err != nil {
		t.Fatal(err)
	}
	img, _ := page(0)
	g, red := Grey(img)
	ink := Otsu(g)
	level := uint8((int(ink) + 255) / 2)
	grids := Grids(g, red, level, Rules(g, level, 200))
	if len(grids) != 1 || len(grids[0].Xs) != 10 || len(grids[0].Ys) != 20 {
		t.Fatalf("grids %+v", grids)
	}
	// 项目名称's value spans the row's columns 1–8.
	if o := grids[0].Owner[0][5]; o != (image.Point{X: 1, Y: 0}) {
		t.Errorf("row 0 col 5 owned by %v, want column 1", o)
	}
}

// jpegOf takes the JPEG out of a one-image PDF written by img2pdf.
func jpegOf(t *testing.T, pdf []byte) []byte {
	t.Helper()
	for i := 0; i+3 < len(pdf); i++ {
		if pdf[i] == 0xFF && pdf[i+1] == 0xD8 && pdf[i+2] == 0xFF {
			return pdf[i:]
		}
	}
	t.Fatal("no JPEG in the PDF")
	return nil
}
