package passage

import (
	"slices"
	"sort"
)

// repeatRun is one maximal pair of identical compact Spans.
type repeatRun struct{ a, b Span }

// Repeats finds every passage of at least k runes that occurs more than
// once in t and returns, per passage, its places in text order. Runs of the
// same pair of places apart by at most maxGap differing runes on both sides
// join into one passage (a copy whose year or one word was changed). It
// hashes every k-rune window (Rabin–Karp), links each window to the
// previous non-overlapping occurrence of the same content, and extends the
// links along diagonals into maximal runs, so the work is linear in the
// text.
func Repeats(t *Text, k, maxGap int) [][]Span {
	runs := mergeNearRuns(windowRuns(t.Runes, k), maxGap)
	if len(runs) == 0 {
		return nil
	}
	return groupPlaces(runs)
}

// windowRuns returns maximal runs of consecutive matching k-windows.
func windowRuns(rs []rune, k int) []repeatRun {
	if len(rs) < 2*k {
		return nil
	}
	hs := hashes(rs, k)
	last := make(map[uint64]int, len(hs))
	match := make([]int, len(hs)) // earlier window with the same content, -1 when none
	for i, h := range hs {
		match[i] = -1
		if j, ok := last[h]; ok && i-j >= k && slices.Equal(rs[i:i+k], rs[j:j+k]) {
			match[i] = j
		}
		last[h] = i
	}
	var runs []repeatRun
	for i := 0; i < len(match); i++ {
		if match[i] < 0 {
			continue
		}
		i0, j0 := i, match[i]
		for i+1 < len(match) && match[i+1] == match[i]+1 {
			i++
		}
		a, b := Span{j0, match[i] + k}, Span{i0, i + k}
		if a.End > b.Start {
			// A passage pasted twice back to back, where the repeat runs
			// on into its own copy: keep one period on each side.
			period := b.Start - a.Start
			a.End, b.End = b.Start, b.Start+period
		}
		runs = append(runs, repeatRun{a: a, b: b})
	}
	return runs
}

// mergeNearRuns joins runs of the same pair of places that are separated by
// a few differing characters on both sides (a changed year or word).
func mergeNearRuns(runs []repeatRun, maxGap int) []repeatRun {
	sort.Slice(runs, func(x, y int) bool {
		dx, dy := runs[x].b.Start-runs[x].a.Start, runs[y].b.Start-runs[y].a.Start
		if dx != dy {
			return dx < dy
		}
		return runs[x].b.Start < runs[y].b.Start
	})
	var out []repeatRun
	for _, r := range runs {
		if n := len(out); n > 0 {
			p := &out[n-1]
			gap := r.b.Start - p.b.End
			sameDiagonal := r.b.Start-r.a.Start == p.b.Start-p.a.Start
			if sameDiagonal && gap >= 0 && gap <= maxGap {
				p.a.End, p.b.End = r.a.End, r.b.End
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// groupPlaces merges overlapping Spans into places and groups the places
// linked by runs, so a passage copied three times is one group of three.
func groupPlaces(runs []repeatRun) [][]Span {
	var all []Span
	for _, r := range runs {
		all = append(all, r.a, r.b)
	}
	sort.Slice(all, func(x, y int) bool { return all[x].Start < all[y].Start })
	var places []Span
	for _, s := range all {
		if n := len(places); n > 0 && s.Start < places[n-1].End {
			places[n-1].End = max(places[n-1].End, s.End)
			continue
		}
		places = append(places, s)
	}
	placeOf := func(s Span) int {
		return sort.Search(len(places), func(i int) bool { return places[i].End > s.Start })
	}
	parent := make([]int, len(places))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, r := range runs {
		pa, pb := find(placeOf(r.a)), find(placeOf(r.b))
		if pa != pb {
			parent[max(pa, pb)] = min(pa, pb)
		}
	}
	groups := map[int][]Span{}
	var roots []int
	for i, p := range places {
		root := find(i)
		if _, seen := groups[root]; !seen {
			roots = append(roots, root)
		}
		groups[root] = append(groups[root], p)
	}
	var out [][]Span
	for _, root := range roots {
		if len(groups[root]) > 1 {
			out = append(out, groups[root])
		}
	}
	return out
}
