package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/pipeline"
)

var (
	checkBinaryOnce sync.Once
	checkBinaryPath string
	checkBinaryErr  error
)

// checkBinary builds jixiao once for the tests that run it as a reviewer
// would, so exit codes are the process's own.
func checkBinary(t *testing.T) string {
	t.Helper()
	checkBinaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jixiao-check-test")
		if err != nil {
			checkBinaryErr = err
			return
		}
		checkBinaryPath = filepath.Join(dir, "jixiao")
		// sqlite_fts5: the store's full-text index is FTS5 with it, as
		// make builds it (TestPlainBuildSharesTheStore builds without).
		out, err := exec.Command("go", "build", "-tags=sqlite_fts5", "-o", checkBinaryPath, ".").CombinedOutput()
		if err != nil {
			checkBinaryErr = errors.New(string(out))
		}
	})
	if checkBinaryErr != nil {
		t.Fatalf("building jixiao: %v", checkBinaryErr)
	}
	return checkBinaryPath
}

// runJixiao runs the binary and returns stdout, stderr and the exit code.
func runJixiao(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(checkBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

const redcross = "../../testdata/corpus/xj-redcross-2022.txt"

func TestCheckExitCodes(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		code       int
		stderrHas  string
		stdoutHas  string
		stdoutNone bool
	}{
		// The real report has a year that is not its budget year (2020 vs
		// 2022), an error, and duplicated passages, warnings.
		{"error finding, default --fail-on", []string{"check", redcross}, 1, "", "错误（", false},
		{"fail on warnings", []string{"check", "--fail-on", "warning", redcross}, 1, "", "警告（", false},
		{"never fail", []string{"check", "--fail-on", "never", redcross}, 0, "", "发现问题", false},
		{"unknown format", []string{"check", "--format", "pdf", redcross}, 2, "--format", "", true},
		{"unknown threshold", []string{"check", "--fail-on", "sometimes", redcross}, 2, "--fail-on", "", true},
		{"no file", []string{"check"}, 2, "", "", true},
		{"unknown flag", []string{"check", "--colour", redcross}, 2, "未知选项：--colour", "", true},
		{"missing file", []string{"check", "--fail-on", "never", "no-such-report.txt"}, 1, "no-such-report.txt", "", true},
		{"a missing file does not stop the others", []string{"check", "--fail-on", "never", "no-such-report.txt", redcross}, 1, "2 个文件中有 1 个未能读取", "自治区红十字会", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := runJixiao(t, nil, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstderr: %s", code, c.code, stderr)
			}
			if !strings.Contains(stderr, c.stderrHas) {
				t.Errorf("stderr %q lacks %q", stderr, c.stderrHas)
			}
			if !strings.Contains(stdout, c.stdoutHas) || c.stdoutNone && stdout != "" {
				t.Errorf("stdout lacks %q (or should be empty):\n%s", c.stdoutHas, stdout)
			}
		})
	}
}

func TestCheckFormats(t *testing.T) {
	t.Run("text through a pipe has no colour", func(t *testing.T) {
		stdout, _, _ := runJixiao(t, nil, "check", redcross)
		if strings.Contains(stdout, "\x1b[") {
			t.Error("colour codes written to a pipe")
		}
		if !strings.HasPrefix(stdout, "绩效自评报告审核结果：") {
			t.Errorf("text report starts %q", firstLine(stdout))
		}
	})
	t.Run("json lines, one object per file", func(t *testing.T) {
		stdout, stderr, code := runJixiao(t, nil, "check", "--format", "json", "--fail-on", "never", redcross, redcross)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		sc := bufio.NewScanner(strings.NewReader(stdout))
		sc.Buffer(nil, 1<<24)
		n := 0
		for sc.Scan() {
			var ext pipeline.Extraction
			if err := json.Unmarshal(sc.Bytes(), &ext); err != nil {
				t.Fatalf("line %d is not an extraction: %v", n+1, err)
			}
			if ext.Schema != pipeline.Schema || ext.Source.Name != "xj-redcross-2022.txt" || len(ext.Findings) == 0 {
				t.Errorf("line %d: schema %q, source %q, %d findings", n+1, ext.Schema, ext.Source.Name, len(ext.Findings))
			}
			n++
		}
		if n != 2 {
			t.Errorf("%d JSON lines, want 2", n)
		}
	})
	t.Run("markdown", func(t *testing.T) {
		stdout, _, _ := runJixiao(t, nil, "check", "--format", "md", redcross)
		for _, want := range []string{"# 绩效自评报告审核结果：自治区红十字会", "## 发现的问题", "`date.year_mismatch`"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("markdown lacks %q", want)
			}
		}
	})
	t.Run("html to a file", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "review.html")
		stdout, stderr, code := runJixiao(t, nil, "check", "--format", "html", "-o", out, redcross)
		if code != 1 {
			t.Errorf("exit %d, want 1 (the report has an error finding): %s", code, stderr)
		}
		if stdout != "" {
			t.Errorf("stdout not empty with -o: %q", firstLine(stdout))
		}
		page, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"<!DOCTYPE html>", "<mark class=\"sev-error\"", "自治区红十字会"} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
	t.Run("no file written when nothing could be read", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "review.html")
		_, _, code := runJixiao(t, nil, "check", "--format", "html", "-o", out, "no-such-report.txt")
		if _, err := os.Stat(out); code != 1 || err == nil {
			t.Errorf("exit %d, file written: %v", code, err == nil)
		}
	})
}

// With --db, the cross-year rules compare the report with the same
// organisation's earlier years in the store: here last year's report, which
// the 2022 one repeats.
func TestCheckWithStore(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(redcross)
	if err != nil {
		t.Fatal(err)
	}
	earlier := filepath.Join(dir, "xj-redcross-2021.txt")
	if err := os.WriteFile(earlier, bytes.ReplaceAll(data, []byte("2022"), []byte("2021")), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "store.db")
	if _, stderr, code := runJixiao(t, nil, "ingest", "--db", db, earlier); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	stdout, stderr, code := runJixiao(t, nil, "check", "--db", db, "--format", "json", "--fail-on", "never", redcross)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var ext pipeline.Extraction
	if err := json.Unmarshal([]byte(stdout), &ext); err != nil {
		t.Fatal(err)
	}
	rules := map[string]int{}
	for _, f := range ext.Findings {
		rules[f.Rule]++
	}
	if rules["history.copied_passage"] == 0 {
		t.Errorf("no history.copied_passage against last year's copy; rules: %v", rules)
	}
	text, _, _ := runJixiao(t, nil, "check", "--db", db, "--fail-on", "never", redcross)
	if !strings.Contains(text, " history.copied_passage]") {
		t.Error("text report lacks the cross-year findings")
	}
	// Without --db the same report has no cross-year finding.
	plain, _, _ := runJixiao(t, nil, "check", "--fail-on", "never", redcross)
	if strings.Contains(plain, " history.") {
		t.Error("cross-year finding without a store")
	}
	// A mistyped store path is an error, not an empty store.
	_, stderr, code = runJixiao(t, nil, "check", "--db", filepath.Join(dir, "typo.db"), redcross)
	if code != 1 || !strings.Contains(stderr, "typo.db") {
		t.Errorf("missing store: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); err == nil {
		t.Error("check created a store")
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// The --fail-on threshold against every severity, on extractions built by
// hand so the table does not depend on what the rules find today.
func TestCheckVerdict(t *testing.T) {
	withFinding := func(severity string) []*pipeline.Extraction {
		clean := pipeline.NewExtraction()
		ext := pipeline.NewExtraction()
		ext.Findings = append(ext.Findings, pipeline.Finding{Rule: "x", Severity: severity})
		return []*pipeline.Extraction{clean, ext}
	}
	cases := []struct {
		failOn string
		exts   []*pipeline.Extraction
		fail   bool
	}{
		{"error", []*pipeline.Extraction{pipeline.NewExtraction()}, false},
		{"error", withFinding(pipeline.SeverityError), true},
		{"error", withFinding(pipeline.SeverityWarning), false},
		{"warning", withFinding(pipeline.SeverityError), true},
		{"warning", withFinding(pipeline.SeverityWarning), true},
		{"warning", withFinding(pipeline.SeverityInfo), false},
		{"info", withFinding(pipeline.SeverityInfo), true},
		{"info", withFinding("odd"), false},
		{"never", withFinding(pipeline.SeverityError), false},
	}
	for _, c := range cases {
		err := checkOptions{format: "text", failOn: c.failOn}.verdict(c.exts)
		var ee *exitError
		gotFail := errors.As(err, &ee) && ee.code == 1
		if gotFail != c.fail || (err != nil && !gotFail) {
			t.Errorf("--fail-on %s with %v: err %v, want fail=%v", c.failOn, c.exts[len(c.exts)-1].Findings, err, c.fail)
		}
	}
}

// check -o writes the file and says on stderr what it found, so a run
// that finds errors does not pass in silence.
func TestCheckOutputFileSaysWhatItFound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "审核.html")
	stdout, stderr, code := runJixiao(t, nil, "check", "--format", "html", "-o", path, redcross)
	if code != 1 || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, "已写入 "+path) || !strings.Contains(stderr, "错误 ") || !strings.Contains(stderr, "退出状态为 1") {
		t.Errorf("stderr %q", stderr)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("report file: %v", err)
	}
}

// What an operator reads of the command line is Chinese: every command's
// help (flag names aside), the version, cobra's own errors.
func TestCommandLineSpeaksChinese(t *testing.T) {
	stdout, _, code := runJixiao(t, nil, "version")
	if code != 0 || !strings.HasPrefix(stdout, "jixiao "+version) {
		t.Errorf("version: %d %q", code, stdout)
	}
	english := regexp.MustCompile(`Usage:|Flags:|Available Commands|help for|\(default |Use "jixiao`)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		args := append(strings.Fields(strings.TrimPrefix(c.CommandPath(), "jixiao")), "--help")
		out, _, code := runJixiao(t, nil, args...)
		if code != 0 || english.MatchString(out) || !strings.Contains(out, "用法：") {
			t.Errorf("jixiao %s: exit %d:\n%s", strings.Join(args, " "), code, out)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(rootCmd)
	_, stderr, code := runJixiao(t, nil, "trend", "--org")
	if code != 2 || !strings.Contains(stderr, "选项 --org 需要一个值") {
		t.Errorf("a flag without its value: %d %q", code, stderr)
	}
	_, stderr, _ = runJixiao(t, nil, "letter")
	if !strings.Contains(stderr, "需要 1 个参数，收到 0 个") {
		t.Errorf("a missing argument: %q", stderr)
	}
}
