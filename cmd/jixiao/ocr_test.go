package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/pipeline"
)

const scans = "../../testdata/scan/"

// A scanned file goes through the same command as any other: extract says
// it was OCR'd, with each page's confidence, and the review report tells
// the reader so.
func TestScannedExtractAndCheck(t *testing.T) {
	out, errOut, code := runJixiao(t, nil, "extract", "--format", "json", scans+"table-seal.pdf")
	if code != 0 {
		t.Fatalf("extract: exit %d: %s", code, errOut)
	}
	var ext pipeline.Extraction
	if err := json.Unmarshal([]byte(out), &ext); err != nil {
		t.Fatal(err)
	}
	if ext.Source.Extractor != "ocr" || ext.Source.OCR == nil || len(ext.Source.OCR.Pages) != 1 || ext.Source.OCR.Pages[0].Confidence <= 0 {
		t.Errorf("source %+v, want extractor ocr and page 1's confidence", ext.Source)
	}
	if !strings.Contains(out, `"confidence":`) {
		t.Errorf("no evidence carries OCR's confidence")
	}
	out, errOut, _ = runJixiao(t, nil, "check", "--format", "text", "--fail-on", "never", scans+"table-seal.pdf")
	if !strings.Contains(out, "扫描件，OCR 识别") {
		t.Errorf("the review report does not say the document was OCR'd:\n%s%s", out, errOut)
	}
	out, errOut, code = runJixiao(t, nil, "extract", scans+"pages.tif")
	if code != 0 || !strings.Contains(out, `"format":"image"`) {
		t.Errorf("a TIFF of two pages: exit %d, %s%s", code, out, errOut)
	}
}

// Without Tesseract's Chinese data a scanned PDF gets today's error and
// the line that installs it, in Chinese; a text file is read as ever.
func TestScannedWithoutTesseract(t *testing.T) {
	env := []string{"TESSDATA_PREFIX=/nonexistent"}
	_, errOut, code := runJixiao(t, env, "extract", scans+"table-seal.pdf")
	if code != 1 || !strings.Contains(errOut, "没有文字层（扫描件）") || !strings.Contains(errOut, "apt-get install tesseract-ocr tesseract-ocr-chi-sim") {
		t.Errorf("exit %d, stderr %q; want today's error and the install line", code, errOut)
	}
	if !strings.HasPrefix(errOut, "jixiao：table-seal.pdf：没有文字层") {
		t.Errorf("stderr does not open with the file's one-line error: %q", errOut)
	}
	if _, errOut, code := runJixiao(t, env, "extract", redcross); code != 0 {
		t.Errorf("a text report without Tesseract: exit %d, %s", code, errOut)
	}
}
