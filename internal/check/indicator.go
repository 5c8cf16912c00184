package check

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/jixiao/jixiao/internal/target"
	"github.com/jixiao/jixiao/pipeline"
)

// The rules that re-read the self-evaluation table the way a reviewer does:
// a missed target scored above its proportional score, an actual that is only
// a word, a missed target with no reason, a 预算执行率 score that is not the
// rate times its weight, a target that cannot be measured.

func init() {
	register(Rule{ID: "indicator.score_inflated", Severity: pipeline.SeverityError, Check: checkScoreInflated,
		Values: map[string]pipeline.ValueKind{"weight": pipeline.ValueNumber, "score": pipeline.ValueNumber, "proportional": pipeline.ValueNumber,
			"target": pipeline.ValueText, "actual": pipeline.ValueText}})
	register(Rule{ID: "indicator.unverifiable_actual", Severity: pipeline.SeverityWarning, Check: checkUnverifiableActual,
		Values: map[string]pipeline.ValueKind{"weight": pipeline.ValueNumber, "score": pipeline.ValueNumber, "target": pipeline.ValueText, "actual": pipeline.ValueText}})
	register(Rule{ID: "indicator.deviation_unexplained", Severity: pipeline.SeverityWarning, Check: checkDeviationUnexplained,
		Values: map[string]pipeline.ValueKind{"target": pipeline.ValueText, "actual": pipeline.ValueText, "deviation": pipeline.ValueText}})
	register(Rule{ID: "budget.execution_score_mismatch", Severity: pipeline.SeverityError, Check: checkExecutionScore,
		Values: map[string]pipeline.ValueKind{"weight": pipeline.ValueNumber, "rate": pipeline.ValuePercent, "score": pipeline.ValueNumber, "expected": pipeline.ValueNumber}})
	register(Rule{ID: "indicator.target_vague", Severity: pipeline.SeverityInfo, Check: checkTargetVague,
		Values: map[string]pipeline.ValueKind{"target": pipeline.ValueText}})
}

// inflationTolerance is how far a stated score may exceed the proportional
// one before it counts as inflated (the contract's 0.5 point).
var inflationTolerance = big.NewRat(1, 2)

// executionTolerance is the 预算执行率 row's allowed difference (0.05).
var executionTolerance = big.NewRat(5, 100)

// indRow is one indicator row read against its target.
type indRow struct {
	ind     pipeline.Indicator
	target  target.Value
	actual  target.Value
	outcome target.Outcome
	// proportional is the reviewer's score of a measurable row: the weight
	// when met, weight × actual ÷ target (or target ÷ actual) when missed;
	// nil when the row cannot be measured or has no weight.
	proportional *big.Rat
}

func readRow(ind pipeline.Indicator) indRow {
	r := indRow{ind: ind, target: target.Parse(ind.Target), actual: target.Parse(ind.Actual)}
	r.outcome = target.Compare(r.target, r.actual)
	if ind.Weight != nil {
		if p, ok := target.Proportional(*ind.Weight, r.target, r.actual); ok {
			r.proportional = p
		}
	}
	return r
}

func (r indRow) name() string {
	if r.ind.Level3 != "" {
		return "「" + r.ind.Level3 + "」"
	}
	return "该指标"
}

// missed: a measurable target the actual falls short of, or a qualitative
// target whose actual differs and which lost points. A word actual against
// a number (完成) is not counted: the contract reads it either way.
func (r indRow) missed() bool {
	if r.outcome == target.Missed {
		return true
	}
	if r.outcome != target.Incomparable || r.target.Quantitative() {
		return false
	}
	if r.target.Kind == target.Empty || r.actual.Kind == target.Empty {
		return false
	}
	w, s := r.ind.Weight, r.ind.Score
	return squeezeCell(r.ind.Actual) != squeezeCell(r.ind.Target) && w != nil && s != nil && s.Cmp(*w) < 0
}

func indicatorRows(in *Input) []indRow {
	if in.rowsSet {
		return in.rows
	}
	out := make([]indRow, 0, len(in.Report.Indicators))
	for _, ind := range in.Report.Indicators {
		out = append(out, readRow(ind))
	}
	in.rows, in.rowsSet = out, true
	return out
}

func checkScoreInflated(in *Input) []pipeline.Finding {
	var out []pipeline.Finding
	for _, r := range indicatorRows(in) {
		if r.outcome != target.Missed || r.target.Kind != target.Quantity || r.proportional == nil || r.ind.Score == nil {
			continue
		}
		excess := new(big.Rat).Sub(r.ind.Score.Rat(), r.proportional)
		if excess.Cmp(inflationTolerance) <= 0 {
			continue
		}
		due := pipeline.DecimalFromRat(r.proportional, 2)
		out = append(out, pipeline.Finding{
			Message: fmt.Sprintf("%s实际完成值 %s 未达到年度指标值 %s，按比例应得 %s 分（%s），自评 %s 分，高出 %s 分",
				r.name(), r.ind.Actual, r.ind.Target, due.Trim(), target.Formula(*r.ind.Weight, r.target, r.actual),
				r.ind.Score.Trim(), pipeline.DecimalFromRat(excess, 2).Trim()),
			Values: pipeline.Values{"weight": pipeline.NumberValue(r.ind.Weight), "score": pipeline.NumberValue(r.ind.Score),
				"proportional": pipeline.NumberValue(&due), "target": pipeline.TextValue(r.ind.Target), "actual": pipeline.TextValue(r.ind.Actual)},
			Evidence: []pipeline.Evidence{r.ind.Evidence},
		})
	}
	return out
}

func checkUnverifiableActual(in *Input) []pipeline.Finding {
	var out []pipeline.Finding
	for _, r := range indicatorRows(in) {
		if !r.target.Quantitative() || !isWords(r.actual) || !fullMarks(r.ind) {
			continue
		}
		out = append(out, pipeline.Finding{
			Message: fmt.Sprintf("%s年度指标值 %s 为量化指标，实际完成值仅填“%s”，无法核实是否达到，却给满分 %s 分",
				r.name(), r.ind.Target, r.ind.Actual, r.ind.Score.Trim()),
			Values: pipeline.Values{"weight": pipeline.NumberValue(r.ind.Weight), "score": pipeline.NumberValue(r.ind.Score),
				"target": pipeline.TextValue(r.ind.Target), "actual": pipeline.TextValue(r.ind.Actual)},
			Evidence: []pipeline.Evidence{r.ind.Evidence},
		})
	}
	return out
}

func isWords(v target.Value) bool {
	return v.Kind == target.Qualitative || v.Kind == target.Vague
}

func fullMarks(ind pipeline.Indicator) bool {
	return ind.Weight != nil && ind.Score != nil && ind.Score.Cmp(*ind.Weight) >= 0
}

func checkDeviationUnexplained(in *Input) []pipeline.Finding {
	var out []pipeline.Finding
	for _, r := range indicatorRows(in) {
		if !r.missed() || !emptyReason(r.ind.Deviation) {
			continue
		}
		reason := "为空"
		if strings.TrimSpace(r.ind.Deviation) != "" {
			reason = "只写“" + strings.TrimSpace(r.ind.Deviation) + "”"
		}
		score := ""
		if r.ind.Score != nil && r.ind.Weight != nil {
			score = fmt.Sprintf("（得分 %s / 分值 %s）", r.ind.Score.Trim(), r.ind.Weight.Trim())
		}
		out = append(out, pipeline.Finding{
			Message: fmt.Sprintf("%s实际完成值 %s 未达到年度指标值 %s%s，偏差原因分析及改进措施栏%s，未说明原因",
				r.name(), r.ind.Actual, r.ind.Target, score, reason),
			Values: pipeline.Values{"target": pipeline.TextValue(r.ind.Target), "actual": pipeline.TextValue(r.ind.Actual),
				"deviation": pipeline.TextValue(r.ind.Deviation)},
			Evidence: []pipeline.Evidence{r.ind.Evidence},
		})
	}
	return out
}

// emptyReason: a deviation cell that explains nothing.
func emptyReason(s string) bool {
	switch strings.TrimRight(squeezeCell(s), "。.") {
	case "", "无", "暂无", "无偏差", "没有", "/", "—", "——", "-", "－", "不适用":
		return true
	}
	return false
}

func checkExecutionScore(in *Input) []pipeline.Finding {
	e := in.Report.ExecutionRow
	due, ok := executionDue(e)
	if !ok {
		return nil
	}
	diff := new(big.Rat).Sub(e.Score.Rat(), due)
	if new(big.Rat).Abs(diff).Cmp(executionTolerance) <= 0 {
		return nil
	}
	dueD := pipeline.DecimalFromRat(due, 2)
	return []pipeline.Finding{{
		Message: fmt.Sprintf("预算执行率 %s%% × 分值 %s = %s 分（不超过分值），表中得分 %s 分，相差 %s 分",
			e.Rate.Trim(), e.Weight.Trim(), dueD.Trim(), e.Score.Trim(), pipeline.DecimalFromRat(new(big.Rat).Abs(diff), 2).Trim()),
		Values: pipeline.Values{"weight": pipeline.NumberValue(e.Weight), "rate": pipeline.PercentValue(e.Rate), "score": pipeline.NumberValue(e.Score),
			"expected": pipeline.NumberValue(&dueD)},
		Evidence: []pipeline.Evidence{e.Evidence},
	}}
}

// executionDue is weight × rate capped at the weight.
func executionDue(e *pipeline.ExecutionRow) (*big.Rat, bool) {
	if e == nil || e.Weight == nil || e.Rate == nil || e.Score == nil {
		return nil, false
	}
	w := e.Weight.Rat()
	due := new(big.Rat).Mul(w, new(big.Rat).Quo(e.Rate.Rat(), big.NewRat(100, 1)))
	if due.Cmp(w) > 0 {
		due = w
	}
	return due, true
}

func checkTargetVague(in *Input) []pipeline.Finding {
	var out []pipeline.Finding
	for _, r := range indicatorRows(in) {
		if r.target.Kind != target.Vague {
			continue
		}
		out = append(out, pipeline.Finding{
			Message:  fmt.Sprintf("%s年度指标值“%s”没有可衡量的数值或标准，无法判断是否完成", r.name(), r.ind.Target),
			Values:   pipeline.Values{"target": pipeline.TextValue(r.ind.Target)},
			Evidence: []pipeline.Evidence{r.ind.Evidence},
		})
	}
	return out
}

// squeezeCell drops all white space, for comparing cells.
func squeezeCell(s string) string {
	return strings.Join(strings.Fields(s), "")
}
