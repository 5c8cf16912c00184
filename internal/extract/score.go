package extract

import (
	"regexp"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/pipeline"
)

var (
	// scoreRe reads the total: 综合评价得分为94.86分, 自评得分 98.27 分,
	// 项目的得分90.58, 综合得分 90.58, 总分为…
	scoreRe = regexp.MustCompile(`(综合评价得分|综合得分|自评得分|自评总得分|总得分|评价得分|自评分数|自评总分|综合评分|最终得分|项目的?得分|支出得分|整体得分|得分合计|总分)\s*(?:为|是|：|:)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分?`)
	// weakScoreRe is a looser reading for a report that names its total
	// only as 得分为X分.
	weakScoreRe = regexp.MustCompile(`得分\s*(?:为|是|：|:)\s*(\d{1,3}(?:\.\d{1,2})?)\s*分`)
	// gradeRe reads 评价等级为“优”, 自评结果为“优”, 等级为优秀, 评价等级：良.
	gradeRe = regexp.MustCompile(`(等级|评级|等次|自评结果|评价结果|评定结果|结论)\s*(?:为|是|：|:|评定为|确定为|认定为|评定[：:])?\s*[“"‘「『]?\s*(优秀|良好|中等|较差|优|良|中|差)`)
)

var gradeWords = map[string]string{"优秀": "优", "良好": "良", "中等": "中", "较差": "差", "优": "优", "良": "良", "中": "中", "差": "差"}

// scoreAndGrade reads the stated total score and grade from the body.
func scoreAndGrade(doc *document.Doc, body string, ev map[string]pipeline.Evidence) (*pipeline.Decimal, string) {
	var score *pipeline.Decimal
	m := findFirst(scoreRe, body, "得分", "总分", "评分", "分数")
	if m == nil {
		if w := findFirst(weakScoreRe, body, "得分"); w != nil {
			m = []int{w[0], w[1], w[0], w[0], w[2], w[3]}
		}
	}
	if m != nil {
		if d, err := pipeline.ParseDecimal(body[m[4]:m[5]]); err == nil {
			score = &d
			ev["score"] = doc.Evidence(m[0], m[1])
		}
	}
	grade := ""
	if g := findFirst(gradeRe, body, "等级", "评级", "等次", "结果", "结论"); g != nil {
		grade = gradeWords[body[g[4]:g[5]]]
		ev["grade"] = doc.Evidence(g[0], g[1])
	}
	return score, grade
}
