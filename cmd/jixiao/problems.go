package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/pipeline"
)

func init() { rootCmd.AddCommand(newProblemsCmd()) }

func newProblemsCmd() *cobra.Command {
	var db, org, project, format, output string
	var recurring bool
	c := &cobra.Command{
		Use:   "problems [--recurring] [--org 单位] [--project 项目] [--format text|json] [--db PATH] [-o FILE]",
		Short: "列出报告所述的问题；--recurring 只列跨年度反复出现的问题",
		Long: `problems 列出各报告“存在问题”部分所述的问题，按单位、项目、年度排列
（每个年度取该报告的最新版本）。

--recurring 只列出同一单位、同一项目在以后年度再次提出的问题：表述相同或基本相同
（用词相似），逐年追踪；每项给出年度、最早和最近的表述，以及相似度。
--org 和 --project 缩小范围（不给则列出全部）；--org 可以是名称的一部分或简称。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("--format 只能是 text 或 json，不能是 %q", format)
			}
			st, err := openExistingStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			ctx := cmd.Context()
			if org != "" {
				if org, err = resolveOrg(ctx, st, org); err != nil {
					return err
				}
			}
			if !recurring {
				rows, err := problemRows(ctx, st, org, project, cmd.Flags().Changed("project"))
				if err != nil {
					return failed(err)
				}
				return writeOutput(cmd.OutOrStdout(), output, func(w io.Writer) error {
					if format == "json" {
						return writeJSONIndented(w, rows)
					}
					return writeProblems(w, rows)
				})
			}
			list, err := st.RecurringProblems(ctx, org, project)
			if err != nil {
				return failed(err)
			}
			return writeOutput(cmd.OutOrStdout(), output, func(w io.Writer) error {
				if format == "json" {
					return writeJSONIndented(w, list)
				}
				writeRecurring(w, list)
				return nil
			})
		},
	}
	addReadOnlyDBFlag(c, &db)
	c.Flags().BoolVar(&recurring, "recurring", false, "只列出在以后年度再次提出的问题")
	c.Flags().StringVar(&org, "org", "", "只看这个单位（全称、名称的一部分或简称）")
	c.Flags().StringVar(&project, "project", "", "只看这个项目")
	c.Flags().StringVar(&format, "format", "text", "输出格式：text 或 json")
	addOutputFlag(c, &output)
	return c
}

// problemRow is one year of a series with the problems its report states.
type problemRow struct {
	Organization string   `json:"organization"`
	Project      string   `json:"project"`
	Year         int      `json:"year"`
	ReportID     int64    `json:"report_id"`
	Problems     []string `json:"problems"`
}

// problemRows lists the problems of every series of the store (or of org,
// or of one project), year by year.
func problemRows(ctx context.Context, st store, org, project string, oneProject bool) ([]problemRow, error) {
	series, err := st.Series(ctx, org)
	if err != nil {
		return nil, err
	}
	rows := []problemRow{}
	for _, s := range series {
		if oneProject && s.Project != project {
			continue
		}
		points, err := st.Trend(ctx, s.Organization, s.Project)
		if err != nil {
			return nil, err
		}
		for _, p := range points {
			rows = append(rows, problemRow{Organization: p.Organization, Project: p.Project, Year: p.Year,
				ReportID: p.ReportID, Problems: p.Problems})
		}
	}
	return rows, nil
}

func writeProblems(w io.Writer, rows []problemRow) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "没有报告。")
		return err
	}
	for _, r := range rows {
		project := r.Project
		if project == "" {
			project = "部门整体"
		}
		fmt.Fprintf(w, "%s｜%s｜%d年（报告 %d）\n", r.Organization, project, r.Year, r.ReportID)
		if len(r.Problems) == 0 {
			fmt.Fprintln(w, "  （报告未写明问题）")
		}
		for i, p := range r.Problems {
			if _, err := fmt.Fprintf(w, "  %d. %s\n", i+1, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeRecurring(w io.Writer, list []pipeline.RecurringProblem) {
	if len(list) == 0 {
		fmt.Fprintln(w, "未发现跨年度重复出现的问题。")
		return
	}
	for _, p := range list {
		project := p.Project
		if project == "" {
			project = "部门整体"
		}
		years := make([]string, len(p.Years))
		for i, y := range p.Years {
			years[i] = fmt.Sprint(y)
		}
		fmt.Fprintf(w, "%s｜%s｜%s年（先后%d个年度提出，相似度≥%.0f%%）\n", p.Organization, project,
			strings.Join(years, "、"), len(p.Years), p.Similarity*100)
		fmt.Fprintf(w, "  最近表述：%s\n", p.Problem)
		if p.Earlier != p.Problem {
			fmt.Fprintf(w, "  最早表述：%s\n", p.Earlier)
		}
	}
}
