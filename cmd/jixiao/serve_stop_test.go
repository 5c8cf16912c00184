package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/pdf/pdftest"
	"github.com/jixiao/jixiao/internal/sqlite"
)

// longScan is a scanned PDF of the given number of pages, each the same
// photographed page: reading it means OCR of every page, most of a minute
// for 300.
func longScan(t *testing.T, pages int) []byte {
	t.Helper()
	img, err := os.ReadFile("../../testdata/scan/tilted.jpg")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	kids := make([]string, pages)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 5+i)
	}
	content := "q 595 0 0 842 0 0 cm /Im0 Do Q"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream",
			cfg.Width, cfg.Height, len(img), img),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	for range pages {
		objs = append(objs, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 3 0 R >> >> /Contents 4 0 R >>")
	}
	return pdftest.Assemble("1.4", objs...)
}

// TestServeStopsWithinItsDeadlineDuringALongRead: SIGTERM while the inbox
// reads a long scan ends `serve` within intakeStopDeadline, with status 0;
// the scan is not stored, nor moved out of the inbox, for the next run.
func TestServeStopsWithinItsDeadlineDuringALongRead(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a long scan")
	}
	bin := checkBinary(t)
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	scan := filepath.Join(inbox, "scan.pdf")
	if err := os.WriteFile(scan, longScan(t, 300), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour) // quiet long since: taken at once
	os.Chtimes(scan, old, old)
	db := filepath.Join(dir, "j.db")

	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--inbox", inbox, "--schedule", "@every 1h")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() }) // after a failure; harmless once it exited
	var log strings.Builder
	lines := bufio.NewScanner(stderr)
	for lines.Scan() && !strings.Contains(lines.Text(), "msg=正在读取") {
		log.WriteString(lines.Text() + "\n")
	}
	go io.Copy(io.Discard, stderr)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(intakeStopDeadline + 5*time.Second):
		t.Fatalf("serve still running %s after SIGTERM (deadline %s); log:\n%s", time.Since(start), intakeStopDeadline, log.String())
	}
	t.Logf("stopped %s after SIGTERM", time.Since(start))
	if _, err := os.Stat(scan); err != nil {
		t.Errorf("the scan is no longer in the inbox: %v", err)
	}
	for _, sub := range []string{"done", "failed"} {
		if left, _ := os.ReadDir(filepath.Join(inbox, sub)); len(left) != 0 {
			t.Errorf("%s/ holds %d files, want none", sub, len(left))
		}
	}
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if docs, err := st.Documents(context.Background()); err != nil || len(docs) != 0 {
		t.Errorf("%d documents stored (%v), want none", len(docs), err)
	}
}
