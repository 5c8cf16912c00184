package raster

import (
	"image"
	"sort"
)

// Grid is a ruled table: the rules' positions cut it into atomic cells
// (row i between Ys[i] and Ys[i+1], column j between Xs[j] and Xs[j+1]);
// Owner says which atomic cell a merged cell's text belongs to (its first
// row and column), so a table reaches the model the way a Word table does.
type Grid struct {
	Xs, Ys []int
	Owner  [][]image.Point // Owner[i][j] = (column, row) of the merged cell's first atomic cell
}

// Bounds is the table's rectangle.
func (t *Grid) Bounds() image.Rectangle {
	return image.Rect(t.Xs[0], t.Ys[0], t.Xs[len(t.Xs)-1], t.Ys[len(t.Ys)-1])
}

// Cell returns the atomic cell holding p, or false.
func (t *Grid) Cell(p image.Point) (row, col int, ok bool) {
	col = sort.SearchInts(t.Xs, p.X+1) - 1
	row = sort.SearchInts(t.Ys, p.Y+1) - 1
	if col < 0 || row < 0 || col >= len(t.Xs)-1 || row >= len(t.Ys)-1 {
		return 0, 0, false
	}
	return row, col, true
}

// Grids builds the tables of a page from its rules: horizontal rules whose
// spans overlap and that vertical rules join form one table; two atomic
// cells are one merged cell where the rule between them is missing: less
// than half of the border is covered by a found rule, by runs of ink along
// it too short to be found as rules (a rule cut by a seal's ring), or by
// red ink (a rule under a seal is hidden, not missing; red may be nil).
// Text beside a border is not counted: its strokes do not run along the
// border's line for more than a few pixels.
// ink covered it, as marked in red, it counts as present).
func Grids(g, red *image.Gray, level uint8, rules []Rule) []*Grid {
	var hs, vs []Rule
	for _, r := range rules {
		if r.Vertical {
			vs = append(vs, r)
		} else {
			hs = append(hs, r)
		}
	}
	var out []*Grid
	for _, band := range bands(hs, vs) {
		t := &Grid{Ys: cluster(band.ys), Xs: cluster(band.xs)}
		if len(t.Xs) < 2 || len(t.Ys) < 2 {
			continue
		}
		t.merge(g, level, rules, red)
		out = append(out, t)
	}
	return out
}

type band struct{ ys, xs []int }

// bands groups rules into tables: the rules that cross one another,
// directly or through others, are one table. A seal or a smudge that
// breaks a rule in two leaves both halves crossing the same vertical
// rules, so the table stays whole.
func bands(hs, vs []Rule) []band {
	sets := newSets(len(hs) + len(vs))
	const slack = 8
	for i, h := range hs {
		for j, v := range vs {
			if v.Pos >= h.From-slack && v.Pos <= h.To+slack && h.Pos >= v.From-slack && h.Pos <= v.To+slack {
				sets.union(i, len(hs)+j)
			}
		}
	}
	groups := map[int]*band{}
	var order []int
	for i := range len(hs) + len(vs) {
		r := sets.find(i)
		b, ok := groups[r]
		if !ok {
			b = &band{}
			groups[r] = b
			order = append(order, r)
		}
		if i < len(hs) {
			b.ys = append(b.ys, hs[i].Pos)
		} else {
			b.xs = append(b.xs, vs[i-len(hs)].Pos)
		}
	}
	var out []band
	for _, r := range order {
		if b := groups[r]; len(b.ys) >= 2 && len(b.xs) >= 2 {
			out = append(out, *b)
		}
	}
	return out
}

// cluster sorts positions and merges those within 10 pixels (one rule
// seen twice, or slightly bent) into their mean.
func cluster(ps []int) []int {
	sort.Ints(ps)
	var out []int
	for i := 0; i < len(ps); {
		j, sum := i, 0
		for j < len(ps) && ps[j]-ps[i] <= 10 {
			sum += ps[j]
			j++
		}
		out = append(out, sum/(j-i))
		i = j
	}
	return out
}

// merge finds the merged cells: neighbours joined where the rule between
// them is missing, each merged cell owned by its first row and column.
func (t *Grid) merge(g *image.Gray, level uint8, rules []Rule, red *image.Gray) {
	rows, cols := len(t.Ys)-1, len(t.Xs)-1
	sets := newSets(rows * cols)
	union, find := sets.union, sets.find
	const present = 0.5
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			pad := 4
			if j+1 < cols && border(g, level, rules, red, true, t.Xs[j+1], t.Ys[i]+pad, t.Ys[i+1]-pad) < present {
				union(i*cols+j, i*cols+j+1)
			}
			if i+1 < rows && border(g, level, rules, red, false, t.Ys[i+1], t.Xs[j]+pad, t.Xs[j+1]-pad) < present {
				union(i*cols+j, (i+1)*cols+j)
			}
		}
	}
	t.Owner = make([][]image.Point, rows)
	for i := range t.Owner {
		t.Owner[i] = make([]image.Point, cols)
		for j := range t.Owner[i] {
			r := find(i*cols + j)
			t.Owner[i][j] = image.Point{X: r % cols, Y: r / cols}
		}
	}
}

// border is the share (0–1) of the border at pos (x of a vertical one, y
// of a horizontal one) from from to to that a rule of that direction
// covers, or red ink does.
func border(g *image.Gray, level uint8, rules []Rule, red *image.Gray, vertical bool, pos, from, to int) float64 {
	if to <= from {
		return 0
	}
	covered := make([]bool, to-from)
	lineRuns(g, level, vertical, pos, from, covered)
	for _, r := range rules {
		if r.Vertical != vertical || abs(r.Pos-pos) > 6 {
			continue
		}
		for i := max(r.From, from); i < min(r.To+1, to); i++ {
			covered[i-from] = true
		}
	}
	n := 0
	for i, c := range covered {
		if !c && red != nil && redNear(red, vertical, pos, from+i) {
			c = true
		}
		if c {
			n++
		}
	}
	return float64(n) / float64(len(covered))
}

func redNear(red *image.Gray, vertical bool, pos, at int) bool {
	b := red.Bounds()
	for d := -3; d <= 3; d++ {
		x, y := at, pos+d
		if vertical {
			x, y = pos+d, at
		}
		if x >= 0 && y >= 0 && x < b.Dx() && y < b.Dy() && red.Pix[y*red.Stride+x] != 0 {
			return true
		}
	}
	return false
}

// shortRun is the shortest run of ink along a border that counts as a piece
// of rule: longer than a stroke of text crossing the line, shorter than
// the piece of a rule a seal's ring leaves between it and a cell corner.
const shortRun = 12

// lineRuns marks in covered the runs of at least shortRun pixels that are
// ink along the border's line (within a pixel of it).
func lineRuns(g *image.Gray, level uint8, vertical bool, pos, from int, covered []bool) {
	b := g.Bounds()
	ink := func(at int) bool {
		for d := -1; d <= 1; d++ {
			x, y := at, pos+d
			if vertical {
				x, y = pos+d, at
			}
			if x >= 0 && y >= 0 && x < b.Dx() && y < b.Dy() && g.Pix[y*g.Stride+x] < level {
				return true
			}
		}
		return false
	}
	start := -1
	for i := 0; i <= len(covered); i++ {
		if i < len(covered) && ink(from+i) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= shortRun {
			for k := start; k < i; k++ {
				covered[k] = true
			}
		}
		start = -1
	}
}

// sets is a union-find over 0..n-1 whose every set is named by its
// smallest member: for atomic cells numbered row by row, a merged cell's
// first row and column.
type sets []int

func newSets(n int) sets {
	s := make(sets, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func (s sets) find(i int) int {
	for s[i] != i {
		s[i] = s[s[i]]
		i = s[i]
	}
	return i
}

func (s sets) union(a, b int) {
	ra, rb := s.find(a), s.find(b)
	if ra > rb {
		ra, rb = rb, ra
	}
	s[rb] = ra
}
