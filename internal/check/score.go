package check

import (
	"fmt"

	"github.com/jixiao/jixiao/pipeline"
)

func init() {
	register(Rule{ID: "score.grade_mismatch", Severity: pipeline.SeverityError, Check: gradeMismatch,
		Values: map[string]pipeline.ValueKind{"score": pipeline.ValueNumber, "stated_grade": pipeline.ValueText, "expected_grade": pipeline.ValueText}})
	register(Rule{ID: "score.out_of_range", Severity: pipeline.SeverityError, Check: scoreOutOfRange,
		Values: map[string]pipeline.ValueKind{"score": pipeline.ValueNumber, "weight": pipeline.ValueNumber, "indicator": pipeline.ValueText}})
	register(Rule{ID: "score.sum_mismatch", Severity: pipeline.SeverityError, Check: scoreSumMismatch,
		Values: map[string]pipeline.ValueKind{"rows_sum": pipeline.ValueNumber, "total": pipeline.ValueNumber}})
}

// Grade returns the band of a score: [90,100] 优, [80,90) 良, [60,80) 中,
// below 60 差.
func Grade(score pipeline.Decimal) string {
	switch {
	case score.Cmp(pipeline.MustDecimal("90")) >= 0:
		return "优"
	case score.Cmp(pipeline.MustDecimal("80")) >= 0:
		return "良"
	case score.Cmp(pipeline.MustDecimal("60")) >= 0:
		return "中"
	}
	return "差"
}

var bandText = map[string]string{"优": "90–100 分", "良": "80–90 分（不含 90）", "中": "60–80 分（不含 80）", "差": "60 分以下"}

func gradeMismatch(in *Input) []pipeline.Finding {
	r := in.Report
	if r.Score == nil || r.Grade == "" {
		return nil
	}
	want := Grade(*r.Score)
	if want == r.Grade {
		return nil
	}
	return []pipeline.Finding{{
		Message: fmt.Sprintf("自评得分 %s 分应为“%s”（%s），报告自评等级为“%s”", r.Score.Trim(), want, bandText[want], r.Grade),
		Values: pipeline.Values{"score": pipeline.NumberValue(r.Score), "stated_grade": pipeline.TextValue(r.Grade),
			"expected_grade": pipeline.TextValue(want)},
		Evidence: evidenceOf(r, "score", "grade"),
	}}
}

// scoreOutOfRange: a total outside 0–100, or an indicator (or the
// 预算执行率 row) scored above its weight.
func scoreOutOfRange(in *Input) []pipeline.Finding {
	r := in.Report
	var out []pipeline.Finding
	zero, hundred := pipeline.MustDecimal("0"), pipeline.MustDecimal("100")
	if r.Score != nil && (r.Score.Cmp(zero) < 0 || r.Score.Cmp(hundred) > 0) {
		out = append(out, pipeline.Finding{
			Message:  fmt.Sprintf("自评总分 %s 分超出 0–100 分的范围", r.Score.Trim()),
			Values:   pipeline.Values{"score": pipeline.NumberValue(r.Score)},
			Evidence: evidenceOf(r, "score"),
		})
	}
	for _, ind := range r.Indicators {
		if ind.Weight != nil && ind.Score != nil && ind.Score.Cmp(*ind.Weight) > 0 {
			out = append(out, pipeline.Finding{
				Message: fmt.Sprintf("指标“%s”得分 %s 分，超过其分值 %s 分", ind.Level3, ind.Score.Trim(), ind.Weight.Trim()),
				Values: pipeline.Values{"indicator": pipeline.TextValue(ind.Level3), "score": pipeline.NumberValue(ind.Score),
					"weight": pipeline.NumberValue(ind.Weight)},
				Evidence: []pipeline.Evidence{ind.Evidence},
			})
		}
	}
	if e := r.ExecutionRow; e != nil && e.Weight != nil && e.Score != nil && e.Score.Cmp(*e.Weight) > 0 {
		out = append(out, pipeline.Finding{
			Message: fmt.Sprintf("预算执行率得分 %s 分，超过其分值 %s 分", e.Score.Trim(), e.Weight.Trim()),
			Values: pipeline.Values{"indicator": pipeline.TextValue("预算执行率"), "score": pipeline.NumberValue(e.Score),
				"weight": pipeline.NumberValue(e.Weight)},
			Evidence: []pipeline.Evidence{e.Evidence},
		})
	}
	return out
}

// scoreSumMismatch: the table's row scores (the 预算执行率 row included) must
// add up to the stated total (the table's 总分, else the report's score).
func scoreSumMismatch(in *Input) []pipeline.Finding {
	r := in.Report
	if len(r.Indicators) == 0 {
		return nil
	}
	total, key := r.TableTotal, "table_total"
	if total == nil {
		total, key = r.Score, "score"
	}
	if total == nil {
		return nil
	}
	sum := pipeline.Decimal{}
	for _, ind := range r.Indicators {
		if ind.Score == nil {
			return nil // a row without a readable score: the sum cannot be judged
		}
		sum = sum.Add(*ind.Score)
	}
	if r.ExecutionRow != nil && r.ExecutionRow.Score != nil {
		sum = sum.Add(*r.ExecutionRow.Score)
	}
	diff := sum.Sub(*total)
	if diff.Units < 0 {
		diff.Units = -diff.Units
	}
	// Row scores are written to two decimals; allow their rounding.
	if diff.Cmp(pipeline.MustDecimal("0.05")) <= 0 {
		return nil
	}
	ev := evidenceOf(r, key)
	if key == "table_total" {
		ev = evidenceOf(r, "table_total", "score")
	}
	return []pipeline.Finding{{
		Message:  fmt.Sprintf("自评表各项得分合计 %s 分，与总分 %s 分不符（差 %s 分）", sum.Trim(), total.Trim(), diff.Trim()),
		Values:   pipeline.Values{"rows_sum": pipeline.NumberValue(&sum), "total": pipeline.NumberValue(total)},
		Evidence: ev,
	}}
}
