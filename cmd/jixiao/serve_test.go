package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/postgres/pgtest"
	"github.com/jixiao/jixiao/pipeline"
)

// TestServeCommand runs the built binary as an operator would: `serve` with
// an inbox on a one-second schedule, on a SQLite file (--db) and on
// PostgreSQL (named by JIXIAO_DB, as a deployment's workers do). A report
// dropped in the inbox shows up in the API and moves to done/; SIGTERM ends
// the process with status 0.
func TestServeCommand(t *testing.T) {
	bin := checkBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		serveInbox(t, bin, []string{"--db", filepath.Join(t.TempDir(), "j.db")}, nil)
	})
	t.Run("postgres", func(t *testing.T) {
		serveInbox(t, bin, nil, []string{"JIXIAO_DB=" + pgtest.URL(t)})
	})
}

func serveInbox(t *testing.T, bin string, dbArgs, env []string) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(webTestdata("dev-012.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dropped := filepath.Join(inbox, "dev-012.txt")
	if err := os.WriteFile(dropped, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// Written a while ago: the intake need not wait for it to settle.
	old := time.Now().Add(-time.Hour)
	os.Chtimes(dropped, old, old)

	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--inbox", inbox, "--schedule", "@every 1s"}, dbArgs...)...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() { cmd.Process.Kill() }) // after a failure; harmless once it exited
	lines := bufio.NewScanner(stderr)
	base := ""
	for base == "" && lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "jixiao：网页界面 "); ok {
			base = strings.TrimSuffix(strings.Fields(rest)[0], "/")
		}
	}
	if base == "" {
		t.Fatal("serve never said where it listens")
	}
	go io.Copy(io.Discard, stderr)
	go func() { exited <- cmd.Wait() }()

	// Wait for the intake to take the file in (it runs at start, then every
	// second); a minute is far more than it needs.
	var list struct {
		Total   int `json:"total"`
		Reports []struct {
			Name string `json:"name"`
		} `json:"reports"`
	}
	done := filepath.Join(inbox, "done", "dev-012.txt")
	moved := func() bool { _, err := os.Stat(done); return err == nil }
	deadline := time.Now().Add(time.Minute)
	for (list.Total == 0 || !moved()) && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		res, err := http.Get(base + "/api/reports")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(res.Body).Decode(&list)
		res.Body.Close()
	}
	if list.Total != 1 || list.Reports[0].Name != "dev-012.txt" {
		t.Fatalf("after the intake the API lists %+v, want dev-012.txt", list)
	}
	if !moved() {
		t.Errorf("the ingested file is not in done/")
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(shutdownGrace + 10*time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--addr", "nope"},
		{"serve", "--schedule", "@every 1m"},
		{"serve", "--inbox", "x", "--schedule", "every minute"},
		{"serve", "--max-upload", "0"},
		{"serve", "--max-uploads", "0"},
		{"serve", "--allowed-host", "https://jixiao.example.org/"},
		{"serve", "extra-argument"},
	} {
		_, stderr, code := runJixiao(t, nil, args...)
		if code != 2 || stderr == "" {
			t.Errorf("jixiao %s: exit %d, stderr %q; want 2 with a message", strings.Join(args, " "), code, stderr)
		}
	}
}

// serve answers only as the names it listens as and those --allowed-host
// gives: a request naming another host (DNS rebinding) is answered 421.
func TestServeChecksHostNames(t *testing.T) {
	base := startServe(t, serveConfig{addr: "127.0.0.1:0", db: filepath.Join(t.TempDir(), "j.db"),
		allowedHosts: []string{"jixiao.example.org"}, log: io.Discard})
	for host, want := range map[string]int{
		strings.TrimPrefix(base, "http://"): http.StatusOK,
		"jixiao.example.org":                http.StatusOK,
		"rebound.example":                   http.StatusMisdirectedRequest,
	} {
		req, err := http.NewRequest(http.MethodGet, base+"/api/reports", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, res.StatusCode, want)
		}
	}
}

// serve drops, as it starts, the bytes of documents that failed longer ago
// than --keep-failed; a newer failure keeps them.
func TestServeDropsOldFailedOriginals(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "j.db")
	st, err := openStore(db)
	if err != nil {
		t.Fatal(err)
	}
	failed := func(data string, age time.Duration) string {
		sum := sha256.Sum256([]byte(data))
		doc := pipeline.Document{SHA256: hex.EncodeToString(sum[:]), Name: "junk.bin", Size: int64(len(data)), IngestedAt: time.Now().Add(-age)}
		if err := st.SaveFailure(ctx, doc, []byte(data), "not a text file"); err != nil {
			t.Fatal(err)
		}
		return doc.SHA256
	}
	old, recent := failed("\x00old junk", 31*24*time.Hour), failed("\x00recent junk", 24*time.Hour)
	st.Close()

	startServe(t, serveConfig{addr: "127.0.0.1:0", db: db, keepFailed: 30 * 24 * time.Hour, log: io.Discard})
	st, err = openStore(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Original(ctx, old); err == nil {
		t.Error("the bytes of a failure older than --keep-failed are still kept")
	}
	if _, err := st.Original(ctx, recent); err != nil {
		t.Errorf("a recent failure lost its bytes: %v", err)
	}
}
