package raster

import (
	"image"
	"sort"
)

// Rule is a table rule: a horizontal (Y fixed) or vertical (X fixed) run of
// ink, From–To along it, in pixels.
type Rule struct {
	Vertical bool
	Pos      int // y of a horizontal rule, x of a vertical one (its middle)
	From, To int
	Width    int // thickness in pixels
}

// Rules finds the ruled lines of a grey page, where a pixel darker than
// level is ink: horizontal runs
// of at least minLen pixels (gaps of a few pixels bridged, as JPEG and dust
// break a rule), then, inside the band those span, vertical runs of at
// least minLen/4 that start or end at a horizontal rule or cross one — a
// character's stroke is never that long and touches no rule. (A seal's
// ring, dropped by its colour, cuts a rule short of the next one.)
//
// A rule is thinner than text strokes and, on a page turned straight,
// spread over two rows of pixels at half its darkness each: level is
// therefore lighter than the threshold that makes text black and white,
// or the rule comes out dashed.
func Rules(g *image.Gray, level uint8, minLen int) []Rule {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	ink := func(x, y int) bool { return g.Pix[y*g.Stride+x] < level }
	hs := mergeRules(runs(h, w, minLen, func(y, x int) bool { return ink(x, y) }), false)
	if len(hs) < 2 {
		return nil
	}
	top, bottom := hs[0].Pos, hs[len(hs)-1].Pos
	var vs []Rule
	for _, r := range mergeRules(runs(w, h, minLen/4, func(x, y int) bool { return y >= top-4 && y <= bottom+4 && ink(x, y) }), true) {
		if nearRule(hs, r.From, r.Pos) || nearRule(hs, r.To, r.Pos) || crosses(hs, r) {
			vs = append(vs, r)
		}
	}
	return append(hs, vs...)
}

// runs scans n lines of length m and returns the runs of ink at least
// minLen long; gaps of up to 4 pixels do not end a run.
func runs(n, m, minLen int, ink func(line, i int) bool) []Rule {
	const gap = 4
	var out []Rule
	for l := 0; l < n; l++ {
		start, last := -1, -1
		for i := 0; i <= m; i++ {
			if i < m && ink(l, i) {
				if start < 0 || i-last > gap {
					if start >= 0 && last-start+1 >= minLen {
						out = append(out, Rule{Pos: l, From: start, To: last})
					}
					start = i
				}
				last = i
			}
		}
		if start >= 0 && last-start+1 >= minLen {
			out = append(out, Rule{Pos: l, From: start, To: last})
		}
	}
	return out
}

// mergeRules joins the runs of adjacent lines (a rule is 2–4 pixels
// thick) into one rule at their middle.
func mergeRules(rs []Rule, vertical bool) []Rule {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Pos != rs[j].Pos {
			return rs[i].Pos < rs[j].Pos
		}
		return rs[i].From < rs[j].From
	})
	var out []Rule
	var first []int // first Pos of each merged rule
	for _, r := range rs {
		merged := false
		for k := len(out) - 1; k >= 0 && r.Pos-out[k].Pos <= 6; k-- {
			o := &out[k]
			if r.From <= o.To && r.To >= o.From {
				o.From, o.To = min(o.From, r.From), max(o.To, r.To)
				o.Pos = (first[k] + r.Pos) / 2
				o.Width = r.Pos - first[k] + 1
				merged = true
				break
			}
		}
		if !merged {
			r.Vertical, r.Width = vertical, 1
			out = append(out, r)
			first = append(first, r.Pos)
		}
	}
	return out
}

func nearRule(hs []Rule, y, x int) bool {
	for _, h := range hs {
		if abs(h.Pos-y) <= 8 && x >= h.From-8 && x <= h.To+8 {
			return true
		}
	}
	return false
}

// crosses: some horizontal rule passes through the vertical run v.
func crosses(hs []Rule, v Rule) bool {
	for _, h := range hs {
		if h.Pos > v.From && h.Pos < v.To && v.Pos >= h.From && v.Pos <= h.To {
			return true
		}
	}
	return false
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// Erase whitens the rules' pixels and margin pixels either side, so
// recognition sees the cells' text without the lines between them (which
// it would read as 丨, l, 1 or a quotation mark).
func Erase(g *image.Gray, rules []Rule, margin int) {
	b := g.Bounds()
	for _, r := range rules {
		thick := r.Width/2 + margin
		for p := r.Pos - thick; p <= r.Pos+thick; p++ {
			for i := r.From; i <= r.To; i++ {
				x, y := i, p
				if r.Vertical {
					x, y = p, i
				}
				if x >= 0 && y >= 0 && x < b.Dx() && y < b.Dy() {
					g.Pix[y*g.Stride+x] = 255
				}
			}
		}
	}
}
