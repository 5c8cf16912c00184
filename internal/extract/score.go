package extract

import (
	"regexp"
	"sort"
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
	for _, g := range gradeStatements(body) {
		word := body[g[1]:g[2]]
		end := g[2]
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

// gradeStatements finds the grades a text states: a label (评价等级, 自评
// 结果), a verb (为, 是, ：, 评定为 — some labels take none: 等级 优秀), maybe
// a quote, the grade word. Each is [label start, word start, word end], in
// text order. Labels are looked up with strings.Index: they are fixed
// phrases and a text holds few.
func gradeStatements(text string) [][3]int {
	var out [][3]int
	for _, class := range []string{"grade_label", "grade_label_verb"} {
		for _, at := range vocab.Cues.FindCues(class, text) {
			if m, ok := gradeAfter(text, at[1], class == "grade_label"); ok {
				out = append(out, [3]int{at[0], m[0], m[1]})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// gradeAfter reads [verb] [quote] grade word at text[i:].
func gradeAfter(text string, i int, verbOptional bool) ([2]int, bool) {
	i = skipSpace(text, i)
	verb := ""
	for _, v := range vocab.Cues.Words("grade_verb") {
		if strings.HasPrefix(text[i:], v) {
			verb = v
			break
		}
	}
	if verb == "" && !verbOptional {
		return [2]int{}, false
	}
	i = skipSpace(text, i+len(verb))
	if r, w := utf8.DecodeRuneInString(text[i:]); strings.ContainsRune("“\"‘「『", r) {
		i = skipSpace(text, i+w)
	}
	for _, g := range []string{"优秀", "良好", "中等", "较差", "优", "良", "中", "差"} {
		if strings.HasPrefix(text[i:], g) {
			return [2]int{i, i + len(g)}, true
		}
	}
	return [2]int{}, false
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

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
