package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

func init() { rootCmd.AddCommand(newExtractCmd()) }

func newExtractCmd() *cobra.Command {
	var format, output string
	c := &cobra.Command{
		Use:   "extract [--format json|text] [-o FILE] 文件...",
		Short: "提取报告中的数据（v1 JSON 约定，或供阅读的文本）",
		Long: `extract 读取每个文件（文本、PDF、Word .docx/.doc/.wps、Excel .xlsx/.xls、扫描件 PDF 与图片 .png/.jpg/.tif（OCR），按内容识别），
输出提取结果：单位、项目、年度、预算、资金分项、指标表、得分、等级、问题、建议、章节和日期，
每项附原文依据，以及一致性检查的发现。JSON 遵循 extract-v1 约定；多个文件，或一个含多个
项目自评表的工作簿（每个项目一份报告，带 source.sheet），输出 JSON Lines（每行一个对象）。
--format text 输出供人阅读的中文摘要。
退出状态：全部读取成功为 0；有文件未能读取为 1（其余文件照常处理）；用法错误为 2。`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" && format != "text" {
				return usageError("--format 只能是 json 或 text，不能是 %q", format)
			}
			return writeOutput(cmd.OutOrStdout(), output, func(w io.Writer) error {
				return forEachFile(cmd.Context(), args, func(ext *pipeline.Extraction) error {
					if format == "text" {
						return writeExtractText(w, ext)
					}
					return writeJSONLine(w, ext)
				})
			})
		},
	}
	c.Flags().StringVar(&format, "format", "json", "输出格式：json 或 text")
	addOutputFlag(c, &output)
	return c
}

// forEachFile runs the pipeline over each file and hands every extraction to
// out, in the order of files (a workbook's reports in sheet order). Files are read on every core, one pipeline
// (and PDF engine) per worker; out sees them one at a time. A file that
// cannot be read is reported on stderr with its reason and the others go
// on; the result is then an exit-1 error.
func forEachFile(ctx context.Context, files []string, out func(*pipeline.Extraction) error) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := readAll(ctx, files, runtime.GOMAXPROCS(0))
	bad := 0
	var outErr error
	for i := range files {
		r := <-results[i]
		switch {
		case outErr != nil:
		case r.err != nil:
			bad++
			fmt.Fprintln(os.Stderr, "jixiao："+ingest.ReasonZH(r.err.Error()))
		default:
			for _, ext := range r.exts {
				if err := out(ext); err != nil {
					outErr = err
					cancel() // stop reading; drain what is in flight
					break
				}
			}
		}
	}
	if outErr != nil {
		return outErr
	}
	if bad > 0 {
		return failed(fmt.Errorf("%d 个文件中有 %d 个未能读取", len(files), bad))
	}
	return nil
}

type readResult struct {
	exts []*pipeline.Extraction // one per report the file holds
	err  error
}

// readAll reads files on workers goroutines and returns one channel per
// file, each receiving that file's result. At most a few files per worker
// are read ahead of the one the caller waits for, so memory stays bounded
// however many files there are.
func readAll(ctx context.Context, files []string, workers int) []chan readResult {
	workers = max(1, min(workers, len(files)))
	results := make([]chan readResult, len(files))
	for i := range results {
		results[i] = make(chan readResult, 1)
	}
	jobs := make(chan int)
	ahead := make(chan struct{}, 4*workers) // files read but not yet taken
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				for ; i < len(files); i++ {
					results[i] <- readResult{err: fmt.Errorf("%s: %w", files[i], ctx.Err())}
				}
				return
			}
			jobs <- i
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			runner, closeRunner := newRunner()
			defer closeRunner()
			for i := range jobs {
				exts, err := readOne(ctx, runner, files[i])
				results[i] <- readResult{exts, err}
				<-ahead
			}
		}()
	}
	return results
}

// maxFileSize bounds what one report may weigh; larger files are refused
// before they are read into memory.
const maxFileSize = 256 << 20

func readOne(ctx context.Context, runner *run.Runner, path string) ([]*pipeline.Extraction, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("%s: file too large (%d bytes, limit %d)", path, st.Size(), maxFileSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	return runner.Reports(ctx, filepath.Base(path), data)
}

// fileError names the file first, as every per-file error does:
// "report.txt: no such file or directory", not "stat report.txt: …".
func fileError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", path, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
