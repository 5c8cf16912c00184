package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkScanVsScript reads the same scanned PDFs two ways, side by side
// in one run, and prints both rates and their ratio (target: jixiao ≥ 2×
// the script's pages per second on 2 cores) with each one's peak RSS:
//
//   - jixiao: one `jixiao extract` process over every file, as a reviewer
//     or a batch calls it (pages recognised in parallel, engines reused);
//   - the plain script a user would write: pdftoppm at 200 dpi, then
//     `tesseract -l chi_sim --psm 6` page after page, then `jixiao extract`
//     on the text.
//
// It reads ../shared/corpus/scan when present (28 pages), else the scanned
// fixtures in testdata/scan. Needs pdftoppm and tesseract (make deps).
func BenchmarkScanVsScript(b *testing.B) {
	files, _ := filepath.Glob("../../../shared/corpus/scan/*.pdf")
	if len(files) == 0 {
		files, _ = filepath.Glob("../../testdata/scan/*.pdf")
	}
	for _, tool := range []string{"pdftoppm", "tesseract"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("%s not installed (make deps)", tool)
		}
	}
	bin := filepath.Join(b.TempDir(), "jixiao")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatal(err)
	}
	pages := 0
	for _, f := range files {
		pages += pdfPages(b, f)
	}
	exec.Command(bin, "extract", files[0]).Run() // fills pdfium's compilation cache, like any first run
	var script, ours time.Duration
	var scriptRSS, ourRSS int64
	for b.Loop() {
		d, rss := runScript(b, bin, files)
		script += d
		scriptRSS = max(scriptRSS, rss)
		d, rss = runExtract(b, bin, files)
		ours += d
		ourRSS = max(ourRSS, rss)
	}
	n := float64(b.N)
	scriptRate := float64(pages) * n / script.Seconds()
	ourRate := float64(pages) * n / ours.Seconds()
	b.ReportMetric(ourRate, "jixiao-pages/s")
	b.ReportMetric(scriptRate, "script-pages/s")
	b.ReportMetric(ourRate/scriptRate, "ratio")
	b.ReportMetric(float64(ourRSS)/1024, "jixiao-MB-peak-RSS")
	b.ReportMetric(float64(scriptRSS)/1024, "script-MB-peak-RSS")
	fmt.Printf("%d files, %d pages: jixiao %.2f pages/s (%.0f MB peak RSS), script %.2f pages/s (%.0f MB): %.2f×\n",
		len(files), pages, ourRate, float64(ourRSS)/1024, scriptRate, float64(scriptRSS)/1024, ourRate/scriptRate)
}

func runExtract(b *testing.B, bin string, files []string) (time.Duration, int64) {
	cmd := exec.Command(bin, append([]string{"extract"}, files...)...)
	start := time.Now()
	if out, err := cmd.Output(); err != nil || len(out) == 0 {
		b.Fatalf("jixiao extract: %v", err)
	}
	return time.Since(start), maxRSS(cmd)
}

// runScript is the script, file after file, page after page.
func runScript(b *testing.B, bin string, files []string) (time.Duration, int64) {
	dir := b.TempDir()
	var peak int64
	start := time.Now()
	for i, f := range files {
		prefix := filepath.Join(dir, fmt.Sprintf("f%d", i))
		render := exec.Command("pdftoppm", "-r", "200", "-gray", f, prefix)
		if err := render.Run(); err != nil {
			b.Fatalf("pdftoppm %s: %v", f, err)
		}
		peak = max(peak, maxRSS(render))
		imgs, _ := filepath.Glob(prefix + "-*.pgm")
		var text strings.Builder
		for _, img := range sortPages(imgs) {
			ocr := exec.Command("tesseract", img, "stdout", "-l", "chi_sim", "--psm", "6")
			out, err := ocr.Output()
			if err != nil {
				b.Fatalf("tesseract %s: %v", img, err)
			}
			peak = max(peak, maxRSS(ocr))
			text.Write(out)
			text.WriteString("\f")
		}
		txt := prefix + ".txt"
		if err := os.WriteFile(txt, []byte(text.String()), 0o644); err != nil {
			b.Fatal(err)
		}
		extract := exec.Command(bin, "extract", txt)
		if _, err := extract.Output(); err != nil {
			b.Fatalf("jixiao extract %s: %v", txt, err)
		}
		peak = max(peak, maxRSS(extract))
	}
	return time.Since(start), peak
}

// sortPages orders pdftoppm's page files by page number (p-2 before p-10).
func sortPages(files []string) []string {
	num := func(s string) int {
		var n int
		fmt.Sscanf(s[strings.LastIndexByte(s, '-')+1:], "%d", &n)
		return n
	}
	for i := 1; i < len(files); i++ {
		for j := i; j > 0 && num(files[j]) < num(files[j-1]); j-- {
			files[j], files[j-1] = files[j-1], files[j]
		}
	}
	return files
}

func pdfPages(b *testing.B, file string) int {
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		b.Fatalf("pdfinfo %s: %v", file, err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(l, "Pages:"); ok {
			var n int
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &n)
			return n
		}
	}
	b.Fatalf("pdfinfo %s: no page count", file)
	return 0
}

func maxRSS(cmd *exec.Cmd) int64 {
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss // KiB on Linux
	}
	return 0
}
