package web

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

// span is one piece of evidence placed in the normalised text.
type span struct {
	start, end int    // byte offsets into the text
	anchor     string // element id a link jumps to
	finding    int    // 1-based finding number, 0 for a field's evidence
	severity   string
	label      string // shown on hover
}

// segment is a run of text covered by the same set of spans. The page
// prints the segments in order, a <mark> around each covered one.
type segment struct {
	Text     string
	Anchors  []string // ids of the spans that start here
	Class    string   // "" when no evidence covers the text
	Title    string
	Findings string // space-separated finding numbers, for links back
}

// evidenceAnchor is the element id of a finding's evidence in the text.
func evidenceAnchor(finding, evidence int) string {
	return "ev-" + strconv.Itoa(finding) + "-" + strconv.Itoa(evidence)
}

// fieldAnchor is the element id of a scalar field's evidence in the text.
func fieldAnchor(field string) string { return "field-" + field }

// segmentText cuts text at every span boundary. A segment covered by
// several spans takes the class of the most serious finding among them;
// field evidence alone is class "fld".
func segmentText(text string, spans []span) []segment {
	if len(spans) == 0 {
		return []segment{{Text: text}}
	}
	cuts := []int{0, len(text)}
	for _, s := range spans {
		cuts = append(cuts, s.start, s.end)
	}
	sort.Ints(cuts)
	cuts = slices.Compact(cuts)
	var out []segment
	for i := 0; i < len(cuts); i++ {
		a := cuts[i]
		var seg segment
		for _, s := range spans {
			if s.start == a {
				seg.Anchors = append(seg.Anchors, s.anchor)
			}
		}
		if i+1 == len(cuts) {
			if len(seg.Anchors) > 0 { // anchors of empty spans at the very end
				out = append(out, seg)
			}
			break
		}
		b := cuts[i+1]
		seg.Text = text[a:b]
		describeCover(&seg, spans, a, b)
		out = append(out, seg)
	}
	return mergePlain(out)
}

// describeCover sets the class, title and finding numbers of the segment
// [a,b) from the spans that cover it.
func describeCover(seg *segment, spans []span, a, b int) {
	rank := -1
	var titles, nums []string
	for _, s := range spans {
		if s.start > a || s.end < b {
			continue
		}
		titles = append(titles, s.label)
		if s.finding == 0 {
			if rank < 0 {
				rank = 0
			}
			continue
		}
		nums = append(nums, strconv.Itoa(s.finding))
		if r := pipeline.SeverityRank(s.severity); r > rank {
			rank = r
		}
	}
	switch {
	case rank < 0:
		return
	case rank == 0 && len(nums) == 0:
		seg.Class = "fld"
	default:
		seg.Class = "ev " + report.SeverityClass(rankSeverity(rank))
	}
	seg.Title = strings.Join(dedupe(titles), "；")
	seg.Findings = strings.Join(dedupe(nums), " ")
}

func rankSeverity(rank int) string {
	switch rank {
	case 3:
		return pipeline.SeverityError
	case 2:
		return pipeline.SeverityWarning
	case 1:
		return pipeline.SeverityInfo
	}
	return ""
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// mergePlain joins neighbouring uncovered segments without anchors, so the
// page does not carry one element per cut.
func mergePlain(segs []segment) []segment {
	var out []segment
	for _, s := range segs {
		if n := len(out); n > 0 && s.Class == "" && len(s.Anchors) == 0 && out[n-1].Class == "" {
			out[n-1].Text += s.Text
			continue
		}
		out = append(out, s)
	}
	return out
}
