// Command jixiao reads budget-performance self-evaluation reports
// (绩效自评报告), extracts their figures, checks them against each other,
// and keeps them for year-over-year review.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/office"
)

// version is the extractor version recorded with every stored document.
var version = "0.1.0"

var rootCmd = &cobra.Command{
	Use:   "jixiao",
	Short: "读取、核对和逐年对比绩效自评报告",
	Long: `jixiao 读取绩效自评报告（PDF、扫描件与图片、Word、Excel 或文本：UTF-8、UTF-16、GB18030），
提取其中的数据并附原文依据，核对数据之间是否一致，保存下来供审核人员逐年对比、标记和出具审核意见。

常用：
  jixiao ingest 报告目录/            导入报告
  jixiao serve                       审核人员的网页界面 http://127.0.0.1:8080
  jixiao check 报告.pdf              核对一份报告
  jixiao review show 编号            查看、标记一份报告的审核
  jixiao letter 编号                 生成审核意见书（Word）
  jixiao trend --org 单位            逐年对比`,
	SilenceUsage:  true,
	SilenceErrors: true,
	Version:       version,
}

// exitError carries a process exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

// usageError marks a command-line mistake (exit 2).
func usageError(format string, a ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, a...)}
}

// failed marks a run that did its work but must exit 1 (a file could not be
// read, a finding at or above --fail-on). A nil err prints nothing.
func failed(err error) error { return &exitError{code: 1, err: err} }

func main() {
	rootCmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: 2, err: err}
	})
	chineseHelp(rootCmd)
	err := rootCmd.Execute()
	office.Cleanup() // the LibreOffice profile of this process, if one was made
	if err == nil {
		return
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	} else if isUsage(err) {
		code = 2
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(os.Stderr, "jixiao："+cobraErrorZH(msg))
	}
	os.Exit(code)
}

// isUsage recognises cobra's own argument errors (unknown command, wrong
// number of arguments), which are usage errors.
func isUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "unknown flag", "unknown shorthand"} {
		if len(msg) >= len(p) && contains(msg, p) {
			return true
		}
	}
	return false
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
