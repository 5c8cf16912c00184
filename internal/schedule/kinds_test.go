package schedule

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jixiao/jixiao/internal/sqlite"
)

// outside writes a report outside the inbox, as a file a link planted in
// the inbox could point at, and returns its path and bytes.
func outside(t *testing.T) (string, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus, "dev-005.txt"))
	if err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "secret.txt")
	write(t, secret, data)
	return secret, data
}

// reasonOf is the .reason.txt beside a file moved to failed/, "" when
// there is none.
func reasonOf(inbox, name string) string {
	b, _ := os.ReadFile(filepath.Join(inbox, FailedDir, name+".reason.txt"))
	return string(b)
}

func stored(t *testing.T, st *sqlite.Store, data []byte) bool {
	t.Helper()
	d, err := st.Document(context.Background(), sha256Hex(data))
	if err != nil {
		t.Fatal(err)
	}
	return d != nil
}

// TestInboxTakesSubfoldersAndRefusesLinksAndPipes: a report in a subfolder
// of the inbox is taken in and moved under the same subfolder of done/; a
// symbolic link (to a report outside the inbox) and a named pipe are moved
// and a socket are moved to failed/ with their reason, the link itself,
// never followed, and the pipe without waiting for a writer; each is
// logged. A file under a temporary name waits, logged once.
func TestInboxTakesSubfoldersAndRefusesLinksAndPipes(t *testing.T) {
	in, inbox, st, logs := newIntake(t, "@every 1h")
	good, _ := os.ReadFile(filepath.Join(corpus, "dev-002.txt"))
	if err := os.MkdirAll(filepath.Join(inbox, "区县"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(inbox, "区县", "good.txt"), good)
	secret, secretData := outside(t)
	if err := os.Symlink(secret, filepath.Join(inbox, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(inbox, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(inbox, "sock.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	write(t, filepath.Join(inbox, ".upload.txt"), good)
	in.RunOnce()
	in.RunOnce()

	if !exists(filepath.Join(inbox, DoneDir, "区县", "good.txt")) || !stored(t, st, good) {
		t.Errorf("the report in a subfolder was not taken in; log:\n%s", logs)
	}
	if r := reasonOf(inbox, "link.txt"); !strings.Contains(r, "link.txt") || !strings.Contains(r, "符号链接") {
		t.Errorf("link.txt: reason %q; log:\n%s", r, logs)
	}
	if info, err := os.Lstat(filepath.Join(inbox, FailedDir, "link.txt")); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link itself should be in failed/: %v", err)
	}
	if stored(t, st, secretData) {
		t.Error("the report the link points at outside the inbox was stored")
	}
	if r := reasonOf(inbox, "pipe.txt"); !strings.Contains(r, "命名管道") {
		t.Errorf("pipe.txt: reason %q; log:\n%s", r, logs)
	}
	if r := reasonOf(inbox, "sock.txt"); !strings.Contains(r, "套接字") {
		t.Errorf("sock.txt: reason %q; log:\n%s", r, logs)
	}
	for _, name := range []string{"link.txt", "pipe.txt", "sock.txt"} {
		if !strings.Contains(logs.String(), "file="+name) {
			t.Errorf("%s is not in the log:\n%s", name, logs)
		}
	}
	// A temporary name waits, logged once however many runs see it.
	if !exists(filepath.Join(inbox, ".upload.txt")) || strings.Count(logs.String(), "file=.upload.txt") != 1 {
		t.Errorf(".upload.txt should wait in the inbox, logged once; log:\n%s", logs)
	}
}

// TestAFileSwappedAfterTheScanIsNeverRead: files the scan found ready and
// then swapped, one for a link to a report outside the inbox, one for a
// named pipe with no writer, are refused when read: the report outside is
// not stored, the run does not hang on the pipe, and both are in failed/
// with why.
func TestAFileSwappedAfterTheScanIsNeverRead(t *testing.T) {
	in, inbox, st, logs := newIntake(t, "@every 1h")
	good, _ := os.ReadFile(filepath.Join(corpus, "dev-002.txt"))
	a, b := filepath.Join(inbox, "a.txt"), filepath.Join(inbox, "b.txt")
	write(t, a, good)
	write(t, b, good)
	time.Sleep(in.Quiet)
	ready, _, err := in.readyFiles()
	if err != nil || len(ready) != 2 {
		t.Fatalf("ready %v, %v; log:\n%s", ready, err, logs)
	}
	secret, secretData := outside(t)
	os.Remove(a)
	os.Remove(b)
	if err := os.Symlink(secret, a); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(b, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { in.takeAll(context.Background(), ready, nil); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("the run hangs on the pipe; log:\n%s", logs)
	}
	if stored(t, st, secretData) {
		t.Error("the report the swapped-in link points at was stored")
	}
	if r := reasonOf(inbox, "a.txt"); !strings.Contains(r, "符号链接") {
		t.Errorf("a.txt: reason %q; log:\n%s", r, logs)
	}
	if r := reasonOf(inbox, "b.txt"); !strings.Contains(r, "命名管道") {
		t.Errorf("b.txt: reason %q; log:\n%s", r, logs)
	}
}

// TestAWriterPausingMidFileIsWaitedFor: a writer writes half a report,
// pauses 8 s, then writes the rest. Runs of the intake at its production
// rule (Settle, Quiet) all along take nothing: no half report is stored or
// moved to done/. Once quiet, the whole file is taken.
func TestAWriterPausingMidFileIsWaitedFor(t *testing.T) {
	if testing.Short() {
		t.Skip("a writer pauses 8 s")
	}
	in, inbox, st, logs := newIntake(t, "@every 1h")
	in.Settle, in.Quiet = 2*time.Second, DefaultQuiet
	good, _ := os.ReadFile(filepath.Join(corpus, "dev-004.txt"))
	path := filepath.Join(inbox, "report.txt")
	written := make(chan error, 1)
	go func() {
		f, err := os.Create(path)
		if err == nil {
			_, err = f.Write(good[:len(good)/2])
		}
		if err == nil {
			time.Sleep(8 * time.Second)
			_, err = f.Write(good[len(good)/2:])
		}
		if f != nil {
			f.Close()
		}
		written <- err
	}()
	for finished := false; !finished; {
		in.RunOnce()
		select {
		case err := <-written:
			if err != nil {
				t.Fatal(err)
			}
			finished = true
		default:
		}
	}
	in.RunOnce()
	if !exists(path) || exists(filepath.Join(inbox, DoneDir, "report.txt")) {
		t.Fatalf("the file was taken before it was quiet; log:\n%s", logs)
	}
	if docs, _ := st.Documents(context.Background()); len(docs) != 0 {
		t.Fatalf("%d documents stored from a file being written", len(docs))
	}
	in.Quiet = in.Settle
	time.Sleep(in.Quiet)
	in.RunOnce()
	if !exists(filepath.Join(inbox, DoneDir, "report.txt")) || !stored(t, st, good) {
		t.Errorf("the whole file was not taken once quiet; log:\n%s", logs)
	}
}

// TestAMoveNeverLeavesTheInbox: failed/ swapped for a link to a folder
// outside the inbox; a file that fails stays in the inbox, and nothing is
// moved through the link.
func TestAMoveNeverLeavesTheInbox(t *testing.T) {
	in, inbox, _, logs := newIntake(t, "@every 1h")
	elsewhere := t.TempDir()
	if err := os.Remove(filepath.Join(inbox, FailedDir)); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(inbox, FailedDir)); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(inbox, "junk.txt"), []byte{0, 0, 0, 1, 2, 3})
	time.Sleep(in.Quiet)
	in.RunOnce()
	if left, _ := os.ReadDir(elsewhere); len(left) != 0 {
		t.Errorf("%d files moved out of the inbox through the link; log:\n%s", len(left), logs)
	}
	if !exists(filepath.Join(inbox, "junk.txt")) {
		t.Errorf("junk.txt left the inbox; log:\n%s", logs)
	}
}
