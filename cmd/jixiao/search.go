package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/report"
)

func init() { rootCmd.AddCommand(newSearchCmd()) }

func newSearchCmd() *cobra.Command {
	var db, format, output string
	var limit int
	c := &cobra.Command{
		Use:   "search [--limit N] [--format text|json] [--db PATH] [-o FILE] 词语...",
		Short: "在已入库报告的正文中搜索词语",
		Long: `search 在已入库报告（每份报告取最新版本）的全文索引中查找词语：每个词语都必须出现
（按原样，中文亦然），最匹配的在前，每份附第一个词语前后的片段。`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("--format 只能是 text 或 json，不能是 %q", format)
			}
			query := strings.Join(args, " ")
			if strings.TrimSpace(query) == "" {
				return usageError("search 需要要搜索的词语")
			}
			st, err := openExistingStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			hits, err := st.Search(cmd.Context(), query, limit)
			if err != nil {
				return failed(err)
			}
			return writeOutput(cmd.OutOrStdout(), output, func(w io.Writer) error {
				if format == "json" {
					return writeJSONIndented(w, hits)
				}
				if len(hits) == 0 {
					_, err := fmt.Fprintln(w, "没有找到匹配的报告。")
					return err
				}
				for _, h := range hits {
					fmt.Fprintf(w, "报告 %d：%s %s %s（%s）\n    %s\n", h.ReportID, h.Organization, report.Year(h.Year), h.Project, h.Name, h.Snippet)
				}
				return nil
			})
		},
	}
	addReadOnlyDBFlag(c, &db)
	c.Flags().IntVarP(&limit, "limit", "n", 20, "最多列出的报告数")
	c.Flags().StringVar(&format, "format", "text", "输出格式：text 或 json")
	addOutputFlag(c, &output)
	return c
}
