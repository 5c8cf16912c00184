package raster

import (
	"image"
	"math"
)

// Otsu returns the grey level that best splits a page into ink and paper
// (Otsu's method on the histogram): pixels darker than it are ink.
func Otsu(g *image.Gray) uint8 {
	var hist [256]int
	b := g.Bounds()
	for y := 0; y < b.Dy(); y++ {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+b.Dx()] {
			hist[v]++
		}
	}
	total := b.Dx() * b.Dy()
	var sum float64
	for i, n := range hist {
		sum += float64(i * n)
	}
	var sumB float64
	wB, best, level := 0, -1.0, 128
	for t := 0; t < 256; t++ {
		wB += hist[t]
		if wB == 0 {
			continue
		}
		wF := total - wB
		if wF == 0 {
			break
		}
		sumB += float64(t * hist[t])
		mB := sumB / float64(wB)
		mF := (sum - sumB) / float64(wF)
		between := float64(wB) * float64(wF) * (mB - mF) * (mB - mF)
		if between > best {
			best, level = between, t+1
		}
	}
	return uint8(min(level, 255))
}

// Binarize makes every pixel black (0) or white (255) at threshold t.
func Binarize(g *image.Gray, t uint8) {
	b := g.Bounds()
	for y := 0; y < b.Dy(); y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+b.Dx()]
		for i, v := range row {
			if v < t {
				row[i] = 0
			} else {
				row[i] = 255
			}
		}
	}
}

// Skew estimates the angle, in degrees, a page is tilted by (positive:
// its lines fall to the right), from 0 to ±maxSkew: the angle at which the
// rows of ink, sheared back, give the sharpest projection profile. Lines
// of text and a table's rules both sharpen it. The search runs on a
// quarter-size sample of the ink, so it costs a few milliseconds.
func Skew(g *image.Gray, ink uint8) float64 {
	const step = 4 // sample every 4th pixel each way
	b := g.Bounds()
	type pt struct{ x, y float64 }
	var pts []pt
	for y := 0; y < b.Dy(); y += step {
		row := g.Pix[y*g.Stride:]
		for x := 0; x < b.Dx(); x += step {
			if row[x] < ink {
				pts = append(pts, pt{float64(x), float64(y)})
			}
		}
	}
	if len(pts) < 100 {
		return 0
	}
	rows := make([]float64, b.Dy()/step*2+64)
	score := func(deg float64) float64 {
		t := math.Tan(deg * math.Pi / 180)
		clear(rows)
		off := float64(len(rows) / 4)
		for _, p := range pts {
			i := int((p.y-p.x*t)/float64(step) + off)
			if i >= 0 && i < len(rows) {
				rows[i]++
			}
		}
		s := 0.0
		for _, v := range rows {
			s += v * v
		}
		return s
	}
	best, bestScore := 0.0, score(0)
	for deg := -maxSkew; deg <= maxSkew+1e-9; deg += 0.1 {
		if s := score(deg); s > bestScore {
			best, bestScore = deg, s
		}
	}
	for deg := best - 0.08; deg <= best+0.08+1e-9; deg += 0.02 {
		if s := score(deg); s > bestScore {
			best, bestScore = deg, s
		}
	}
	return best
}

// maxSkew is the largest tilt looked for, in degrees: a page fed crooked
// into a scanner is off by a degree or two; more is a page turned on
// purpose, which is not straightened.
const maxSkew = 3.0

// Rotate turns g by deg degrees about its centre (positive: clockwise in
// image coordinates, so Rotate(g, -Skew(g)) straightens it), filling the
// corners with fill (paper, 255, for a page). Bilinear interpolation keeps
// strokes smooth.
func Rotate(g *image.Gray, deg float64, fill uint8) *image.Gray {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	s, c := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		dy := float64(y) - cy
		row := out.Pix[y*out.Stride:]
		// Source of (x, y): rotate back by -deg.
		sx0 := c*(-cx) + s*dy + cx
		sy0 := -s*(-cx) + c*dy + cy
		for x := 0; x < w; x++ {
			sx := sx0 + c*float64(x)
			sy := sy0 - s*float64(x)
			row[x] = sample(g, sx, sy, fill)
		}
	}
	return out
}

func sample(g *image.Gray, x, y float64, fill uint8) uint8 {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	b := g.Bounds()
	if x0 < 0 || y0 < 0 || x0+1 >= b.Dx() || y0+1 >= b.Dy() {
		return fill
	}
	fx, fy := x-float64(x0), y-float64(y0)
	i := y0*g.Stride + x0
	p00, p10 := float64(g.Pix[i]), float64(g.Pix[i+1])
	p01, p11 := float64(g.Pix[i+g.Stride]), float64(g.Pix[i+g.Stride+1])
	v := p00*(1-fx)*(1-fy) + p10*fx*(1-fy) + p01*(1-fx)*fy + p11*fx*fy
	return uint8(v + 0.5)
}

// Despeckle whitens specks of ink — 8-connected dark components of at
// most maxArea pixels — on a binarized page: dust on the glass, toner
// spray. The full stop and the dot of 、 at 200 dpi are larger than the
// specks this is called with.
func Despeckle(g *image.Gray, maxArea int) int {
	// Pixels walked are marked 1 (still ink, told from unwalked 0) and set
	// back to 0 at the end: no second page-sized buffer.
	const walked = 1
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	var stack, comp []int
	removed := 0
	for start := 0; start < w*h; start++ {
		x0, y0 := start%w, start/w
		if g.Pix[y0*g.Stride+x0] != 0 {
			continue
		}
		stack = append(stack[:0], start)
		comp = comp[:0]
		g.Pix[y0*g.Stride+x0] = walked
		size := 0
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if size++; size <= maxArea {
				comp = append(comp, p)
			}
			px, py := p%w, p/w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := px+dx, py+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if i := ny*g.Stride + nx; g.Pix[i] == 0 {
						g.Pix[i] = walked
						stack = append(stack, ny*w+nx)
					}
				}
			}
		}
		if size <= maxArea {
			for _, p := range comp {
				g.Pix[(p/w)*g.Stride+p%w] = 255
			}
			removed++
		}
	}
	for i, v := range g.Pix {
		if v == walked {
			g.Pix[i] = 0
		}
	}
	return removed
}

// Scale resamples g by factor f (bilinear).
func Scale(g *image.Gray, f float64) *image.Gray {
	b := g.Bounds()
	w, h := int(float64(b.Dx())*f+0.5), int(float64(b.Dy())*f+0.5)
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := out.Pix[y*out.Stride:]
		sy := (float64(y)+0.5)/f - 0.5
		for x := 0; x < w; x++ {
			row[x] = sample(g, (float64(x)+0.5)/f-0.5, sy, 255)
		}
	}
	return out
}
