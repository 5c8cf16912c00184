package check

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/jixiao/jixiao/pipeline"
)

func init() {
	register(Rule{ID: "budget.items_sum_mismatch", Severity: pipeline.SeverityError, Check: itemsSumMismatch,
		Values: map[string]pipeline.ValueKind{"total_yuan": pipeline.ValueAmount, "items_sum_yuan": pipeline.ValueAmount, "items": pipeline.ValueCount}})
	register(Rule{ID: "budget.execution_rate_mismatch", Severity: pipeline.SeverityError, Check: executionRateMismatch,
		Values: map[string]pipeline.ValueKind{"stated_rate": pipeline.ValuePercent, "computed_rate": pipeline.ValuePercent,
			"executed_yuan": pipeline.ValueAmount, "budget_yuan": pipeline.ValueAmount}})
	register(Rule{ID: "budget.execution_exceeds_budget", Severity: pipeline.SeverityWarning, Check: executionExceedsBudget,
		Values: map[string]pipeline.ValueKind{"stated_rate": pipeline.ValuePercent, "executed_yuan": pipeline.ValueAmount, "budget_yuan": pipeline.ValueAmount}})
	register(Rule{ID: "budget.missing_execution", Severity: pipeline.SeverityWarning, Check: missingExecution})
}

// itemsSumMismatch: in every breakdown the parts must add up to the total
// within rounding. Each figure stands for an interval (value ± half a unit of
// its last written digit, as XBRL calculation 1.1 treats rounding); the sum
// of the parts' intervals must meet the total's interval.
func itemsSumMismatch(in *Input) []pipeline.Finding {
	var out []pipeline.Finding
	for _, b := range in.Report.Breakdowns {
		var sum, lo, hi int64
		for _, it := range b.Items {
			sum += it.Amount.Fen
			lo += it.Amount.Lo()
			hi += it.Amount.Hi()
		}
		if hi >= b.Total.Lo() && lo <= b.Total.Hi() {
			continue
		}
		diff := sum - b.Total.Fen
		if diff < 0 {
			diff = -diff
		}
		ev := []pipeline.Evidence{b.Evidence}
		for _, it := range b.Items {
			ev = append(ev, it.Evidence)
		}
		out = append(out, pipeline.Finding{
			Message: fmt.Sprintf("分项金额合计 %s 万元，与%s %s 万元不符（差 %s 万元）",
				wan(sum), totalName(b.TotalQuote), b.Total.Wan(), wan(diff)),
			Values: pipeline.Values{"total_yuan": pipeline.AmountValue(&b.Total), "items_sum_yuan": pipeline.AmountValue(&pipeline.Amount{Fen: sum}),
				"items": pipeline.CountValue(len(b.Items))},
			Evidence: ev,
		})
	}
	return out
}

func wan(fen int64) string { return pipeline.Amount{Fen: fen}.Wan() }

// totalName names the total the way its sentence does (年初安排资金, 年初预算数…).
func totalName(quote string) string {
	for _, w := range []string{"年初预算数", "年初安排资金", "年初预算", "全年预算数", "调整后预算", "资金总额", "预算总额", "实际支出", "全年执行数"} {
		if strings.Contains(quote, w) {
			return w
		}
	}
	return "所列总额"
}

// budgetBase is the budget an execution rate is measured against: the
// adjusted budget when stated, else the planned one.
func budgetBase(b pipeline.Budget) (*pipeline.Amount, string) {
	if b.Adjusted != nil {
		return b.Adjusted, "全年预算数"
	}
	if b.Planned != nil {
		return b.Planned, "年初预算数"
	}
	return nil, ""
}

// executionRateMismatch: a stated 执行率 must be 执行数 ÷ 预算数 within 0.1
// percentage point.
func executionRateMismatch(in *Input) []pipeline.Finding {
	b := in.Report.Budget
	base, baseName := budgetBase(b)
	if b.ExecutionRate == nil || b.Executed == nil || base == nil || base.Fen == 0 {
		return nil
	}
	actual := new(big.Rat).SetFrac(big.NewInt(b.Executed.Fen*100), big.NewInt(base.Fen))
	stated := b.ExecutionRate.Rat()
	diff := new(big.Rat).Sub(actual, stated)
	if diff.Abs(diff).Cmp(big.NewRat(1, 10)) <= 0 {
		return nil
	}
	computed := pipeline.DecimalFromRat(actual, 2)
	return []pipeline.Finding{{
		Message: fmt.Sprintf("报告所述执行率 %s%%，与全年执行数 %s 万元 ÷ %s %s 万元 = %s%% 不符",
			b.ExecutionRate.Trim(), b.Executed.Wan(), baseName, base.Wan(), computed.Trim()),
		Values: pipeline.Values{"stated_rate": pipeline.PercentValue(b.ExecutionRate), "computed_rate": pipeline.PercentValue(&computed),
			"executed_yuan": pipeline.AmountValue(b.Executed), "budget_yuan": pipeline.AmountValue(base)},
		Evidence: evidenceOf(in.Report, "execution_rate", "executed", budgetKey(b)),
	}}
}

func budgetKey(b pipeline.Budget) string {
	if b.Adjusted != nil {
		return "adjusted"
	}
	return "planned"
}

// executionExceedsBudget: more executed than the (adjusted) budget.
func executionExceedsBudget(in *Input) []pipeline.Finding {
	b := in.Report.Budget
	base, baseName := budgetBase(b)
	if b.Executed == nil || base == nil || b.Executed.Fen <= base.Fen {
		if b.Executed == nil && b.ExecutionRate != nil && b.ExecutionRate.Cmp(pipeline.MustDecimal("100")) > 0 {
			return []pipeline.Finding{{
				Message:  fmt.Sprintf("预算执行率 %s%% 超过 100%%，支出超出预算", b.ExecutionRate.Trim()),
				Values:   pipeline.Values{"stated_rate": pipeline.PercentValue(b.ExecutionRate)},
				Evidence: evidenceOf(in.Report, "execution_rate"),
			}}
		}
		return nil
	}
	return []pipeline.Finding{{
		Message: fmt.Sprintf("全年执行数 %s 万元 超过%s %s 万元（超出 %s 万元）",
			b.Executed.Wan(), baseName, base.Wan(), wan(b.Executed.Fen-base.Fen)),
		Values:   pipeline.Values{"executed_yuan": pipeline.AmountValue(b.Executed), "budget_yuan": pipeline.AmountValue(base)},
		Evidence: evidenceOf(in.Report, "executed", budgetKey(b)),
	}}
}

// missingExecution: neither an executed amount nor an execution rate is
// stated anywhere, so execution cannot be judged.
func missingExecution(in *Input) []pipeline.Finding {
	b := in.Report.Budget
	if b.Executed != nil || b.ExecutionRate != nil {
		return nil
	}
	if in.Report.ExecutionRow != nil && in.Report.ExecutionRow.Rate != nil {
		return nil
	}
	return []pipeline.Finding{{
		Message:  "报告未说明全年执行数或预算执行率，无法判断预算执行情况",
		Evidence: evidenceOf(in.Report, "planned", "adjusted"),
	}}
}

// evidenceOf collects the report's evidence for the named fields that have
// one.
func evidenceOf(r *pipeline.Report, keys ...string) []pipeline.Evidence {
	out := []pipeline.Evidence{}
	for _, k := range keys {
		if e, ok := r.Evidence[k]; ok && e.Quote != "" {
			out = append(out, e)
		}
	}
	return out
}
