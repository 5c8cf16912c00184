package check

import (
	"fmt"
	"math/big"

	"github.com/jixiao/jixiao/internal/target"
	"github.com/jixiao/jixiao/pipeline"
)

// Audit statuses of a re-scored row.
const (
	StatusMet          = "met"
	StatusMissed       = "missed"
	StatusQualitative  = "qualitative"
	StatusUnverifiable = "unverifiable"
	StatusUnknown      = "unknown"
)

// Audit re-scores the indicator table the way a reviewer does: each row's
// target and actual compared, a measurable row given its full weight when met
// and its proportional score when missed, the 预算执行率 row weight × rate
// capped at the weight; rows that cannot be measured keep their stated score
// (never above the weight). Nil when the report has no table.
func Audit(r *pipeline.Report) *pipeline.IndicatorAudit {
	if len(r.Indicators) == 0 && r.ExecutionRow == nil {
		return nil
	}
	a := &pipeline.IndicatorAudit{Rows: []pipeline.AuditRow{}}
	if e := r.ExecutionRow; e != nil {
		a.Rows = append(a.Rows, auditExecution(e))
	}
	for _, ind := range r.Indicators {
		a.Rows = append(a.Rows, auditIndicator(readRow(ind)))
	}
	switch {
	case r.TableTotal != nil:
		a.StatedTotal = r.TableTotal
	case r.Score != nil:
		a.StatedTotal = r.Score
	}
	sum, counted := new(big.Rat), false
	for _, row := range a.Rows {
		if row.Recomputed != nil {
			sum.Add(sum, row.Recomputed.Rat())
			counted = true
		}
	}
	if counted {
		t := pipeline.DecimalFromRat(sum, 2)
		a.RecomputedTotal = &t
	}
	return a
}

func auditExecution(e *pipeline.ExecutionRow) pipeline.AuditRow {
	row := pipeline.AuditRow{Name: "预算执行率", Weight: e.Weight, Stated: e.Score, Status: StatusUnknown, Evidence: e.Evidence}
	if e.Rate != nil {
		row.Actual = e.Rate.Trim() + "%"
	}
	if e.Weight != nil {
		row.Target = "100%"
	}
	due, ok := executionDue(e)
	if !ok {
		row.Arithmetic = "执行率或分值缺失，无法复核"
		return row
	}
	d := pipeline.DecimalFromRat(due, 2)
	row.Recomputed = &d
	row.Status = StatusMet
	if e.Rate.Cmp(pipeline.Decimal{Units: 100}) < 0 {
		row.Status = StatusMissed
	}
	row.Arithmetic = fmt.Sprintf("%s × %s%% = %s 分（不超过分值）", e.Weight.Trim(), e.Rate.Trim(), d.Trim())
	setDifference(&row)
	return row
}

func auditIndicator(r indRow) pipeline.AuditRow {
	ind := r.ind
	row := pipeline.AuditRow{Name: ind.Level3, Target: ind.Target, Actual: ind.Actual, Weight: ind.Weight, Stated: ind.Score, Evidence: ind.Evidence}
	switch {
	case ind.Weight == nil:
		row.Status = StatusUnknown
		row.Arithmetic = "分值缺失，无法复核"
	case r.proportional != nil && r.outcome == target.Missed:
		d := pipeline.DecimalFromRat(r.proportional, 2)
		row.Recomputed = &d
		row.Status = StatusMissed
		row.Arithmetic = fmt.Sprintf("实际完成值 %s 未达到年度指标值 %s，按比例 %s = %s 分",
			ind.Actual, ind.Target, target.Formula(*ind.Weight, r.target, r.actual), d.Trim())
	case r.target.Quantitative() && isWords(r.actual):
		row.Status = StatusUnverifiable
		row.Recomputed = keptScore(ind)
		row.Arithmetic = fmt.Sprintf("实际完成值“%s”不是数值，无法与 %s 比较，暂按自评得分计", ind.Actual, ind.Target)
	case r.outcome == target.Met:
		row.Status = StatusMet
		row.Recomputed = ind.Weight
		row.Arithmetic = fmt.Sprintf("实际完成值 %s 达到年度指标值 %s，得满分 %s 分", ind.Actual, ind.Target, ind.Weight.Trim())
	case r.outcome == target.Missed:
		row.Status = StatusMissed
		row.Recomputed = keptScore(ind)
		row.Arithmetic = fmt.Sprintf("实际完成值 %s 未达到年度指标值 %s，无法按比例计分，暂按自评得分计", ind.Actual, ind.Target)
	case r.actual.Kind == target.Empty || r.target.Kind == target.Empty:
		row.Status = StatusUnknown
		row.Recomputed = keptScore(ind)
		row.Arithmetic = "年度指标值或实际完成值未填写，无法复核，暂按自评得分计"
	case r.target.Quantitative():
		row.Status = StatusUnknown
		row.Recomputed = keptScore(ind)
		row.Arithmetic = fmt.Sprintf("%s 与 %s 单位不一致，无法比较，暂按自评得分计", ind.Actual, ind.Target)
	default:
		row.Status = StatusQualitative
		row.Recomputed = keptScore(ind)
		row.Arithmetic = "定性指标，按自评得分计（不超过分值）"
	}
	setDifference(&row)
	return row
}

// keptScore is the stated score, never above the weight; nil when absent.
func keptScore(ind pipeline.Indicator) *pipeline.Decimal {
	if ind.Score == nil {
		return nil
	}
	if ind.Weight != nil && ind.Score.Cmp(*ind.Weight) > 0 {
		return ind.Weight
	}
	return ind.Score
}

func setDifference(row *pipeline.AuditRow) {
	if row.Stated == nil || row.Recomputed == nil {
		return
	}
	d := row.Stated.Sub(*row.Recomputed)
	row.Difference = &d
}
