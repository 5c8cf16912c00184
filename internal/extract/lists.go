package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/vocab"
)

var (
	// problemLabelRe is an inline label that opens a list of problems.
	problemLabelRe = regexp.MustCompile(`((?:还|仍|也|但)?存在(?:的|以下|如下|一些|着)?(?:主要)?(?:问题|不足)(?:和不足|及不足|与不足)?(?:及(?:其)?原因(?:分析)?)?|主要问题|问题和不足|不足之处|存在不足)\s*(?:如下|主要有|有|是|主要是|表现在|主要表现在)?\s*[：:]`)
	// The headings of a topic are told by the words of its template section
	// (dictionaries/sections.txt).
	problemHeadRe = regexp.MustCompile(vocab.Sections.Pattern("problems"))
	// suggestionLabelRe opens a list of suggestions inline.
	suggestionLabelRe = regexp.MustCompile(`((?:有关|相关|改进|下一步|工作)?建议|改进措施|整改措施|下一步(?:工作)?(?:打算|计划|措施))\s*(?:如下|主要有|有)?\s*[：:]`)
	suggestionHeadRe  = regexp.MustCompile(vocab.Sections.Pattern("suggestions"))
	// stopHeadRe: a heading of another topic ends a list.
	stopHeadRe = regexp.MustCompile(vocab.Sections.Pattern("experience") + "|" + vocab.Sections.Pattern("suggestions") + "|" + vocab.Sections.Pattern("other"))
)

// region is a stretch of body text and where it is.
type region struct {
	Start, End int
}

// listItems splits a region into its numbered items (1、 （1） 一是 ①…);
// without markers each paragraph's first sentence is an item.
func listItems(text string, r region) []string {
	seg := text[r.Start:r.End]
	if items, ok := markedItems(seg); ok {
		return items
	}
	var items []string
	for _, p := range strings.Split(seg, "\n") {
		if it := cleanItem(p); it != "" && utf8.RuneCountInString(it) >= 6 {
			items = append(items, it)
		}
	}
	return items
}

// markedItems splits a stretch of text at its list markers (1、 （1） 一是
// ①…); false when it holds none.
func markedItems(seg string) ([]string, bool) {
	locs := document.ItemMarkers(seg)
	if len(locs) == 0 {
		return nil, false
	}
	var items []string
	for i, l := range locs {
		start := l[3]
		if mark := seg[l[2]:l[3]]; isDigitListMark(mark) {
			// "1、" must not be "1.5": the pattern reads the character
			// after the mark, which belongs to the item.
			start -= len(lastRuneStr(mark))
		}
		end := len(seg)
		if i+1 < len(locs) {
			end = locs[i+1][2]
		}
		if it := cleanItem(seg[start:end]); it != "" {
			items = append(items, it)
		}
	}
	return items, true
}

func isDigitListMark(m string) bool {
	return m != "" && m[0] >= '0' && m[0] <= '9'
}

func lastRuneStr(s string) string {
	_, w := utf8.DecodeLastRuneInString(s)
	return s[len(s)-w:]
}

// cleanItem trims an item to its statement: no marker residue, no trailing
// list glue.
func cleanItem(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "：:，,、。；; ")
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n"); i >= 0 {
		// an item ends where its paragraph ends unless the next line is its
		// continuation without a marker
		s = s[:i]
	}
	s = strings.TrimRight(s, "；;，, \n")
	return s
}

// listRegion finds the region of a list: an inline label (问题：…) or a
// heading whose title says so, up to the next heading of the same or a
// higher level or a heading of another topic.
func listRegion(text string, ps []para, hs []heading, label, head *regexp.Regexp, keys []string, bodyEnd int, exclude func(string) bool) (region, bool) {
	// Headings about the topic, the deepest first.
	best := -1
	depth := sectionDepth(hs)
	for i, h := range hs {
		if h.Level > depth || utf8.RuneCountInString(h.Title) > 24 || !head.MatchString(h.Title) || exclude(h.Title) {
			continue
		}
		if best < 0 || h.Level > hs[best].Level && topicTitle(h.Title, head) {
			best = i
		}
	}
	// An inline label inside the topic's heading, or anywhere.
	searchFrom := 0
	if best >= 0 {
		searchFrom = hs[best].Start
	}
	if loc := bestLabel(label, text[searchFrom:bodyEnd], keys); loc != nil {
		start := searchFrom + loc[1]
		return region{Start: start, End: regionEnd(text, ps, hs, start, 0, bodyEnd)}, true
	}
	if best < 0 {
		return region{}, false
	}
	h := hs[best]
	start := ps[h.Para].Start + strings.Index(ps[h.Para].Text, h.Title) + len(h.Title)
	if start < ps[h.Para].Start || start > ps[h.Para].End {
		start = ps[h.Para].End
	}
	return region{Start: start, End: regionEnd(text, ps, hs, start, h.Level, bodyEnd)}, true
}

// bestLabel is the first label that a list marker follows, else the first
// label.
func bestLabel(label *regexp.Regexp, s string, keys []string) []int {
	locs := findIn(label, s, keys, -1)
	for _, l := range locs {
		after := s[l[1]:min(len(s), l[1]+24)]
		if m := document.ItemMarkerAt(after); m != nil && m[0] <= 3 {
			return l
		}
	}
	if len(locs) > 0 {
		return locs[0]
	}
	return nil
}

// regionEnd: the next heading at level ≤ level (1 or 2 for an inline
// label), or one whose title opens another topic.
func regionEnd(text string, ps []para, hs []heading, start, level, bodyEnd int) int {
	depth := sectionDepth(hs)
	for _, h := range hs {
		if h.Start <= start {
			continue
		}
		if level > 0 && h.Level <= level || level == 0 && h.Level <= depth || stopHeadRe.MatchString(h.Title) && h.Level <= depth {
			return h.Start
		}
	}
	// A run-on paragraph that opens another topic ends it too.
	for _, p := range ps {
		if p.Start > start && p.Start < bodyEnd && strings.HasPrefix(strings.TrimSpace(p.Text), "对") && strings.Contains(firstChars(p.Text, 40), "建议") {
			return p.Start
		}
	}
	return bodyEnd
}

// topicTitle: a sub-heading that names the topic (（二）存在的不足, 问题及原因)
// rather than stating one item of it (（二）满意度调查覆盖面不足): the topic's
// word stands near its start, or ends a short title.
func topicTitle(title string, head *regexp.Regexp) bool {
	loc := head.FindStringIndex(title)
	if loc == nil {
		return false
	}
	return utf8.RuneCountInString(title[:loc[0]]) <= 3 || loc[1] == len(title) && utf8.RuneCountInString(title) <= 8
}
