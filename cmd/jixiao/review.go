package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

func init() { rootCmd.AddCommand(newReviewCmd()) }

// reviewerEnv names the environment variable that says who is reviewing,
// when --reviewer is not given.
const reviewerEnv = "JIXIAO_REVIEWER"

func newReviewCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "review",
		Short: "审核：查看报告的审核情况，标记发现（已核实/误报/已整改），设置报告状态",
		Long: `review 记录审核人员对一份已入库报告的审核：

  jixiao review show REPORT                         查看报告状态、各项发现（按严重程度排序、带编号）及其标记
  jixiao review mark REPORT N 已核实 [--comment 意见]  标记第 N 项发现：已核实、误报、已整改；“无”清除标记
  jixiao review status REPORT 审核中 [--comment 意见]  设置报告状态：待审、审核中、已审、退回

REPORT 是报告编号（网页地址 /reports/编号 中的数字），或一份已入库文件的路径。
标记按“规则 + 引文”记录：同一文件重新提取后标记仍在；同一单位下一年度报告
在同一段落上出现同一发现时，往年的“误报”标记会在 show 中提示沿用。
审核人取 --reviewer，否则环境变量 ` + reviewerEnv + `，否则本机用户名。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	c.AddCommand(newReviewShowCmd(), newReviewMarkCmd(), newReviewStatusCmd())
	return c
}

// reviewFlags are the flags every review subcommand shares.
type reviewFlags struct {
	db, reviewer, comment, format string
}

func (f *reviewFlags) add(c *cobra.Command, writes bool) {
	addReadOnlyDBFlag(c, &f.db)
	if writes {
		c.Flags().StringVar(&f.reviewer, "reviewer", "", "审核人姓名（默认取环境变量 "+reviewerEnv+"，否则本机用户名）")
		c.Flags().StringVar(&f.comment, "comment", "", "审核意见")
	} else {
		c.Flags().StringVar(&f.format, "format", "text", "输出格式：text 或 json")
	}
}

// who is the reviewer a write is recorded under.
func (f *reviewFlags) who() string {
	if s := strings.TrimSpace(f.reviewer); s != "" {
		return s
	}
	if s := strings.TrimSpace(os.Getenv(reviewerEnv)); s != "" {
		return s
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// openReport opens the store at db and finds the report arg names in it;
// the caller closes the store.
func openReport(ctx context.Context, db, arg string) (store, *pipeline.StoredReport, error) {
	st, err := openExistingStore(db)
	if err != nil {
		return nil, nil, err
	}
	rep, err := resolveReport(ctx, st, arg)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, rep, nil
}

// resolveReport finds the report an argument names: its number, or a file
// whose bytes are stored.
func resolveReport(ctx context.Context, st store, arg string) (*pipeline.StoredReport, error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil && id > 0 {
		rep, err := st.Report(ctx, id)
		if err != nil {
			return nil, failed(err)
		}
		if rep == nil {
			return nil, failed(fmt.Errorf("没有编号为 %d 的报告", id))
		}
		return rep, nil
	}
	data, err := ingest.ReadFile(arg)
	if err != nil {
		return nil, usageError("REPORT 应为报告编号或已入库文件的路径：%s", ingest.ReasonZH(err.Error()))
	}
	ids, err := st.ReportIDs(ctx, sha256Hex(data))
	if err != nil {
		return nil, failed(err)
	}
	switch {
	case len(ids) == 0:
		return nil, failed(fmt.Errorf("%s 尚未入库（请先运行 jixiao ingest）", arg))
	case len(ids) > 1:
		return nil, failed(fmt.Errorf("%s 含 %d 份报告（编号 %s），请用报告编号指定其中一份", arg, len(ids), joinIDs(ids)))
	}
	return st.Report(ctx, ids[0])
}

// reviewView is `review show --format json`.
type reviewView struct {
	ReportID     int64                    `json:"report_id"`
	Organization string                   `json:"organization"`
	Project      string                   `json:"project"`
	Year         int                      `json:"year"`
	State        pipeline.ReviewState     `json:"state"`
	Findings     []report.ReviewedFinding `json:"findings"`
	Offered      []pipeline.OfferedMark   `json:"offered"`
}

func newReviewShowCmd() *cobra.Command {
	var f reviewFlags
	c := &cobra.Command{
		Use:   "show REPORT",
		Short: "查看报告的审核状态和各项发现的标记",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.format != "text" && f.format != "json" {
				return usageError("--format 只能是 text 或 json，不能是 %q", f.format)
			}
			st, rep, err := openReport(cmd.Context(), f.db, args[0])
			if err != nil {
				return err
			}
			defer st.Close()
			ctx := cmd.Context()
			v, err := buildReviewView(ctx, st, rep)
			if err != nil {
				return failed(err)
			}
			if f.format == "json" {
				return writeJSONIndented(cmd.OutOrStdout(), v)
			}
			writeReviewText(cmd.OutOrStdout(), v)
			return nil
		},
	}
	f.add(c, false)
	return c
}

func buildReviewView(ctx context.Context, st store, rep *pipeline.StoredReport) (*reviewView, error) {
	rev, err := report.LoadReview(ctx, st, rep.ID)
	if err != nil {
		return nil, err
	}
	offered, err := st.OfferedMarks(ctx, rep.ID)
	if err != nil {
		return nil, err
	}
	r := rep.Extraction.Report
	return &reviewView{ReportID: rep.ID, Organization: r.Organization, Project: r.Project, Year: r.Year,
		State: rev.State, Findings: rev.ReviewedFindings(rep.Extraction.Findings), Offered: offered}, nil
}

func writeReviewText(w io.Writer, v *reviewView) {
	rev := &report.Review{State: v.State}
	project := v.Project
	if project == "" {
		project = "部门整体"
	}
	fmt.Fprintf(w, "报告 %d：%s｜%s｜%s\n", v.ReportID, report.OrDash(v.Organization), project, report.Year(v.Year))
	fmt.Fprintf(w, "审核状态：%s\n", rev.StatusText())
	if c := strings.TrimSpace(v.State.Comment); c != "" {
		fmt.Fprintf(w, "审核意见：%s\n", c)
	}
	if len(v.Findings) == 0 {
		fmt.Fprintln(w, "未发现问题。")
	}
	offered := map[string]pipeline.OfferedMark{}
	for _, o := range v.Offered {
		offered[o.Key] = o
	}
	for _, fd := range v.Findings {
		fmt.Fprintf(w, "%d. [%s] %s（%s）%s\n", fd.N, report.Severity(fd.Severity), report.RuleName(fd.Rule), fd.Rule, fd.Message)
		if fd.Mark != nil {
			fmt.Fprintf(w, "   标记：%s\n", report.MarkText(fd.Mark))
		} else if o, ok := offered[fd.Key]; ok {
			fmt.Fprintf(w, "   %d年报告曾标为误报：%s（沿用：jixiao review mark %d %d 误报）\n", o.Year, report.MarkText(&o.Mark), v.ReportID, fd.N)
		}
	}
}

func newReviewMarkCmd() *cobra.Command {
	var f reviewFlags
	c := &cobra.Command{
		Use:   "mark REPORT N 已核实|误报|已整改|无",
		Short: "标记一项发现：已核实、误报、已整改（“无”清除标记）",
		Long: `mark 标记报告的第 N 项发现（编号见 jixiao review show，按严重程度排序），
N 也可以是发现的标识（show --format json 中的 finding_key）。
标记为 已核实、误报、已整改（也接受 confirmed、false_alarm、fixed），“无”清除。`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			status, ok := report.ParseMark(args[2])
			if !ok {
				return usageError("标记只能是 已核实、误报、已整改 或 无，不能是 %q", args[2])
			}
			st, rep, err := openReport(cmd.Context(), f.db, args[0])
			if err != nil {
				return err
			}
			defer st.Close()
			ctx := cmd.Context()
			fd, err := pickFinding(rep, args[1])
			if err != nil {
				return err
			}
			m := pipeline.MarkOf(rep.ID, fd)
			m.Status, m.Comment, m.Reviewer = status, f.comment, f.who()
			if err := st.SetMark(ctx, m); err != nil {
				return failed(err)
			}
			if status == "" {
				fmt.Fprintf(cmd.OutOrStdout(), "已清除报告 %d 第 %s 项发现的标记。\n", rep.ID, args[1])
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "报告 %d 第 %s 项发现（%s）已标记为%s。\n", rep.ID, args[1], report.RuleName(fd.Rule), report.MarkLabel(status))
			return nil
		},
	}
	f.add(c, true)
	return c
}

// pickFinding is the finding an argument names: its number in the order
// `show` lists (most serious first), or its key.
func pickFinding(rep *pipeline.StoredReport, arg string) (pipeline.Finding, error) {
	fs := report.SortBySeverity(rep.Extraction.Findings)
	if n, err := strconv.Atoi(arg); err == nil {
		if n < 1 || n > len(fs) {
			return pipeline.Finding{}, usageError("报告 %d 有 %d 项发现，没有第 %d 项", rep.ID, len(fs), n)
		}
		return fs[n-1], nil
	}
	for _, f := range fs {
		if pipeline.FindingKey(f) == arg {
			return f, nil
		}
	}
	return pipeline.Finding{}, usageError("报告 %d 没有标识为 %q 的发现", rep.ID, arg)
}

func newReviewStatusCmd() *cobra.Command {
	var f reviewFlags
	c := &cobra.Command{
		Use:   "status REPORT 待审|审核中|已审|退回",
		Short: "设置报告的审核状态",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			status, ok := report.ParseReviewStatus(args[1])
			if !ok {
				return usageError("状态只能是 待审、审核中、已审 或 退回，不能是 %q", args[1])
			}
			st, rep, err := openReport(cmd.Context(), f.db, args[0])
			if err != nil {
				return err
			}
			defer st.Close()
			ctx := cmd.Context()
			err = st.SetReviewState(ctx, pipeline.ReviewState{ReportID: rep.ID, Status: status, Comment: f.comment, Reviewer: f.who()})
			if err != nil {
				return failed(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "报告 %d 的审核状态已设为%s。\n", rep.ID, report.ReviewLabel(status))
			return nil
		},
	}
	f.add(c, true)
	return c
}

// joinIDs lists report ids for a person: 3、4、5.
func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, "、")
}
