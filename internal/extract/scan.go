package extract

import (
	"regexp"
	"strings"
)

// findIn runs re over only the lines of text that contain one of keys, and
// returns the submatch indexes of up to n matches (n < 0: all) in text's
// offsets. Go's regexp has no literal prefilter for alternations; most lines
// hold none of a pattern's key words, so this keeps extraction linear and
// fast (a report is read in well under a millisecond per pattern).
func findIn(re *regexp.Regexp, text string, keys []string, n int) [][]int {
	return scanLines(re, text, func(line string) bool { return hasAny(line, keys) }, n)
}

func scanLines(re *regexp.Regexp, text string, keep func(string) bool, n int) [][]int {
	var out [][]int
	start := 0
	for start < len(text) && (n < 0 || len(out) < n) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		if keep(line) {
			for _, m := range re.FindAllStringSubmatchIndex(line, n-len(out)) {
				for i := range m {
					if m[i] >= 0 {
						m[i] += start
					}
				}
				out = append(out, m)
			}
		}
		start = end + 1
	}
	return out
}

// findFirst is findIn for the first match; nil when none.
func findFirst(re *regexp.Regexp, text string, keys ...string) []int {
	if ms := findIn(re, text, keys, 1); len(ms) > 0 {
		return ms[0]
	}
	return nil
}

func hasAny(s string, keys []string) bool {
	for _, k := range keys {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}
