package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

func init() { rootCmd.AddCommand(newOrgsCmd()) }

func newOrgsCmd() *cobra.Command {
	var db, format, output string
	c := &cobra.Command{
		Use:   "orgs [词语] [--format text|json] [--db PATH] [-o FILE]",
		Short: "列出存储中的单位及其年度和报告数",
		Long: `orgs 列出存储中有报告的单位：地区、有报告的年度、报告数（同一报告的多个版本算一份）、
项目数（部门整体算一个）。给出词语时只列出可能指的单位：名称中含有该词语的，
或按顺序含有其各字的简称（新疆卫健委 → 新疆维吾尔自治区卫生健康委员会）。`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("--format 只能是 text 或 json，不能是 %q", format)
			}
			st, err := openExistingStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			orgs, err := st.Organizations(cmd.Context())
			if err != nil {
				return failed(err)
			}
			if len(args) == 1 {
				orgs = storelogic.MatchSummaries(orgs, args[0])
			}
			return writeOutput(cmd.OutOrStdout(), output, func(w io.Writer) error {
				if format == "json" {
					return writeJSONIndented(w, orgs)
				}
				return writeOrgs(w, orgs)
			})
		},
	}
	addReadOnlyDBFlag(c, &db)
	c.Flags().StringVar(&format, "format", "text", "输出格式：text 或 json")
	addOutputFlag(c, &output)
	return c
}

func writeOrgs(w io.Writer, orgs []pipeline.OrgSummary) error {
	if len(orgs) == 0 {
		_, err := fmt.Fprintln(w, "没有找到单位。")
		return err
	}
	rows := [][]string{{"单位", "地区", "年度", "报告数", "项目数"}}
	for _, o := range orgs {
		rows = append(rows, []string{o.Name, report.OrDash(o.Region), yearsText(o.Years), strconv.Itoa(o.Reports), strconv.Itoa(o.Projects)})
	}
	for _, line := range report.AlignColumns(rows) {
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

// yearsText is 2019–2022 for consecutive years, else 2018、2020、2021.
func yearsText(ys []int) string {
	if len(ys) == 0 {
		return report.Dash
	}
	if len(ys) > 2 && ys[len(ys)-1]-ys[0] == len(ys)-1 {
		return strconv.Itoa(ys[0]) + "–" + strconv.Itoa(ys[len(ys)-1])
	}
	parts := make([]string, len(ys))
	for i, y := range ys {
		parts[i] = strconv.Itoa(y)
	}
	return strings.Join(parts, "、")
}

// resolveOrg is the body --org means: the name as given when the store has
// reports under it (a short form included), else the one body a part of
// its name or an abbreviation stands for. Several candidates are an error
// that names them; none, one that says so.
func resolveOrg(ctx context.Context, st pipeline.Store, given string) (string, error) {
	given = strings.TrimSpace(given)
	if _, n, err := st.Reports(ctx, pipeline.ReportFilter{Organization: given, Limit: 1}); err != nil {
		return "", failed(err)
	} else if n > 0 {
		return given, nil
	}
	orgs, err := st.Organizations(ctx)
	if err != nil {
		return "", failed(err)
	}
	found := storelogic.MatchSummaries(orgs, given)
	switch len(found) {
	case 0:
		return "", failed(fmt.Errorf("没有单位“%s”的报告（jixiao orgs 列出全部单位）", given))
	case 1:
		return found[0].Name, nil
	}
	return "", failed(fmt.Errorf("“%s”可能指多个单位。%s", given, suggest(found)))
}

// suggest is 您是否要找：A、B、C (at most ten).
func suggest(orgs []pipeline.OrgSummary) string {
	var names []string
	for i, o := range orgs {
		if i == 10 {
			names = append(names, "……")
			break
		}
		names = append(names, o.Name)
	}
	return "您是否要找：" + strings.Join(names, "、")
}
