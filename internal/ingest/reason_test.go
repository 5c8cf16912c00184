package ingest

import "testing"

// The reasons the loaders give, as stored and shown, read in Chinese.
func TestReasonZH(t *testing.T) {
	cases := []struct{ in, want string }{
		{"broken.pdf: malformed PDF: truncated (no %EOF at the end)", "broken.pdf：PDF 文件已损坏：文件不完整（末尾没有 %EOF 标记，可能未下载完）"},
		{"junk.txt: not a text file (binary content)", "junk.txt：不是文本文件（内容是二进制数据）"},
		{"empty.txt: empty file", "empty.txt：文件是空的"},
		{"scan.pdf: no text layer (scanned PDF)", "scan.pdf：没有文字层（扫描件）"},
		{"x.pdf: PDF too large: 900 pages, more than the limit of 500", "x.pdf：PDF 过大：900 页，超过上限 500"},
		{"x.pdf: malformed PDF: page 3: unexpected EOF", "x.pdf：PDF 文件已损坏：第 3 页：unexpected EOF"},
		{"big.txt: file too large for a report (20 MB; a text report is under 16 MB)", "big.txt：文件过大，不像一份报告 (20 MB; 文本报告应小于 16 MB)"},
		{"报告.docx：文件设有打开密码", "报告.docx：文件设有打开密码"},
		{"bomb.pdf: PDF too large when decompressed (a stream over 256 MB), likely a compression bomb", "bomb.pdf：PDF 解压后过大（某个流超过 256 MB），疑似压缩炸弹"},
		{"bomb.pdf: PDF too large when decompressed (all streams together over 1024 MB), likely a compression bomb", "bomb.pdf：PDF 解压后过大（各流合计超过 1024 MB），疑似压缩炸弹"},
		{"bomb.pdf: PDF too large when decompressed (pdfium's memory over 512 MB), likely a compression bomb", "bomb.pdf：PDF 解压后过大（pdfium 内存超过 512 MB），疑似压缩炸弹"},
	}
	for _, c := range cases {
		if got := ReasonZH(c.in); got != c.want {
			t.Errorf("ReasonZH(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
		if again := ReasonZH(ReasonZH(c.in)); again != ReasonZH(c.in) {
			t.Errorf("translating twice changes %q", c.in)
		}
	}
}
