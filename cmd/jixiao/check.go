package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

func init() { rootCmd.AddCommand(newCheckCmd()) }

// checkOptions are the flags of `jixiao check`.
type checkOptions struct {
	format string // text | md | html | json
	failOn string // error | warning | info | never
	db     string // store for the cross-year rules; "" for none
	output string // file to write; "" for stdout
	stderr io.Writer
}

func newCheckCmd() *cobra.Command {
	var o checkOptions
	c := &cobra.Command{
		Use:   "check [--format text|md|html|json] [--fail-on error|warning|info|never] [--db PATH] [-o FILE] 文件...",
		Short: "核对报告，生成供审核人员阅读的审核结果",
		Long: `check 读取每个文件（PDF、扫描件与图片、Word、Excel 或文本），运行一致性规则，生成审核结果：
报告的基本信息和主要数据，按严重程度分组的发现（附数据和原文依据），以及逐行重新计分的指标表。

格式：text（终端阅读；仅当标准输出是终端且未设置 NO_COLOR 时着色）、md（Markdown）、
html（一个独立网页，正文中高亮每项发现的依据，不从网络加载任何内容）、
json（extract 约定；多个文件时为 JSON Lines）。

给出 --db 时，跨年度规则（history.*）把每份报告与该存储中同一单位往年的报告比对。
给出 -o 时结果写入文件，标准错误上说明写入了什么、发现了多少问题。

退出状态：有报告出现 --fail-on（默认 error）及以上严重程度的发现，或有文件未能读取时为 1；
用法错误为 2；否则为 0。`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.stderr = cmd.ErrOrStderr()
			return runCheck(cmd.Context(), cmd.OutOrStdout(), args, o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.format, "format", "text", "输出格式：text、md、html 或 json")
	f.StringVar(&o.failOn, "fail-on", pipeline.SeverityError, "出现此严重程度及以上的发现时退出状态为 1：error（错误）、warning（警告）、info（提示）或 never")
	f.StringVar(&o.db, "db", "", "跨年度规则用来比对往年报告的存储（SQLite 文件或 postgres:// 地址）")
	addOutputFlag(c, &o.output)
	return c
}

// failRank is the lowest severity rank that fails the run; 0 for never.
func (o checkOptions) failRank() (int, error) {
	if o.failOn == "never" {
		return 0, nil
	}
	if r := pipeline.SeverityRank(o.failOn); r > 0 {
		return r, nil
	}
	return 0, usageError("--fail-on 只能是 error、warning、info 或 never，不能是 %q", o.failOn)
}

func (o checkOptions) validate() error {
	switch o.format {
	case "text", "md", "html", "json":
	default:
		return usageError("--format 只能是 text、md、html 或 json，不能是 %q", o.format)
	}
	_, err := o.failRank()
	return err
}

func runCheck(ctx context.Context, stdout io.Writer, files []string, o checkOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	crossYear, closeStore, err := openCrossYear(ctx, o.db)
	if err != nil {
		return err
	}
	defer closeStore()

	// With -o the report is built in memory and the file written only when
	// something was read, so a failed run leaves no empty report behind.
	var out io.Writer = stdout
	var buf bytes.Buffer
	if o.output != "" {
		out = &buf
	}
	color := o.format == "text" && o.output == "" && isTerminal(stdout) && os.Getenv("NO_COLOR") == ""

	var exts []*pipeline.Extraction
	readErr := forEachFile(ctx, files, func(ext *pipeline.Extraction) error {
		if err := crossYear(ctx, ext); err != nil {
			return fmt.Errorf("%s：跨年度规则：%w", ext.Source.Name, err)
		}
		exts = append(exts, ext)
		if o.format == "html" {
			return nil // one page for all reports, written below
		}
		return writeCheck(out, ext, o.format, color, len(exts) > 1)
	})
	if _, isExit := readErr.(*exitError); readErr != nil && !isExit {
		return readErr // writing failed: stop here
	}
	if len(exts) > 0 {
		if o.format == "html" {
			if err := report.HTMLPage(out, exts); err != nil {
				return err
			}
		}
		if o.output != "" {
			if err := writeFile(o.output, buf.Bytes()); err != nil {
				return err
			}
			o.written(exts)
		}
	}
	if readErr != nil {
		return readErr
	}
	return o.verdict(exts)
}

// written says on stderr what -o wrote: a report written to a file is
// not in front of the reviewer, who must still learn that it found errors.
func (o checkOptions) written(exts []*pipeline.Extraction) {
	if o.stderr == nil {
		return
	}
	counts := map[string]int{}
	for _, ext := range exts {
		for _, f := range ext.Findings {
			counts[f.Severity]++
		}
	}
	msg := fmt.Sprintf("已写入 %s：%d 份报告，错误 %d 项，警告 %d 项，提示 %d 项", o.output, len(exts),
		counts[pipeline.SeverityError], counts[pipeline.SeverityWarning], counts[pipeline.SeverityInfo])
	if rank, _ := o.failRank(); rank > 0 && worstRank(exts) >= rank {
		msg += "（达到 --fail-on " + o.failOn + "，退出状态为 1）"
	}
	fmt.Fprintln(o.stderr, msg)
}

// verdict fails the run (exit 1, nothing more to say: the report said it)
// when a finding at or above --fail-on is present.
func (o checkOptions) verdict(exts []*pipeline.Extraction) error {
	rank, err := o.failRank()
	if err != nil {
		return err
	}
	if rank > 0 && worstRank(exts) >= rank {
		return failed(nil)
	}
	return nil
}

// writeCheck writes one extraction in a streaming format; later ones are
// set apart from the previous one.
func writeCheck(w io.Writer, ext *pipeline.Extraction, format string, color, more bool) error {
	switch format {
	case "json":
		return writeJSONLine(w, ext)
	case "md":
		if more {
			if _, err := io.WriteString(w, "\n---\n\n"); err != nil {
				return err
			}
		}
		return report.Markdown(w, ext)
	default:
		if more {
			if _, err := io.WriteString(w, "────────────────────────────────────────\n\n"); err != nil {
				return err
			}
		}
		return report.Text(w, ext, color)
	}
}

// worstRank is the rank of the most serious finding of all extractions.
func worstRank(exts []*pipeline.Extraction) int {
	worst := 0
	for _, ext := range exts {
		for _, f := range ext.Findings {
			worst = max(worst, pipeline.SeverityRank(f.Severity))
		}
	}
	return worst
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// crossYearHook opens the store at dbPath and returns the function that adds
// the cross-year findings (history.*) to an extraction, and the store's
// closer. The store wiring (ingest.go) sets it; while it is nil, --db is
// refused.
var crossYearHook func(ctx context.Context, dbPath string) (apply func(context.Context, *pipeline.Extraction) error, closeStore func() error, err error)

// openCrossYear returns the cross-year step for --db; without --db it does
// nothing.
func openCrossYear(ctx context.Context, dbPath string) (func(context.Context, *pipeline.Extraction) error, func(), error) {
	none := func(context.Context, *pipeline.Extraction) error { return nil }
	if dbPath == "" {
		return none, func() {}, nil
	}
	if crossYearHook == nil {
		return nil, nil, usageError("--db：此版本不能运行跨年度规则")
	}
	apply, closeStore, err := crossYearHook(ctx, dbPath)
	if err != nil {
		if _, ok := err.(*exitError); !ok {
			err = failed(fmt.Errorf("--db %s: %w", dbPath, err))
		}
		return nil, nil, err
	}
	return apply, func() { closeStore() }, nil
}
