package main

import (
	"fmt"
	"io"

	"github.com/jixiao/jixiao/pipeline"
)

// writeExtractText prints an extraction for a person at a terminal.
func writeExtractText(w io.Writer, ext *pipeline.Extraction) error {
	r := ext.Report
	fmt.Fprintf(w, "%s (%s, %d pages, %s)\n", ext.Source.Name, ext.Source.Format, ext.Source.Pages, ext.Source.Extractor)
	fmt.Fprintf(w, "  单位: %s\n  项目: %s\n  类型: %s\n  年度: %s\n", orDash(r.Organization), orDash(r.Project), orDash(r.Kind), yearText(r.Year))
	fmt.Fprintf(w, "  年初预算: %s\n  全年预算: %s\n  全年执行: %s\n  执行率: %s\n",
		amountText(r.Budget.Planned), amountText(r.Budget.Adjusted), amountText(r.Budget.Executed), decText(r.Budget.ExecutionRate, "%"))
	fmt.Fprintf(w, "  得分: %s  等级: %s\n", decText(r.Score, ""), orDash(r.Grade))
	for _, li := range r.LineItems {
		fmt.Fprintf(w, "  分项: %s 万元  %s\n", li.Amount.Wan(), li.Purpose)
	}
	fmt.Fprintf(w, "  指标行: %d\n", len(r.Indicators))
	for i, p := range r.Problems {
		fmt.Fprintf(w, "  问题%d: %s\n", i+1, p)
	}
	for _, f := range ext.Findings {
		fmt.Fprintf(w, "  [%s] %s: %s\n", f.Severity, f.Rule, f.Message)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func yearText(y int) string {
	if y == 0 {
		return "—"
	}
	return fmt.Sprint(y)
}

func amountText(a *pipeline.Amount) string {
	if a == nil {
		return "—"
	}
	return a.Wan() + " 万元"
}

func decText(d *pipeline.Decimal, unit string) string {
	if d == nil {
		return "—"
	}
	return d.Trim() + unit
}
