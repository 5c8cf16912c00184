package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/pipeline"
)

// runIn runs the binary in dir (so relative --db paths land there) and
// returns its output and exit code.
func runIn(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(checkBinary(t), args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), 0
}

// --db is a file path, whatever characters it holds: ingest makes that
// one file (beside its originals' folder) and search reads it back.
func TestDBFlagIsAnyFileName(t *testing.T) {
	report, err := filepath.Abs(redcross)
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{"a?b.db", "c#d.db", "e%41.db", "年度 绩效.db"} {
		t.Run(db, func(t *testing.T) {
			dir := t.TempDir()
			if out, code := runIn(t, dir, "ingest", "--db", db, report); code != 0 {
				t.Fatalf("ingest exit %d: %s", code, out)
			}
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if strings.Join(names, "|") != db+"|"+db+".files" {
				t.Errorf("ingest --db %q made %q", db, names)
			}
			if out, code := runIn(t, dir, "search", "--db", db, "红十字"); code != 0 || !strings.Contains(out, "红十字") {
				t.Errorf("search --db %q: exit %d: %s", db, code, out)
			}
		})
	}
}

// An address of no store jixiao opens, or a mistyped PostgreSQL URL, is
// refused with a Chinese line naming it; no file or folder is made.
func TestDBFlagRefusesUnknownAddresses(t *testing.T) {
	report, err := filepath.Abs(redcross)
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{"mysql://x/j", "postgres:/x/j", "postgress://x/j", "sqlite:j.db", "file:j.db"} {
		for _, cmd := range []string{"ingest", "search"} {
			dir := t.TempDir()
			args := []string{cmd, "--db", db, report}
			if cmd == "search" {
				args[3] = "采购"
			}
			out, code := runIn(t, dir, args...)
			if code != 1 || !strings.Contains(out, "--db "+db+" 不是可用的存储") || strings.Count(strings.TrimSpace(out), "\n") > 0 {
				t.Errorf("%s --db %s: exit %d, output %q; want exit 1 and one line refusing it", cmd, db, code, out)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("%s --db %s left %v", cmd, db, entries[0].Name())
			}
		}
	}
}

// postgresql:// is PostgreSQL's other spelling of its URL scheme: the
// same store as postgres://.
func TestDBFlagTakesPostgresqlScheme(t *testing.T) {
	url := pgtest.URL(t)
	other := "postgresql://" + strings.TrimPrefix(url, "postgres://")
	dir := t.TempDir()
	report, err := filepath.Abs(redcross)
	if err != nil {
		t.Fatal(err)
	}
	if out, code := runIn(t, dir, "ingest", "--db", other, report); code != 0 {
		t.Fatalf("ingest --db postgresql://…: exit %d: %s", code, out)
	}
	if out, code := runIn(t, dir, "search", "--db", url, "红十字"); code != 0 || !strings.Contains(out, "红十字") {
		t.Errorf("search --db postgres://… after ingest --db postgresql://…: exit %d: %s", code, out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a PostgreSQL --db left %s in the working directory", entries[0].Name())
	}
}

// The report ids links use stay when a stored file is imported again:
// by two jixiao processes at once, and by ingest --reprocess, on either
// store.
func TestIngestAgainKeepsReportIDs(t *testing.T) {
	report, err := filepath.Abs(redcross)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "j.db")
			if kind == "postgres" {
				db = pgtest.URL(t)
			}
			codes := make(chan string, 2)
			for range 2 {
				go func() {
					out, code := runIn(t, dir, "ingest", "--db", db, report)
					codes <- fmt.Sprint(code, " ", out)
				}()
			}
			for range 2 {
				if got := <-codes; !strings.HasPrefix(got, "0 ") {
					t.Fatalf("two imports at once: %s", got)
				}
			}
			ids := reportIDs(t, dir, db)
			if out, code := runIn(t, dir, "ingest", "--db", db, "--reprocess"); code != 0 {
				t.Fatalf("ingest --reprocess: exit %d: %s", code, out)
			}
			if again := reportIDs(t, dir, db); len(ids) != 1 || !slices.Equal(again, ids) {
				t.Errorf("report ids %v after two imports at once, %v after --reprocess; want one, kept", ids, again)
			}
		})
	}
}

// reportIDs are the ids of the reports search finds 红十字 in.
func reportIDs(t *testing.T, dir, db string) []int64 {
	t.Helper()
	out, code := runIn(t, dir, "search", "--db", db, "--format", "json", "红十字")
	var hits []pipeline.SearchHit
	if err := json.Unmarshal([]byte(out), &hits); code != 0 || err != nil {
		t.Fatalf("search: exit %d, %v: %s", code, err, out)
	}
	var ids []int64
	for _, h := range hits {
		ids = append(ids, h.ReportID)
	}
	return ids
}

// plainBinary builds jixiao as go build and go install do without the
// Makefile: no build tag, so its SQLite has no FTS5.
func plainBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "jixiao-plain")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build without tags: %v\n%s", err, out)
	}
	return bin
}

// A binary built without the tag sqlite_fts5 makes and searches a store,
// and shares it with one built with the tag, both ways round: each finds
// what the other imported.
func TestPlainBuildSharesTheStore(t *testing.T) {
	plain, tagged := plainBinary(t), checkBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "j.db")
	run := func(bin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", filepath.Base(bin), args, err, out)
		}
		return string(out)
	}
	farm, err := filepath.Abs(filepath.Join(testCorpus, "dev-001.txt"))
	if err != nil {
		t.Fatal(err)
	}
	cross, _ := filepath.Abs(redcross)
	run(plain, "ingest", "--db", db, farm)
	if out := run(plain, "search", "--db", db, "高标准农田"); !strings.Contains(out, "高标准农田") {
		t.Errorf("the plain build does not find what it imported:\n%s", out)
	}
	if out := run(tagged, "search", "--db", db, "高标准农田"); !strings.Contains(out, "高标准农田") {
		t.Errorf("the tagged build does not find what the plain one imported:\n%s", out)
	}
	run(tagged, "ingest", "--db", db, cross)
	for _, bin := range []string{plain, tagged} {
		if out := run(bin, "search", "--db", db, "红十字"); !strings.Contains(out, "红十字") {
			t.Errorf("%s does not find what the tagged build imported:\n%s", filepath.Base(bin), out)
		}
	}
}

// Commands that read a store never make one: their --db help does not
// say it is created, and a path where no store is is refused, naming it,
// with nothing made there.
func TestReadOnlyCommandsNeverCreateAStore(t *testing.T) {
	for _, args := range [][]string{{"search", "采购"}, {"problems"}, {"orgs"}, {"trend", "--org", "民政"},
		{"export", "--xlsx", "out.xlsx"}, {"review", "show", "1"}, {"letter", "1"}} {
		dir := t.TempDir()
		help, _ := runIn(t, dir, append(args[:len(args):len(args)], "--help")...)
		if !strings.Contains(help, "--db") || strings.Contains(help, "不存在时创建") {
			t.Errorf("%v --help says of --db:\n%s", args, help)
		}
		out, code := runIn(t, dir, append(args, "--db", "无此存储/j.db")...)
		if code != 1 || !strings.Contains(out, "无此存储/j.db 处没有存储") {
			t.Errorf("%v on a missing store: exit %d: %s", args, code, out)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%v on a missing store made %s", args, entries[0].Name())
		}
	}
}
