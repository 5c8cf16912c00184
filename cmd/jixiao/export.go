package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/internal/sqlite"
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

// exportXLSX builds the workbook sheet by sheet with stream writers (a store
// of many thousand reports stays small in memory) and writes it to a
// temporary file renamed into place, so a failed export leaves no half file.
func exportXLSX(ctx context.Context, st *sqlite.Store, path string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheets := []struct {
		name string
		fill func(context.Context, *sqlite.Store, *sheetWriter) error
	}{
		{"报告", reportSheet},
		{"发现", findingSheet},
		{"趋势", trendSheet},
		{"未能读取", failureSheet},
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sh.name)
		if err != nil {
			return err
		}
		w := &sheetWriter{sw: sw}
		if err := sh.fill(ctx, st, w); err != nil {
			return fmt.Errorf("sheet %s: %w", sh.name, err)
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := f.Write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// sheetWriter appends rows to a stream-written sheet.
type sheetWriter struct {
	sw  *excelize.StreamWriter
	row int
}

func (w *sheetWriter) add(cells ...any) error {
	w.row++
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	return w.sw.SetRow(cell, cells)
}

func (w *sheetWriter) header(width float64, names ...string) error {
	if err := w.sw.SetColWidth(1, len(names), width); err != nil {
		return err
	}
	cells := make([]any, len(names))
	for i, n := range names {
		cells[i] = n
	}
	return w.add(cells...)
}

func reportSheet(ctx context.Context, st *sqlite.Store, w *sheetWriter) error {
	if err := w.header(16, "编号", "文件", "单位", "项目", "类型", "年度", "年初预算(元)", "调整后预算(元)", "全年执行数(元)",
		"执行率(%)", "得分", "等级", "问题数", "错误", "警告", "提示", "入库时间", "SHA-256"); err != nil {
		return err
	}
	return st.ReportRows(ctx, func(r sqlite.ReportRow) error {
		return w.add(r.ID, r.Name, r.Organization, r.Project, kindName(r.Kind), yearCell(r.Year),
			amountCell(r.Planned), amountCell(r.Adjusted), amountCell(r.Executed),
			decimalCell(r.ExecutionRate), decimalCell(r.Score), r.Grade, r.Problems, r.Errors, r.Warnings, r.Infos,
			r.IngestedAt, r.SHA256)
	})
}

func findingSheet(ctx context.Context, st *sqlite.Store, w *sheetWriter) error {
	if err := w.header(16, "报告编号", "文件", "单位", "项目", "年度", "规则", "严重程度", "说明", "原文", "行", "页"); err != nil {
		return err
	}
	return st.FindingRows(ctx, func(f sqlite.FindingRow) error {
		return w.add(f.ReportID, f.Name, f.Organization, f.Project, yearCell(f.Year), f.Rule, severityName(f.Severity),
			f.Message, f.Quote, f.Line, pageCell(f.Page))
	})
}

func trendSheet(ctx context.Context, st *sqlite.Store, w *sheetWriter) error {
	if err := w.header(14, "单位", "项目", "年度", "年初预算(元)", "调整后预算(元)", "全年执行数(元)", "执行率(%)", "得分", "等级",
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
			var dExec, dRate, dScore any = "", "", ""
			if c := changes[i]; c != nil {
				dExec, dRate, dScore = amountCell(c.Executed), decimalCell(c.ExecutionRate), decimalCell(c.Score)
			}
			if err := w.add(p.Organization, p.Project, p.Year, amountCell(p.Planned), amountCell(p.Adjusted),
				amountCell(p.Executed), decimalCell(p.ExecutionRate), decimalCell(p.Score), p.Grade, len(p.Problems),
				p.Findings[pipeline.SeverityError], p.Findings[pipeline.SeverityWarning], p.Findings[pipeline.SeverityInfo],
				dExec, dRate, dScore, p.ReportID); err != nil {
				return err
			}
		}
	}
	return nil
}

func failureSheet(ctx context.Context, st *sqlite.Store, w *sheetWriter) error {
	if err := w.header(20, "文件", "格式", "大小(字节)", "原因", "入库时间", "SHA-256"); err != nil {
		return err
	}
	docs, err := st.Failures(ctx)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := w.add(d.Name, d.Format, d.Size, d.Error, d.IngestedAt.Format("2006-01-02 15:04:05"), d.SHA256); err != nil {
			return err
		}
	}
	return nil
}

// amountCell is the amount in yuan as a number cell (the closest double to
// the exact decimal, which Excel shows as written), "" when not stated.
func amountCell(a *pipeline.Amount) any {
	if a == nil {
		return ""
	}
	return numberCell(a.Yuan())
}

func decimalCell(d *pipeline.Decimal) any {
	if d == nil {
		return ""
	}
	return numberCell(d.Trim())
}

func numberCell(s string) any {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return v
}

func yearCell(y int) any {
	if y == 0 {
		return ""
	}
	return y
}

func pageCell(p int) any {
	if p == 0 {
		return ""
	}
	return p
}

func kindName(k string) string {
	switch k {
	case pipeline.KindProject:
		return "项目支出"
	case pipeline.KindDepartment:
		return "部门整体支出"
	}
	return k
}

func severityName(s string) string {
	switch s {
	case pipeline.SeverityError:
		return "错误"
	case pipeline.SeverityWarning:
		return "警告"
	case pipeline.SeverityInfo:
		return "提示"
	}
	return s
}
