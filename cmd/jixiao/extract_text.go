package main

import (
	"fmt"
	"io"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

// writeExtractText prints an extraction for a person at a terminal.
func writeExtractText(w io.Writer, ext *pipeline.Extraction) error {
	r := ext.Report
	name := ext.Source.Name
	if ext.Source.Sheet != "" {
		name += " [" + ext.Source.Sheet + "]"
	}
	fmt.Fprintf(w, "%s (%s, %d pages, %s)\n", name, ext.Source.Format, ext.Source.Pages, ext.Source.Extractor)
	fmt.Fprintf(w, "  单位: %s\n  项目: %s\n  类型: %s\n  年度: %s\n", report.OrDash(r.Organization), report.OrDash(r.Project), report.Kind(r.Kind), report.Year(r.Year))
	fmt.Fprintf(w, "  年初预算: %s\n  全年预算: %s\n  全年执行: %s\n  执行率: %s\n",
		report.Amount(r.Budget.Planned), report.Amount(r.Budget.Adjusted), report.Amount(r.Budget.Executed), report.Percent(r.Budget.ExecutionRate))
	fmt.Fprintf(w, "  得分: %s  等级: %s\n", report.Decimal(r.Score), report.OrDash(r.Grade))
	for _, li := range r.LineItems {
		fmt.Fprintf(w, "  分项: %s  %s\n", report.Amount(&li.Amount), li.Purpose)
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
