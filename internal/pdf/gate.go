package pdf

import (
	"fmt"
	"unicode"
)

// quality counts what kind of characters an engine produced. Garbage from a
// font without a usable Unicode mapping is glyph numbers read as code
// points: Latin Extended, IPA, Arabic, private use, U+FFFD — not the CJK,
// ASCII and CJK punctuation a Chinese report is made of.
type quality struct {
	letters   int // non-space characters
	plausible int // characters a Chinese report plausibly contains
	cjk       int
	broken    int // U+FFFD, private use, raw control bytes
}

func gate(pages []string) quality {
	var q quality
	for _, p := range pages {
		for _, r := range p {
			if unicode.IsSpace(r) {
				continue
			}
			q.letters++
			switch {
			case r == unicode.ReplacementChar, unicode.Is(unicode.Co, r), unicode.IsControl(r):
				q.broken++
			case unicode.Is(unicode.Han, r):
				q.cjk++
				q.plausible++
			case isPlausible(r):
				q.plausible++
			}
		}
	}
	return q
}

func isPlausible(r rune) bool {
	switch {
	case r < 0x7F, // ASCII
		r >= 0x00A0 && r <= 0x00FF, // Latin-1: ° ± × ÷ ·
		r >= 0x2000 && r <= 0x27BF, // punctuation, ‰ ℃ №, arrows, ≥ ≤, ①, box drawing, ■ ★ √
		r >= 0x3000 && r <= 0x303F, // CJK punctuation 、。《》【】
		r >= 0xFF00 && r <= 0xFFEF, // full-width forms ，：（）％
		r >= 0x3200 && r <= 0x33FF, // enclosed CJK, ㎡
		r >= 0x0391 && r <= 0x03C9, // Greek
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		// Scripts of the autonomous regions, for bilingual titles: Uyghur and
		// Kazakh (Arabic with presentation forms), Tibetan, Mongolian, Yi.
		// Garbage from glyph numbers covers U+0000–U+1DFF evenly, so these
		// blocks add a few per cent to its score, far from the thresholds.
		r >= 0x0600 && r <= 0x06FF, r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF,
		r >= 0x0F00 && r <= 0x0FFF, r >= 0x1800 && r <= 0x18AF, r >= 0xA000 && r <= 0xA4CF:
		return true
	}
	return false
}

func (q quality) ratio() float64 {
	if q.letters == 0 {
		return 0
	}
	return float64(q.plausible) / float64(q.letters)
}

// fastOK: the fast engine's text is only taken when nothing in it looks
// wrong; otherwise pdfium reads the file again.
func (q quality) fastOK() bool {
	return q.letters > 0 && q.broken == 0 && q.ratio() >= 0.98
}

// pdfiumOK: pdfium's text is the last resort; it is refused only when it is
// mostly garbage.
func (q quality) pdfiumOK() bool {
	return q.ratio() >= 0.9 && q.broken*100 <= q.letters
}

// strictOK is for files whose fonts say no Unicode mapping exists: text is
// only believed if it is overwhelmingly Chinese and clean.
func (q quality) strictOK() bool {
	return q.broken == 0 && q.ratio() >= 0.98 && q.cjk*2 >= q.letters
}

func (q quality) String() string {
	return fmt.Sprintf("%d of %d characters look like text", q.plausible, q.letters)
}
