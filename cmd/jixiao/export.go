package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/internal/sqlstore"
	"github.com/jixiao/jixiao/pipeline"
)

func init() { rootCmd.AddCommand(newExportCmd()) }

func newExportCmd() *cobra.Command {
	var db, xlsx, output string
	c := &cobra.Command{
		Use:   "export -o FILE.xlsx [--db PATH]",
		Short: "把存储中的报告、发现和趋势导出为 Excel 工作簿",
		Long: `export 写出一个工作簿：报告（每份报告一行，取最新版本：预算、执行、得分、各类发现数、
审核状态、审核人和意见、版本数）、发现（每项发现一行，按严重程度排序：规则、说明、原文、
审核标记和意见）、趋势（每个单位和项目逐年的数据及与上一年的变化）、未能读取（读取失败的
文件及原因）、文件（全部文件及其 SHA-256）。
金额以万元、执行率以百分比写为数字；表头冻结、可筛选；文本单元格始终是文本，
报告中的任何内容都不会变成公式。-o（或 --xlsx）指定文件。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if xlsx == "" {
				xlsx = output
			}
			if xlsx == "" {
				return usageError("export 需要 -o 文件.xlsx")
			}
			st, err := openExistingStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := exportXLSX(cmd.Context(), st, xlsx); err != nil {
				return failed(fmt.Errorf("导出 %s：%w", xlsx, err))
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "已导出：", xlsx)
			return nil
		},
	}
	addReadOnlyDBFlag(c, &db)
	c.Flags().StringVar(&xlsx, "xlsx", "", "要写出的工作簿（同 -o）")
	addOutputFlag(c, &output)
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
		{"文件", fileSheet},
	}
	for _, sh := range sheets {
		if err := b.Sheet(sh.name, func(w *report.Sheet) error { return sh.fill(ctx, st, w) }); err != nil {
			return err
		}
	}
	return writeFileWith(path, b.Write)
}

// Amounts are written in 万元 and rates in percent as number cells, an
// unstated figure as an empty cell (see report.Workbook); kinds,
// severities, rules and review marks in the reviewers' Chinese. The main
// sheets name files, never their hashes: the sheet 文件 has those.

func reportSheet(ctx context.Context, st store, w *report.Sheet) error {
	if err := w.Columns(report.Col("编号", report.ColNumber, 8), report.Col("单位", report.ColText, 28), report.Col("项目", report.ColText, 26),
		report.Col("类型", report.ColText, 12), report.Col("年度", report.ColNumber, 8),
		report.Col("年初预算（万元）", report.ColWan, 0), report.Col("调整后预算（万元）", report.ColWan, 0), report.Col("全年执行数（万元）", report.ColWan, 0),
		report.Col("执行率", report.ColPercent, 0), report.Col("得分", report.ColNumber, 0), report.Col("等级", report.ColText, 6),
		report.Col("问题数", report.ColNumber, 8), report.Col("错误", report.ColNumber, 6), report.Col("警告", report.ColNumber, 6), report.Col("提示", report.ColNumber, 6),
		report.Col("审核状态", report.ColText, 10), report.Col("审核人", report.ColText, 10), report.Col("审核时间", report.ColTime, 0),
		report.Col("审核意见", report.ColWrap, 30), report.Col("版本数", report.ColNumber, 8), report.Col("文件", report.ColText, 30),
		report.Col("入库时间", report.ColTime, 0)); err != nil {
		return err
	}
	return st.ReportRows(ctx, func(r sqlstore.ReportRow) error {
		return w.Row(r.ID, r.Organization, r.Project, report.Kind(r.Kind), report.IntOrEmpty(r.Year),
			r.Planned, r.Adjusted, r.Executed, r.ExecutionRate, r.Score, r.Grade, r.Problems, r.Errors, r.Warnings, r.Infos,
			report.ReviewLabel(r.Status), r.Reviewer, r.ReviewedAt, r.ReviewComment, r.Versions,
			report.SourceName(pipeline.Source{Name: r.Name, Sheet: r.Sheet, Form: r.Form}), r.IngestedAt)
	})
}

func findingSheet(ctx context.Context, st store, w *report.Sheet) error {
	if err := w.Columns(report.Col("报告编号", report.ColNumber, 8), report.Col("单位", report.ColText, 28), report.Col("项目", report.ColText, 26),
		report.Col("年度", report.ColNumber, 8), report.Col("严重程度", report.ColText, 9), report.Col("规则", report.ColText, 20),
		report.Col("说明", report.ColWrap, 50), report.Col("原文", report.ColWrap, 50), report.Col("行", report.ColText, 8), report.Col("页", report.ColText, 6),
		report.Col("审核标记", report.ColText, 10), report.Col("审核意见", report.ColWrap, 30), report.Col("审核人", report.ColText, 10),
		report.Col("标记时间", report.ColTime, 0), report.Col("规则编号", report.ColText, 26), report.Col("文件", report.ColText, 30)); err != nil {
		return err
	}
	return st.FindingRows(ctx, func(f sqlstore.FindingRow) error {
		var quotes, lines, pages []string
		for _, e := range f.Evidence {
			quotes = append(quotes, e.Quote)
			lines = append(lines, strconv.Itoa(e.Line))
			if e.Page > 0 {
				pages = append(pages, strconv.Itoa(e.Page))
			}
		}
		var mark, comment, reviewer string
		var at time.Time
		if m := f.Mark; m != nil {
			mark, comment, reviewer, at = report.MarkLabel(m.Status), m.Comment, m.Reviewer, m.At
		}
		return w.Row(f.ReportID, f.Organization, f.Project, report.IntOrEmpty(f.Year), report.Severity(f.Severity),
			report.RuleName(f.Rule), f.Message, strings.Join(quotes, "\n"), strings.Join(lines, "、"), strings.Join(pages, "、"),
			mark, comment, reviewer, at, f.Rule, f.Name)
	})
}

func trendSheet(ctx context.Context, st store, w *report.Sheet) error {
	if err := w.Columns(report.Col("单位", report.ColText, 28), report.Col("项目", report.ColText, 26), report.Col("年度", report.ColNumber, 8),
		report.Col("年初预算（万元）", report.ColWan, 0), report.Col("调整后预算（万元）", report.ColWan, 0), report.Col("全年执行数（万元）", report.ColWan, 0),
		report.Col("执行率", report.ColPercent, 0), report.Col("得分", report.ColNumber, 0), report.Col("等级", report.ColText, 6),
		report.Col("问题数", report.ColNumber, 8), report.Col("错误", report.ColNumber, 6), report.Col("警告", report.ColNumber, 6), report.Col("提示", report.ColNumber, 6),
		report.Col("执行数变化（万元）", report.ColWan, 0), report.Col("执行率变化（百分点）", report.ColNumber, 12), report.Col("得分变化", report.ColNumber, 0),
		report.Col("报告编号", report.ColNumber, 8)); err != nil {
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
	if err := w.Columns(report.Col("文件", report.ColText, 30), report.Col("格式", report.ColText, 8), report.Col("大小（字节）", report.ColNumber, 12),
		report.Col("原因", report.ColWrap, 60), report.Col("入库时间", report.ColTime, 0)); err != nil {
		return err
	}
	docs, err := st.Failures(ctx)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := w.Row(d.Name, d.Format, d.Size, ingest.ReasonZH(d.Error), d.IngestedAt); err != nil {
			return err
		}
	}
	return nil
}

// fileSheet lists every stored document with its hash, for an auditor who
// must tell two files of one name apart.
func fileSheet(ctx context.Context, st store, w *report.Sheet) error {
	if err := w.Columns(report.Col("文件", report.ColText, 30), report.Col("格式", report.ColText, 8), report.Col("页数", report.ColNumber, 6),
		report.Col("大小（字节）", report.ColNumber, 12), report.Col("状态", report.ColText, 8), report.Col("入库时间", report.ColTime, 0),
		report.Col("SHA-256", report.ColText, 66)); err != nil {
		return err
	}
	docs, err := st.Documents(ctx)
	if err != nil {
		return err
	}
	for _, d := range docs {
		status := "已读取"
		if d.Status == pipeline.StatusFailed {
			status = "未能读取"
		}
		if err := w.Row(d.Name, d.Format, report.IntOrEmpty(d.Pages), d.Size, status, d.IngestedAt, d.SHA256); err != nil {
			return err
		}
	}
	return nil
}
