package passage

import "slices"

// hashBase is the base of the rolling window hash.
const hashBase = 1000003

// hashes returns the Rabin–Karp hash of every k-rune window of rs, by start.
func hashes(rs []rune, k int) []uint64 {
	if len(rs) < k {
		return nil
	}
	var pow uint64 = 1 // hashBase^(k-1), what leaves the window
	for i := 0; i < k-1; i++ {
		pow *= hashBase
	}
	out := make([]uint64, 0, len(rs)-k+1)
	var h uint64
	for i, r := range rs {
		if i >= k {
			h -= uint64(rs[i-k]) * pow
		}
		h = h*hashBase + uint64(r)
		if i >= k-1 {
			out = append(out, h)
		}
	}
	return out
}

// Index answers whether a window of MinRunes runes of one text occurs in
// another: the window's rolling hash finds candidates in an open-addressing
// table (built in one pass, no sorting), a comparison confirms them.
type Index struct {
	runes  []rune
	hashes []uint64 // of the window at each start
	slots  []int32  // window start + 1 by hash; 0 is empty; len a power of two
	shift  uint     // 64 - log2(len(slots))
}

// NewIndex indexes the windows of a compact text's runes.
func NewIndex(t *Text) *Index {
	idx := &Index{runes: t.Runes, hashes: hashes(t.Runes, MinRunes)}
	bits := uint(1)
	for 1<<bits < 2*len(idx.hashes) {
		bits++
	}
	idx.slots, idx.shift = make([]int32, 1<<bits), 64-bits
	mask := len(idx.slots) - 1
	for pos, h := range idx.hashes {
		i := idx.slot(h)
		for idx.slots[i] != 0 {
			i = (i + 1) & mask
		}
		idx.slots[i] = int32(pos + 1)
	}
	return idx
}

// Windows is the number of windows of the text, one per start.
func (idx *Index) Windows() int { return len(idx.hashes) }

// Shares reports whether the window of idx's text at pos stands in other's.
func (idx *Index) Shares(pos int, other *Index) bool {
	return other.has(idx.hashes[pos], idx.runes[pos:pos+MinRunes])
}

// slot is where the table's probe for h starts (Fibonacci hashing: the
// rolling hash's high bits, well mixed).
func (idx *Index) slot(h uint64) int { return int((h * 0x9E3779B97F4A7C15) >> idx.shift) }

// has reports whether the window w with hash h occurs in the text.
func (idx *Index) has(h uint64, w []rune) bool {
	mask := len(idx.slots) - 1
	for i := idx.slot(h); idx.slots[i] != 0; i = (i + 1) & mask {
		pos := int(idx.slots[i] - 1)
		if idx.hashes[pos] == h && slices.Equal(idx.runes[pos:pos+MinRunes], w) {
			return true
		}
	}
	return false
}
