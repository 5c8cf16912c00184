package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

func init() { rootCmd.AddCommand(newTrendCmd()) }

// trendRow is one year of a series with its change from the year before,
// as trend prints it in JSON.
type trendRow struct {
	pipeline.TrendPoint
	Change *history.Change `json:"change"`
}

func newTrendCmd() *cobra.Command {
	var db, org, project, format, output string
	c := &cobra.Command{
		Use:   "trend --org 单位 [--project 项目] [--format table|csv|json] [--db PATH] [-o FILE]",
		Short: "逐年对比一个单位的预算、执行、得分和等级",
		Long: `trend 逐年列出一个单位的年初预算、调整后预算、全年执行数、执行率、得分、等级、
问题数和各严重程度的发现数，以及与上一年相比的变化。--org 可以是单位全称，
也可以是名称的一部分或简称（如 新疆卫健委）；能指多个单位时列出供选择。
--project 只看一个项目（"" 为部门整体）；不给时列出该单位的每个项目。
表格中金额单位为万元，CSV 和 JSON 中为元；CSV 带 UTF-8 BOM，Excel 可直接打开。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if org == "" {
				return usageError("trend 需要 --org 单位")
			}
			if format != "table" && format != "csv" && format != "json" {
				return usageError("--format 只能是 table、csv 或 json，不能是 %q", format)
			}
			st, err := openExistingStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			org, err := resolveOrg(cmd.Context(), st, org)
			if err != nil {
				return err
			}
			rows, err := trendRows(cmd.Context(), st, org, project, cmd.Flags().Changed("project"))
			if err != nil {
				return failed(err)
			}
			if len(rows) == 0 {
				return failed(fmt.Errorf("没有“%s”%s的报告", org, projectNote(project, cmd.Flags().Changed("project"))))
			}
			return writeOutput(cmd.OutOrStdout(), output, func(w io.Writer) error { return writeTrend(w, rows, format) })
		},
	}
	addReadOnlyDBFlag(c, &db)
	c.Flags().StringVar(&org, "org", "", "单位：全称、名称的一部分或简称")
	c.Flags().StringVar(&project, "project", "", `项目（"" 为部门整体）；默认列出每个项目`)
	c.Flags().StringVar(&format, "format", "table", "输出格式：table、csv 或 json")
	addOutputFlag(c, &output)
	return c
}

func projectNote(p string, given bool) string {
	if !given {
		return ""
	}
	if p == "" {
		return "部门整体"
	}
	return "“" + p + "”项目"
}

// trendRows gathers the series asked for: one project's, or every series of
// the organisation one after the other.
func trendRows(ctx context.Context, st store, org, project string, oneSeries bool) ([]trendRow, error) {
	projects := []string{project}
	if !oneSeries {
		series, err := st.Series(ctx, org)
		if err != nil {
			return nil, err
		}
		projects = projects[:0]
		for _, s := range series {
			projects = append(projects, s.Project)
		}
	}
	rows := []trendRow{}
	for _, p := range projects {
		points, err := st.Trend(ctx, org, p)
		if err != nil {
			return nil, err
		}
		changes := history.Changes(points)
		for i, pt := range points {
			rows = append(rows, trendRow{TrendPoint: pt, Change: changes[i]})
		}
	}
	return rows, nil
}

var trendHeader = []string{"项目", "年度", "年初预算", "调整后预算", "全年执行数", "执行率(%)", "得分", "等级",
	"问题数", "错误", "警告", "提示", "执行数变化", "得分变化", "执行率变化"}

// trendTextCols are the columns of trendHeader that hold a report's own
// words (项目, 等级), which a CSV file escapes; the others are numbers.
var trendTextCols = []int{0, 7}

func writeTrend(w io.Writer, rows []trendRow, format string) error {
	switch format {
	case "json":
		return writeJSONIndented(w, rows)
	case "csv":
		// The byte order mark makes Excel on a Chinese Windows read UTF-8.
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.Write(trendHeader)
		for _, r := range rows {
			cells := trendCells(r, yuanText)
			for _, i := range trendTextCols {
				cells[i] = report.CSVText(cells[i])
			}
			cw.Write(cells)
		}
		cw.Flush()
		return cw.Error()
	}
	head := append([]string(nil), trendHeader...)
	head[2], head[3], head[4] = "年初预算(万元)", "调整后预算(万元)", "执行数(万元)"
	head[12] = "执行数变化(万元)"
	table := [][]string{head}
	for _, r := range rows {
		table = append(table, trendCells(r, wanText))
	}
	for _, line := range report.AlignColumns(table) {
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

func trendCells(r trendRow, money func(*pipeline.Amount, bool) string) []string {
	project := r.Project
	if project == "" {
		project = "（部门整体）"
	}
	cells := []string{
		project, strconv.Itoa(r.Year),
		money(r.Planned, false), money(r.Adjusted, false), money(r.Executed, false),
		decimalText(r.ExecutionRate, false), decimalText(r.Score, false), r.Grade,
		strconv.Itoa(len(r.Problems)),
		strconv.Itoa(r.Findings[pipeline.SeverityError]), strconv.Itoa(r.Findings[pipeline.SeverityWarning]),
		strconv.Itoa(r.Findings[pipeline.SeverityInfo]),
		"", "", "",
	}
	if c := r.Change; c != nil {
		cells[12], cells[13], cells[14] = money(c.Executed, true), decimalText(c.Score, true), decimalText(c.ExecutionRate, true)
	}
	return cells
}

func yuanText(a *pipeline.Amount, signed bool) string {
	if a == nil {
		return ""
	}
	return withSign(a.Yuan(), a.Fen, signed)
}

func wanText(a *pipeline.Amount, signed bool) string {
	if a == nil {
		return ""
	}
	return withSign(a.Wan(), a.Fen, signed)
}

func decimalText(d *pipeline.Decimal, signed bool) string {
	if d == nil {
		return ""
	}
	return withSign(d.Trim(), d.Units, signed)
}

// withSign puts "+" before a positive change so a rise reads as one.
func withSign(s string, v int64, signed bool) string {
	if signed && v > 0 {
		return "+" + s
	}
	return s
}

func writeJSONIndented(w io.Writer, v any) error {
	enc := newJSONEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newJSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
