package pdf

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// cleanPages tidies each page's text without changing its meaning:
// full-width digits and the compatibility forms some producers put in
// ToUnicode maps (Kangxi radicals such as U+2F08 for 人, CJK compatibility
// ideographs) become the ordinary characters, so figures and words compare
// equal to their text twins. Other full-width punctuation (，：％) is kept as
// the text input has it; the normaliser decides about it. Trailing spaces and
// control characters other than "\n" are dropped.
func cleanPages(pages []string) []string {
	out := make([]string, len(pages))
	for i, p := range pages {
		out[i] = cleanPage(p)
	}
	return out
}

func cleanPage(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == 0xFFFE || r == 0xFFFF || r == 0xFEFF:
		case unicode.IsControl(r):
		case needsNFKC(r):
			b.WriteString(norm.NFKC.String(string(r)))
		default:
			b.WriteRune(r)
		}
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\u3000")
	}
	return strings.Join(lines, "\n")
}

func needsNFKC(r rune) bool {
	switch {
	case r >= '０' && r <= '９':
		return true
	case r >= 0x2E80 && r <= 0x2FDF: // CJK radicals supplement, Kangxi radicals
		return true
	case r >= 0xF900 && r <= 0xFAFF, r >= 0x2F800 && r <= 0x2FA1F: // compatibility ideographs
		return true
	}
	return false
}
