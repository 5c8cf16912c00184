package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/pipeline"
)

func init() {
	rootCmd.AddCommand(newIngestCmd())
	crossYearHook = storeCrossYear
}

func storeCrossYear(ctx context.Context, dbPath string) (func(context.Context, *pipeline.Extraction) error, func() error, error) {
	st, err := openExistingStore(dbPath)
	if err != nil {
		return nil, nil, err
	}
	apply := func(ctx context.Context, ext *pipeline.Extraction) error { return ingest.CrossYear(ctx, st, ext) }
	return apply, st.Close, nil
}

func newIngestCmd() *cobra.Command {
	var (
		db        string
		workers   int
		reprocess bool
		force     bool
		asJSON    bool
	)
	c := &cobra.Command{
		Use:   "ingest [--db PATH] [--workers N] [--reprocess] [--force] PATH...",
		Short: "把报告导入存储（遍历文件夹，已导入的跳过）",
		Long: `ingest 把每个 PATH（文件，或文件夹：按名称取 .txt、.pdf、.docx、.xlsx、.doc、.xls、.wps，
按内容认出改了名的 PDF、Word、Excel；子文件夹一并遍历，隐藏文件和文件夹跳过）中的报告导入存储，
多份同时读取，每份一个事务：中途被终止时，再运行同一命令即可继续。
文件夹中的符号链接不跟随读取，命名管道、设备和套接字也不读取：与不像报告的文件一样，
连同原因列在汇总的“跳过”之下（直接给出的 PATH 是链接时照常读取它指向的文件）。
内容（SHA-256）相同的文件只导入一次，其余计为“已在库中”；读取失败的文件连同原因记录下来，
下次运行时重新读取（仍失败则再次计为失败）。不像绩效自评报告的文本（如会议通知）
被拒绝并说明原因，确需导入时加 --force。
跨年度规则（history.*）把每份报告与同一单位往年的报告比对。
一个 Excel 工作簿含多个项目的自评表（每表一页，或一页上下排列几张）时，每张表各存为一份报告，
汇总中的“共 N 份报告”即计其数；再次读取同一工作簿时各报告按所在工作表保持编号。
同一单位、项目、年度的文本与 PDF 版本或修订后重报的文件，作为同一份报告的不同版本保存。
--reprocess 重新提取已导入的文件（提取程序升级后）；不给 PATH 时重新提取存储中的全部原件，
报告编号和审核标记保持不变。有文件读取失败时退出状态为 1。`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !reprocess {
				return usageError("ingest 需要至少一个 PATH（或 --reprocess）")
			}
			if workers < 0 {
				return usageError("--workers 不能小于 0（0 表示 CPU 数的两倍）")
			}
			st, err := openStore(db)
			if err != nil {
				return err
			}
			defer st.Close()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			sum, err := ingest.Run(ctx, st, args, ingest.Options{
				Runners:   newRunner,
				Workers:   workers,
				Reprocess: reprocess,
				Force:     force,
				Version:   version,
				Progress:  os.Stderr,
				TTY:       isTerminal(os.Stderr),
			})
			if err != nil {
				if ctx.Err() != nil {
					sum.Write(cmd.ErrOrStderr())
					return failed(fmt.Errorf("已中断；再运行同一命令即可继续"))
				}
				return failed(err)
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(sum); err != nil {
					return err
				}
			} else {
				sum.Write(cmd.OutOrStdout())
			}
			if sum.Failed > 0 {
				return failed(nil)
			}
			return nil
		},
	}
	addDBFlag(c, &db)
	c.Flags().IntVarP(&workers, "workers", "j", 0, "同时读取的文件数（0：CPU 数的两倍，使读取与唯一的写入者交错进行）")
	c.Flags().BoolVar(&reprocess, "reprocess", false, "重新提取已导入的文件")
	c.Flags().BoolVar(&force, "force", false, "不像绩效自评报告的文本也导入")
	c.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出汇总")
	return c
}
