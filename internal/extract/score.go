package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/vocab"
	"github.com/jixiao/jixiao/pipeline"
)

var (
	// scoreRe reads the total: 综合评价得分为94.86分, 自评得分 98.27 分,
	// 项目的得分90.58, 综合得分 90.58, 总分为…
	scoreRe = regexp.MustCompile(`(` + vocab.Cues.Pattern("score_label") + `)\s*(?:为|是|：|:)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分?`)
	// weakScoreRe is a looser reading for a report that names its total
	// only as 得分为X分.
	weakScoreRe = regexp.MustCompile(`得分\s*(?:为|是|：|:)\s*(\d{1,3}(?:\.\d{1,2})?)\s*分`)
	// gradeRe reads 评价等级为“优”, 自评结果为“优”, 等级为优秀, 评价等级：良,
	// 绩效自评为良好: a label, a verb (some labels take none), the grade.
	gradeRe = regexp.MustCompile(`(?:` + vocab.Cues.Pattern("grade_label") + `\s*` + vocab.Cues.Pattern("grade_verb") + `?|` +
		vocab.Cues.Pattern("grade_label_verb") + `\s*` + vocab.Cues.Pattern("grade_verb") + `)\s*[“"‘「『]?\s*(优秀|良好|中等|较差|优|良|中|差)`)
	gradeKeys = append(append([]string{}, vocab.Cues.Words("grade_label")...), vocab.Cues.Words("grade_label_verb")...)
)

var gradeWords = map[string]string{"优秀": "优", "良好": "良", "中等": "中", "较差": "差", "优": "优", "良": "良", "中": "中", "差": "差"}

// gradeTails complete a one-character grade wrapped onto the next line.
var gradeTails = map[string]string{"优": "秀", "良": "好", "中": "等", "差": ""}

// scoreAndGrade reads the stated total score and grade: from a sentence
// (自评得分98.27分，自评结果为“优”), a checkbox row (自评等级 ☑优 □良 □中 □差),
// or a label with its figure in the next line or cell (综合得分 ⏎ 97.42).
func scoreAndGrade(doc *document.Doc, body string, form *Table, ev map[string]pipeline.Evidence) (*pipeline.Decimal, string) {
	score := proseScore(doc, body, ev)
	grade := proseGrade(doc, body, ev)
	if score == nil || grade == "" {
		pairScore, pairGrade := labelPairs(doc, textUnits(doc, form), ev, score == nil, grade == "")
		if score == nil {
			score = pairScore
		}
		if grade == "" {
			grade = pairGrade
		}
	}
	return score, grade
}

func proseScore(doc *document.Doc, body string, ev map[string]pipeline.Evidence) *pipeline.Decimal {
	for _, m := range findIn(scoreRe, body, []string{"得分", "总分", "评分", "分数"}, -1) {
		if sectionNumberAfter(body, m[5]) {
			continue // 总分 4.部门整体…: a heading's number, not a score
		}
		if d, err := pipeline.ParseDecimal(body[m[4]:m[5]]); err == nil {
			ev["score"] = doc.Evidence(m[0], m[1])
			return &d
		}
	}
	if w := findFirst(weakScoreRe, body, "得分"); w != nil {
		if d, err := pipeline.ParseDecimal(body[w[2]:w[3]]); err == nil {
			ev["score"] = doc.Evidence(w[0], w[1])
			return &d
		}
	}
	return nil
}

// sectionNumberAfter: the figure ending at end is a heading's number (4.
// or 4、 followed by words).
func sectionNumberAfter(s string, end int) bool {
	r, w := utf8.DecodeRuneInString(s[end:])
	if r != '.' && r != '、' && r != '．' {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[end+w:])
	return !(next >= '0' && next <= '9')
}

func proseGrade(doc *document.Doc, body string, ev map[string]pipeline.Evidence) string {
	for _, g := range findIn(gradeRe, body, gradeKeys, -1) {
		word := body[g[2]:g[3]]
		end := g[3]
		if utf8.RuneCountInString(word) == 1 {
			next, w := utf8.DecodeRuneInString(body[end:])
			if tail := gradeTails[word]; tail != "" && string(next) == tail {
				end += w // 优秀 in full
			} else if next == '\n' {
				// 绩效自评为良 ⏎ 好。: a grade word cut by a line break
				if n2, _ := utf8.DecodeRuneInString(body[end+1:]); tail != "" && string(n2) == tail {
					end += 1
				}
			} else if isHanRune(next) && !strings.ContainsRune("的等级。", next) {
				continue // 优化, 中央, 良性: a word, not a grade
			}
		}
		ev["grade"] = doc.Evidence(g[0], end)
		return gradeWords[word]
	}
	for i := range doc.Blocks {
		b := &doc.Blocks[i]
		if b.Kind == document.TableBlock || b.Kind == document.ChromeBlock {
			continue
		}
		if g, at, end := Checkbox(doc.Text[b.Start:b.End]); g != "" {
			ev["grade"] = doc.Evidence(b.Start+at, b.Start+end)
			return g
		}
	}
	return ""
}

func isHanRune(r rune) bool { return r >= 0x3400 && r <= 0x9FFF }

// labelPairs reads a score or grade label standing alone, its figure in the
// next paragraph or table cell (综合得分 ⏎ 97.42; 自评等级 | 优秀 |).
func labelPairs(doc *document.Doc, units [][2]int, ev map[string]pipeline.Evidence, wantScore, wantGrade bool) (*pipeline.Decimal, string) {
	var score *pipeline.Decimal
	grade := ""
	for i := 0; i+1 < len(units); i++ {
		label := strings.TrimRight(foldLabel(doc.Text[units[i][0]:units[i][1]]), "为是")
		value := strings.TrimSpace(strings.Trim(doc.Text[units[i+1][0]:units[i+1][1]], "| "))
		switch {
		case wantScore && score == nil && vocab.Cues.Is("score_label", label):
			if d := decimalCell(value); d != nil && d.Cmp(pipeline.Decimal{Units: 100}) <= 0 {
				score = d
				ev["score"] = doc.Evidence(units[i][0], units[i+1][1])
			}
		case wantGrade && grade == "" && (vocab.Cues.Is("grade_label", label) || isLabel(label, "grade")):
			if g := gradeWords[strings.TrimRight(value, "。")]; g != "" {
				grade = g
				ev["grade"] = doc.Evidence(units[i][0], units[i+1][1])
			} else if g, _, end := Checkbox(value); g != "" {
				grade = g
				ev["grade"] = doc.Evidence(units[i][0], units[i+1][0]+end)
			}
		}
	}
	return score, grade
}

// textUnits are the report's paragraphs and table cells in reading order,
// each as a byte range of the text; the form's cells are left to the form's
// reader (its 总分 row holds the weights' total before the score).
func textUnits(doc *document.Doc, form *Table) [][2]int {
	var out [][2]int
	for i := range doc.Blocks {
		b := &doc.Blocks[i]
		switch {
		case b.Kind == document.ChromeBlock:
		case form != nil && b.Start == form.Start:
		case b.Kind == document.TableBlock:
			for _, c := range b.Table.Cells() {
				if !c.Empty() {
					out = append(out, [2]int{c.Start, c.End})
				}
			}
		default:
			out = append(out, [2]int{b.Start, b.End})
		}
	}
	return out
}
