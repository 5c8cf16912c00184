package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/letter"
	"github.com/jixiao/jixiao/internal/report"
)

func init() { rootCmd.AddCommand(newLetterCmd()) }

func newLetterCmd() *cobra.Command {
	var db, format, output, reviewer, date string
	c := &cobra.Command{
		Use:   "letter REPORT [--format docx|html] [-o FILE] [--reviewer 姓名] [--date 2006-01-02] [--db PATH]",
		Short: "生成报告的审核意见书（可编辑的 Word 文档，或可打印的网页）",
		Long: `letter 生成一份已入库报告的审核意见书：单位、项目、年度、主要数据，
审核人员标为“已核实”的发现及其原文依据和数据、对每项发现的整改要求，
标为“已整改”的事项，审核人和日期。

--format docx（默认）生成可在 Word、WPS 中修改后发出的 .docx；
--format html 生成按 A4 排版的网页，用浏览器“打印”即可打印或另存为 PDF。
不给 -o 时写入当前目录的“审核意见书-单位-年度.docx”（或 .html）；-o - 写到标准输出。
REPORT 是报告编号或已入库文件的路径；审核人默认取报告状态的审核人。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "docx" && format != "html" {
				return usageError("--format 只能是 docx 或 html，不能是 %q", format)
			}
			when := time.Now()
			if date != "" {
				t, err := time.ParseInLocation("2006-01-02", date, time.Local)
				if err != nil {
					return usageError("--date 应写作 2025-03-04，不能是 %q", date)
				}
				when = t
			}
			st, rep, err := openReport(cmd.Context(), db, args[0])
			if err != nil {
				return err
			}
			defer st.Close()
			ctx := cmd.Context()
			rev, err := report.LoadReview(ctx, st, rep.ID)
			if err != nil {
				return failed(err)
			}
			l := letter.New(rep, rev, reviewer, when)
			write := func(w io.Writer) error { return l.DOCX(w) }
			if format == "html" {
				write = func(w io.Writer) error { return l.HTML(w, "") }
			}
			switch output {
			case "-":
				return write(cmd.OutOrStdout())
			case "":
				output = l.FileName(format)
			}
			if err := writeFileWith(output, write); err != nil {
				return failed(err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "已生成审核意见书：%s（确认的问题 %d 项）\n", output, len(l.Findings))
			return nil
		},
	}
	addReadOnlyDBFlag(c, &db)
	c.Flags().StringVar(&format, "format", "docx", "输出格式：docx 或 html")
	addOutputFlag(c, &output)
	c.Flags().StringVar(&reviewer, "reviewer", "", "署名的审核人（默认取报告状态的审核人）")
	c.Flags().StringVar(&date, "date", "", "意见书日期，如 2025-03-04（默认今天）")
	return c
}
