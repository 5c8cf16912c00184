package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/internal/sqlstore"
	"github.com/jixiao/jixiao/pipeline"
)

func init() { rootCmd.AddCommand(newExportCmd()) }

func newExportCmd() *cobra.Command {
	var db, xlsx string
	c := &cobra.Command{
		Use:   "export --xlsx FILE [--db PATH]",
		Short: "Write the store's reports, findings and trends to an Excel workbook",
		Long: `export writes a workbook with the sheets 报告 (one row per stored report with
its budget, execution, score and counts), 发现 (one row per finding with its
evidence), 趋势 (every organisation-and-project series year by year with the
change from the previous year) and 未能读取 (documents that failed, with the
reason). Amounts are in yuan, rates in percent. Text cells are text: nothing
a report says becomes a formula.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if xlsx == "" {
				return usageError("export needs --xlsx FILE")
			}
			st, err := openExistingStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := exportXLSX(cmd.Context(), st, xlsx); err != nil {
				return failed(fmt.Errorf("export %s: %w", xlsx, err))
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "wrote", xlsx)
			return nil
		},
	}
	addDBFlag(c, &db)
	c.Flags().StringVar(&xlsx, "xlsx", "", "workbook to write")
	return c
}

// exportXLSX builds the workbook sheet by sheet (report.Workbook streams
// each sheet, so a store of many thousand reports stays small in memory) and
// writes it to a temporary file renamed into place, so a failed export
// leaves no half file.
func exportXLSX(ctx context.Context, st store, path string) error {
	b := report.NewWorkbook()
	defer b.Close()
	sheets := []struct {
		name string
		fill func(context.Context, store, *report.Sheet) error
	}{
		{"报告", reportSheet},
		{"发现", findingSheet},
		{"趋势", trendSheet},
		{"未能读取", failureSheet},
	}
	for _, sh := range sheets {
		if err := b.Sheet(sh.name, func(w *report.Sheet) error { return sh.fill(ctx, st, w) }); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := b.Write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Amounts are written in yuan and rates in percent as number cells, an
// unstated figure as an empty cell (see report.Cell); kinds and severities
// in the reviewers' Chinese.

func reportSheet(ctx context.Context, st store, w *report.Sheet) error {
	if err := w.Header(16, "编号", "文件", "单位", "项目", "类型", "年度", "年初预算(元)", "调整后预算(元)", "全年执行数(元)",
		"执行率(%)", "得分", "等级", "问题数", "错误", "警告", "提示", "入库时间", "SHA-256"); err != nil {
		return err
	}
	return st.ReportRows(ctx, func(r sqlstore.ReportRow) error {
		return w.Row(r.ID, r.Name, r.Organization, r.Project, report.Kind(r.Kind), report.IntOrEmpty(r.Year),
			r.Planned, r.Adjusted, r.Executed, r.ExecutionRate, r.Score, r.Grade, r.Problems, r.Errors, r.Warnings, r.Infos,
			r.IngestedAt, r.SHA256)
	})
}

func findingSheet(ctx context.Context, st store, w *report.Sheet) error {
	if err := w.Header(16, "报告编号", "文件", "单位", "项目", "年度", "规则", "严重程度", "说明", "原文", "行", "页"); err != nil {
		return err
	}
	return st.FindingRows(ctx, func(f sqlstore.FindingRow) error {
		return w.Row(f.ReportID, f.Name, f.Organization, f.Project, report.IntOrEmpty(f.Year), f.Rule, report.Severity(f.Severity),
			f.Message, f.Quote, f.Line, report.IntOrEmpty(f.Page))
	})
}

func trendSheet(ctx context.Context, st store, w *report.Sheet) error {
	if err := w.Header(14, "单位", "项目", "年度", "年初预算(元)", "调整后预算(元)", "全年执行数(元)", "执行率(%)", "得分", "等级",
		"问题数", "错误", "警告", "提示", "执行数变化(元)", "执行率变化", "得分变化", "报告编号"); err != nil {
		return err
	}
	series, err := st.Series(ctx, "")
	if err != nil {
		return err
	}
	for _, s := range series {
		points, err := st.Trend(ctx, s.Organization, s.Project)
		if err != nil {
			return err
		}
		changes := history.Changes(points)
		for i, p := range points {
			var dExec *pipeline.Amount
			var dRate, dScore *pipeline.Decimal
			if c := changes[i]; c != nil {
				dExec, dRate, dScore = c.Executed, c.ExecutionRate, c.Score
			}
			if err := w.Row(p.Organization, p.Project, p.Year, p.Planned, p.Adjusted,
				p.Executed, p.ExecutionRate, p.Score, p.Grade, len(p.Problems),
				p.Findings[pipeline.SeverityError], p.Findings[pipeline.SeverityWarning], p.Findings[pipeline.SeverityInfo],
				dExec, dRate, dScore, p.ReportID); err != nil {
				return err
			}
		}
	}
	return nil
}

func failureSheet(ctx context.Context, st store, w *report.Sheet) error {
	if err := w.Header(20, "文件", "格式", "大小(字节)", "原因", "入库时间", "SHA-256"); err != nil {
		return err
	}
	docs, err := st.Failures(ctx)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := w.Row(d.Name, d.Format, d.Size, d.Error, d.IngestedAt.Format("2006-01-02 15:04:05"), d.SHA256); err != nil {
			return err
		}
	}
	return nil
}
