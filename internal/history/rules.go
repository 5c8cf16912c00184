package history

import (
	"container/list"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/passage"
	"github.com/jixiao/jixiao/pipeline"
)

// Rule identifiers of the cross-year checks (extract-v1.md).
const (
	RuleCopiedPassage    = "history.copied_passage"
	RuleRecurringProblem = "history.recurring_problem"
	// Prefix is what every cross-year rule identifier starts with.
	Prefix = "history."
)

// The figures the cross-year findings name.
func init() {
	pipeline.DeclareValues(RuleCopiedPassage, map[string]pipeline.ValueKind{"chars": pipeline.ValueCount,
		"earlier_year": pipeline.ValueYear, "earlier_report_id": pipeline.ValueID, "earlier_name": pipeline.ValueText})
	pipeline.DeclareValues(RuleRecurringProblem, map[string]pipeline.ValueKind{"earlier_year": pipeline.ValueYear,
		"earlier_report_id": pipeline.ValueID, "earlier_problem": pipeline.ValueText, "similarity": pipeline.ValueRatio})
}

// Evaluate runs the cross-year rules on ext against earlier, the same
// organisation's stored reports of earlier years, newest first (what
// pipeline.Store.EarlierReports returns; the store decides which names are
// one body, 自治区卫生健康委员会 being 新疆维吾尔自治区卫生健康委员会).
// Reports of ext's own or later years in earlier are ignored. It never
// returns nil.
func Evaluate(ext *pipeline.Extraction, earlier []*pipeline.StoredReport) []pipeline.Finding {
	out := []pipeline.Finding{}
	r := &ext.Report
	if r.Organization == "" || r.Year == 0 {
		return out
	}
	var prior []*pipeline.StoredReport
	for _, e := range earlier {
		er := e.Extraction.Report
		if er.Year > 0 && er.Year < r.Year {
			prior = append(prior, e)
		}
	}
	sort.SliceStable(prior, func(i, j int) bool {
		return prior[i].Extraction.Report.Year > prior[j].Extraction.Report.Year
	})
	out = append(out, copiedPassages(ext, prior)...)
	out = append(out, recurringProblems(ext, prior)...)
	return out
}

// recurringProblems compares each stated problem with those of the newest
// earlier report of the same organisation and project.
func recurringProblems(ext *pipeline.Extraction, prior []*pipeline.StoredReport) []pipeline.Finding {
	r := &ext.Report
	var prev *pipeline.StoredReport
	for _, e := range prior {
		if e.Extraction.Report.Project == r.Project {
			prev = e
			break
		}
	}
	if prev == nil {
		return nil
	}
	pr := prev.Extraction.Report
	// Segmenting is the cost of a comparison: each problem once.
	earlierToks := make([]map[string]struct{}, len(pr.Problems))
	for i, q := range pr.Problems {
		earlierToks[i] = tokenSet(q)
	}
	var out []pipeline.Finding
	for _, p := range r.Problems {
		toks := tokenSet(p)
		best, bestSim := "", 0.0
		for i, q := range pr.Problems {
			if s := dice(toks, earlierToks[i]); s > bestSim {
				best, bestSim = q, s
			}
		}
		if bestSim < SameProblem {
			continue
		}
		msg := fmt.Sprintf("%d年报告所述问题“%s”与%d年报告所述问题“%s”基本相同（相似度%.0f%%），问题未见整改",
			r.Year, clip(p, 40), pr.Year, clip(best, 40), bestSim*100)
		if strings.TrimSpace(p) == strings.TrimSpace(best) {
			msg = fmt.Sprintf("%d年报告所述问题“%s”与%d年报告的表述完全相同，问题未见整改", r.Year, clip(p, 40), pr.Year)
		}
		out = append(out, pipeline.Finding{
			Rule:     RuleRecurringProblem,
			Severity: pipeline.SeverityWarning,
			Message:  msg,
			Values: pipeline.Values{
				"earlier_year":      pipeline.YearValue(pr.Year),
				"earlier_report_id": pipeline.IDValue(prev.ID),
				"earlier_problem":   pipeline.TextValue(best),
				"similarity":        pipeline.RatioValue(round2(bestSim)),
			},
			Evidence: evidenceOf(ext, p),
		})
	}
	return out
}

// copiedPassages finds the stretches of at least passage.MinRunes characters
// (whitespace ignored) that also stand in an earlier year's report, each
// attributed to the newest earlier report that has it.
func copiedPassages(ext *pipeline.Extraction, prior []*pipeline.StoredReport) []pipeline.Finding {
	if len(prior) == 0 {
		return nil
	}
	// The report's own index is cached too: it is an earlier year of the
	// reports that come after it.
	curIdx := indexOf(ext.Text)
	if curIdx.Windows() == 0 {
		return nil
	}
	// source[i] is the earlier report whose text holds the window at i.
	source := make([]*pipeline.StoredReport, curIdx.Windows())
	found := false
	for _, e := range prior {
		if markShared(curIdx, indexOf(e.Text), source, e) {
			found = true
		}
	}
	if !found {
		return nil
	}
	cur := passage.Compact(ext.Text)
	var out []pipeline.Finding
	for i := 0; i < len(source); {
		if source[i] == nil {
			i++
			continue
		}
		j := i
		for j+1 < len(source) && source[j+1] != nil {
			j++
		}
		start, end := i, j+passage.MinRunes // rune range in the compact text
		for _, piece := range bySection(ext, cur, start, end) {
			if f, ok := copiedFinding(ext, cur, piece[0], piece[1], source[i]); ok {
				out = append(out, f)
			}
		}
		i = j + 1
	}
	return out
}

// markShared sets source[i] to e for every window of cur, not yet
// attributed, that also stands in other, and reports whether it set any.
func markShared(cur, other *passage.Index, source []*pipeline.StoredReport, e *pipeline.StoredReport) bool {
	marked := false
	for pos := range source {
		if source[pos] == nil && cur.Shares(pos, other) {
			source[pos], marked = e, true
		}
	}
	return marked
}

// copiedFinding words the passage of runes [start, end) of the compact
// text, copied from an earlier report: cut to whole sentences (a passage
// found by its windows may open at the end of one sentence and close in
// the middle of another), and left out when what remains is shorter than
// passage.MinRunes or stands in a section of boilerplate.
func copiedFinding(ext *pipeline.Extraction, cur *passage.Text, start, end int, from *pipeline.StoredReport) (pipeline.Finding, bool) {
	start, end = sentences(ext.Text, cur, start, end)
	if end-start < passage.MinRunes {
		return pipeline.Finding{}, false
	}
	byteStart := cur.Starts[start]
	byteEnd := len(ext.Text)
	if end < len(cur.Starts) {
		byteEnd = cur.Starts[end]
	}
	if boilerplate(ext, byteStart) {
		return pipeline.Finding{}, false
	}
	fr := from.Extraction.Report
	ev := evidenceAt(ext, byteStart, sentenceQuote(ext.Text[byteStart:byteEnd]))
	return pipeline.Finding{
		Rule:     RuleCopiedPassage,
		Severity: pipeline.SeverityInfo,
		Message: fmt.Sprintf("有%d字的段落与本单位%d年报告（%s）完全相同：“%s”",
			end-start, fr.Year, from.Document.Name, clip(string(cur.Orig[start:end]), 30)),
		Values: pipeline.Values{
			"chars":             pipeline.CountValue(end - start),
			"earlier_year":      pipeline.YearValue(fr.Year),
			"earlier_report_id": pipeline.IDValue(from.ID),
			"earlier_name":      pipeline.TextValue(from.Document.Name),
		},
		Evidence: []pipeline.Evidence{ev},
	}, true
}

// bySection cuts runes [start, end) of the compact text where a section
// begins, and leaves each section's heading line out: a passage copied
// across headings is a passage per section, each judged on its own, and
// none is quoted by its heading.
func bySection(ext *pipeline.Extraction, cur *passage.Text, start, end int) [][2]int {
	at := cur.At
	var pieces [][2]int
	for _, sec := range ext.Report.Sections {
		i, body := at(sec.Offset), min(end, at(lineEnd(ext.Text, sec.Offset)))
		switch {
		case i <= start:
			start = max(start, body) // the passage opens inside a heading
		case i < end:
			pieces = append(pieces, [2]int{start, i})
			start = body
		}
	}
	return append(pieces, [2]int{start, end})
}

// lineEnd is the offset of the line break ending the line at offset.
func lineEnd(text string, offset int) int {
	if i := strings.IndexByte(text[offset:], '\n'); i >= 0 {
		return offset + i
	}
	return len(text)
}

// sentenceEnds close a sentence (or a clause that stands as one).
const sentenceEnds = "。！？；!?;"

// sentences narrows runes [start, end) of the compact text to the whole
// sentences in it: it opens at the start of a line or after a sentence's
// end, and closes at a sentence's end or the end of a line.
func sentences(text string, cur *passage.Text, start, end int) (int, int) {
	opens := func(i int) bool {
		return i == 0 || strings.ContainsRune(sentenceEnds, cur.Runes[i-1]) ||
			strings.Contains(text[cur.Starts[i-1]:cur.Starts[i]], "\n")
	}
	closes := func(i int) bool { // after rune i-1
		return i == len(cur.Runes) || strings.ContainsRune(sentenceEnds, cur.Runes[i-1]) ||
			strings.Contains(text[cur.Starts[i-1]:cur.Starts[i]], "\n")
	}
	for start < end && !opens(start) {
		start++
	}
	for end > start && !closes(end) {
		end--
	}
	return start, end
}

// sentenceQuote is the evidence of a passage: its whole sentences from the
// start, as many as fit in a quote of 80 characters on its first line (the
// first sentence cut at 80 when longer).
func sentenceQuote(passage string) string {
	q := quoteAt(passage)
	if q == strings.TrimSpace(passage) || !strings.ContainsAny(q, sentenceEnds) {
		return q
	}
	last := strings.LastIndexAny(q, sentenceEnds)
	_, size := utf8.DecodeRuneInString(q[last:])
	return q[:last+size]
}

// boilerplateHeadings are the words of headings whose text every body
// writes alike, year after year and one like another: what a body is for
// and how the evaluation was done. A passage copied there is no finding.
var boilerplateHeadings = []string{"职能", "职责", "机构设置", "内设机构", "人员编制", "人员情况",
	"评价依据", "评价方法", "评价原则", "评价标准", "评价目的", "评价对象", "评价范围", "评价工作", "绩效评价工作开展"}

// boilerplate tells whether the text at offset stands under a heading of
// boilerplate (the nearest heading before it).
func boilerplate(ext *pipeline.Extraction, offset int) bool {
	title := ""
	for _, sec := range ext.Report.Sections {
		if sec.Offset <= offset {
			title = sec.Title
		}
	}
	for _, w := range boilerplateHeadings {
		if strings.Contains(title, w) {
			return true
		}
	}
	return false
}

// indexCache keeps the window index of recently compared texts: in a batch
// every report is compared with each later year of its organisation, and
// building the index is most of the comparison's cost. Bounded by the bytes
// of its texts; the least recently used goes first, so the reports of the
// organisations a batch is on stay while older ones make room.
var indexCache = struct {
	sync.Mutex
	m     map[string]*list.Element // of *cachedIndex
	lru   list.List                // front: most recently used
	bytes int
}{m: map[string]*list.Element{}}

type cachedIndex struct {
	text string
	idx  *passage.Index
}

// indexCacheBytes bounds the texts the cache holds; an index takes some
// eight times its text, so about 8 MB: a hundred-odd reports, or fewer
// large ones.
const indexCacheBytes = 1 << 20

func indexOf(text string) *passage.Index {
	indexCache.Lock()
	if el, ok := indexCache.m[text]; ok {
		indexCache.lru.MoveToFront(el)
		indexCache.Unlock()
		return el.Value.(*cachedIndex).idx
	}
	indexCache.Unlock()
	idx := passage.NewIndex(passage.Compact(text))
	indexCache.Lock()
	defer indexCache.Unlock()
	if _, ok := indexCache.m[text]; ok || len(text) > indexCacheBytes {
		return idx
	}
	for indexCache.bytes+len(text) > indexCacheBytes {
		old := indexCache.lru.Remove(indexCache.lru.Back()).(*cachedIndex)
		delete(indexCache.m, old.text)
		indexCache.bytes -= len(old.text)
	}
	indexCache.m[text] = indexCache.lru.PushFront(&cachedIndex{text: text, idx: idx})
	indexCache.bytes += len(text)
	return idx
}

// quoteAt cuts a passage to a quote: its first line, at most 80 characters.
func quoteAt(s string) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if utf8.RuneCountInString(s) > 80 {
		s = string([]rune(s)[:80])
	}
	return s
}

// evidenceOf is the evidence of a problem sentence: its first line as it
// stands in the text, or the problems' own evidence when the sentence is not
// found verbatim.
func evidenceOf(ext *pipeline.Extraction, sentence string) []pipeline.Evidence {
	q := quoteAt(sentence)
	if i := strings.Index(ext.Text, q); i >= 0 && q != "" {
		return []pipeline.Evidence{evidenceAt(ext, i, q)}
	}
	if e, ok := ext.Report.Evidence["problems"]; ok {
		return []pipeline.Evidence{e}
	}
	return []pipeline.Evidence{}
}

// evidenceAt places a quote at a byte offset of the normalised text, at
// the source line and page the extraction's position map gives. A report
// stored before stores kept the map has none: its evidence says no line
// rather than one counted in the normalised text, which differs from the
// source's wherever wrapped lines were joined.
func evidenceAt(ext *pipeline.Extraction, offset int, quote string) pipeline.Evidence {
	ev := pipeline.Evidence{Quote: quote, Offset: offset}
	ev.Line, ev.Page, _ = ext.Where(offset)
	return ev
}

func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
