package ingest

import (
	"regexp"
	"strings"
)

// The loaders (text, PDF, Office) word their errors in English, as Go
// errors are; a reviewer or an operator reads the reason a document failed
// in the store, the inbox's .reason.txt, the export's 未能读取 sheet and the
// upload page. ReasonZH is the one translation of those reasons, applied
// where a failure is recorded and again when an older one is shown.

// reasonPhrases are the loaders' phrases with their Chinese, longest first
// where one contains another.
var reasonPhrases = []struct{ en, zh string }{
	{"unknown text encoding (neither UTF-8, UTF-16 nor GB18030)", "无法识别文字编码（不是 UTF-8、UTF-16 或 GB18030）"},
	{"not a text file (binary content)", "不是文本文件（内容是二进制数据）"},
	{"the PDF has no text layer (a scan?)", "PDF 没有文字层（可能是扫描件）"},
	{"no text layer (scanned PDF)", "没有文字层（扫描件）"},
	{"text layer is not decodable", "文字层无法解码（字体没有字符映射）"},
	{"encrypted (needs a password)", "已加密（需要密码才能打开）"},
	{"PDF took too long to read", "PDF 读取超时"},
	{"PDF input is not supported by this build", "此版本不能读取 PDF"},
	{"file too large for a report", "文件过大，不像一份报告"},
	{"a text report is under", "文本报告应小于"},
	{"internal error while reading", "读取时发生内部错误"},
	{"truncated (no %%EOF at the end)", "文件不完整（末尾没有 %EOF 标记，可能未下载完）"},
	{"truncated (no %EOF at the end)", "文件不完整（末尾没有 %EOF 标记，可能未下载完）"},
	{"the document has no pages", "文件没有页面"},
	{"no pages", "文件没有页面"},
	{"pdfium cannot parse it", "pdfium 无法解析"},
	{"malformed PDF", "PDF 文件已损坏"},
	{"PDF too large when decompressed (a stream over ", "PDF 解压后过大（某个流超过 "},
	{"PDF too large when decompressed (all streams together over ", "PDF 解压后过大（各流合计超过 "},
	{"PDF too large when decompressed (pdfium's memory over ", "PDF 解压后过大（pdfium 内存超过 "},
	{" MB), likely a compression bomb", " MB），疑似压缩炸弹"},
	{"PDF too large", "PDF 过大"},
	{"read before and failed", "此前读取失败"},
	{"is a directory", "是文件夹，不是文件"},
	{"path escapes from parent", "路径经符号链接通向所在文件夹之外，不读取"},
	{"file too large", "文件过大"},
	{"empty file", "文件是空的"},
	{", more than the limit of", "，超过上限"},
	{"more than the limit of", "超过上限"},
	{"content is more than", "内容超过"},
	{"objects nested", "对象嵌套"},
	{"deep (limit", "层（上限"},
	{"ToUnicode map is more than", "ToUnicode 映射超过"},
	{"still being written after", "写入超时："},
	{"no text", "没有文字"},
}

var (
	pagePhrase  = regexp.MustCompile(`\bpage (\d+)`)
	pagesPhrase = regexp.MustCompile(`(\d+) pages\b`)
	bytesPhrase = regexp.MustCompile(`(\d+) bytes\b`)
	limitPhrase = regexp.MustCompile(`\(limit ([^)]*)\)`)
)

// ReasonZH is the Chinese of a failure reason; what it holds in Chinese
// already, names and figures, stays as it is.
func ReasonZH(reason string) string {
	for _, p := range reasonPhrases {
		reason = strings.ReplaceAll(reason, p.en, p.zh)
	}
	reason = pagePhrase.ReplaceAllString(reason, "第 $1 页")
	reason = pagesPhrase.ReplaceAllString(reason, "$1 页")
	reason = bytesPhrase.ReplaceAllString(reason, "$1 字节")
	reason = limitPhrase.ReplaceAllString(reason, "（上限 $1）")
	return strings.ReplaceAll(reason, ": ", "：")
}
