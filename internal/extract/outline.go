package extract

import (
	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/vocab"
	"github.com/jixiao/jixiao/pipeline"
)

// para is one paragraph of the report (a prose, heading or list block),
// with its byte range.
type para struct {
	Start, End int
	Text       string
	marker     *document.Marker
}

// heading is a numbered heading or list item that opens a paragraph.
type heading struct {
	Level  int    // 1 一、/第一部分, 2 （一）, 3 1. 1、, 4 （1）
	Number string // the numeral as written: "一", "1"
	Value  int    // the numeral's value
	Title  string // the heading's text up to its first sentence end
	Para   int    // index of its paragraph
	Start  int    // byte offset of the marker
	Inline bool   // the paragraph runs on past the title (a run-in heading)
	part   bool   // 第一部分: the level above 一、
}

// sectionDepth is how deep the outline's sections go: 一、 and （一） — one
// level more in a report divided into 第一部分….
func sectionDepth(hs []heading) int {
	for _, h := range hs {
		if h.part {
			return 3
		}
	}
	return 2
}

// paras are the report's own paragraphs: every block but tables and site
// chrome, in text order.
func paras(doc *document.Doc) []para {
	var ps []para
	for i := range doc.Blocks {
		b := &doc.Blocks[i]
		if b.Kind == document.TableBlock || b.Kind == document.ChromeBlock {
			continue
		}
		ps = append(ps, para{Start: b.Start, End: b.End, Text: doc.Text[b.Start:b.End], marker: b.Marker})
	}
	return ps
}

// findHeadings returns the headings and list items of the paragraphs.
func findHeadings(ps []para) []heading {
	var hs []heading
	for i, p := range ps {
		if p.marker == nil {
			continue
		}
		h := headingOf(*p.marker)
		h.Para = i
		h.Start = p.Start
		hs = append(hs, h)
	}
	// A report divided into 第一部分… puts 一、 one level below them.
	parts := false
	for _, h := range hs {
		parts = parts || h.part
	}
	if parts {
		for i := range hs {
			if !hs[i].part {
				hs[i].Level++
			}
		}
	}
	return hs
}

func headingOf(m document.Marker) heading {
	return heading{Level: m.Level, Number: m.Number, Value: m.Value, Title: m.Title, Inline: m.Inline, part: m.Part}
}

// parseHeading reads the heading a line opens with.
func parseHeading(t string) (heading, bool) {
	m, ok := document.ParseMarker(t)
	if !ok {
		return heading{}, false
	}
	return headingOf(m), true
}

// Canonical names the template section a heading title stands for, "" if none.
// The class whose word stands first in the title names it (存在问题及整改
// 情况 is about problems, 整改措施及建议 about suggestions); at one place,
// the class listed first in dictionaries/sections.txt.
func Canonical(title string) string {
	best, bestAt := "", len(title)+1
	for _, class := range vocab.SectionOrder {
		if at, _ := vocab.Sections.Index(class, title); at >= 0 && at < bestAt {
			best, bestAt = class, at
		}
	}
	return best
}

// sections turns level-1 and level-2 headings into the contract's outline.
func sections(doc *document.Doc, hs []heading) []pipeline.Section {
	out := []pipeline.Section{}
	depth := sectionDepth(hs)
	for _, h := range hs {
		if h.Level > depth {
			continue
		}
		line, page := doc.Line(h.Start)
		s := pipeline.Section{Number: h.Number, Value: h.Value, Level: h.Level, Title: h.Title, Line: line, Page: page, Offset: h.Start}
		if h.Level == 1 {
			s.Canonical = Canonical(h.Title)
		}
		out = append(out, s)
	}
	return out
}
