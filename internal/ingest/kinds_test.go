package ingest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// outsideReport writes a report outside any folder imported, as a file a
// link planted in the folder could point at, and returns its path and bytes.
func outsideReport(t *testing.T) (string, []byte) {
	t.Helper()
	secret := filepath.Join(t.TempDir(), "secret.txt")
	copyFile(t, filepath.Join(corpus, "dev-005.txt"), secret)
	data, err := os.ReadFile(secret)
	if err != nil {
		t.Fatal(err)
	}
	return secret, data
}

// TestFolderImportListsWhatItSkips: a folder import takes the reports of
// its subfolders, and lists with why every symbolic link (never followed:
// the report it points at outside the folder is not stored), named pipe,
// socket and device it passes over, without waiting on the pipe.
func TestFolderImportListsWhatItSkips(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, filepath.Join(corpus, "dev-002.txt"), filepath.Join(dir, "good.txt"))
	if err := os.Mkdir(filepath.Join(dir, "二级"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(corpus, "dev-004.txt"), filepath.Join(dir, "二级", "inner.txt"))
	secret, secretData := outsideReport(t)
	if err := os.Symlink(secret, filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "sock.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	want := map[string]string{"link.txt": "符号链接", "pipe.txt": "命名管道", "sock.txt": "套接字"}
	// A device (of /dev/null's numbers) where the test may make one (root).
	if syscall.Mknod(filepath.Join(dir, "null.txt"), syscall.S_IFCHR|0o644, 1<<8|3) == nil {
		want["null.txt"] = "设备文件"
	}

	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	sum, err := Run(context.Background(), st, []string{dir}, Options{Runners: runners, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 2 || sum.Failed != 0 {
		t.Errorf("summary %+v, want good.txt and 二级/inner.txt ingested", sum)
	}
	for _, s := range sum.Skipped {
		if w, ok := want[filepath.Base(s.Path)]; ok && strings.Contains(s.Reason, w) {
			delete(want, filepath.Base(s.Path))
		}
	}
	if len(want) > 0 {
		t.Errorf("not listed as skipped with their reason: %v; skipped %+v", want, sum.Skipped)
	}
	if d, _ := st.Document(context.Background(), sha(secretData)); d != nil {
		t.Errorf("the report the link points at outside the folder was stored: %+v", d)
	}
}

// TestReadFoundRefusesWhatIsNoRegularFile: a name found in a folder is read
// only when what is opened is a regular file, whatever the listing said a
// moment before: a link out of the folder is refused, never followed, be it
// the file or a folder on its way, and a named pipe with
// no writer is refused at once instead of blocking the read.
func TestReadFoundRefusesWhatIsNoRegularFile(t *testing.T) {
	dir := t.TempDir()
	secret, _ := outsideReport(t)
	link := filepath.Join(dir, "report.txt")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFound(dir, link); err == nil || !strings.Contains(err.Error(), "符号链接") {
		t.Errorf("a link was read (%d bytes), err %v", len(data), err)
	}
	// A folder on the way swapped for a link to the secret's folder.
	if err := os.Symlink(filepath.Dir(secret), filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFound(dir, filepath.Join(dir, "sub", "secret.txt")); err == nil {
		t.Errorf("a file outside the folder was read through a linked folder (%d bytes)", len(data))
	}
	if _, err := ReadFile(link); err != nil {
		t.Errorf("a link named on the command line is read as the file it names: %v", err)
	}
	pipe := filepath.Join(dir, "pipe.txt")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFound(dir, pipe); err == nil || !strings.Contains(err.Error(), "命名管道") {
		t.Errorf("a named pipe: %v, want refused as one", err)
	}
	// A pipe a person names (a shell's <(command)) is read.
	go func() {
		if w, err := os.OpenFile(pipe, os.O_WRONLY, 0); err == nil {
			w.WriteString("报告")
			w.Close()
		}
	}()
	if data, err := ReadFile(pipe); err != nil || string(data) != "报告" {
		t.Errorf("a named pipe named on the command line: %q, %v", data, err)
	}
}

// TestAFolderNamedThroughALinkIsWalked: the folder a person names may be a
// symbolic link to it: its reports are taken in (only links found inside a
// folder are refused).
func TestAFolderNamedThroughALinkIsWalked(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, filepath.Join(corpus, "dev-002.txt"), filepath.Join(dir, "good.txt"))
	link := filepath.Join(t.TempDir(), "reports")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	st := openStore(t, filepath.Join(t.TempDir(), "j.db"))
	sum, err := Run(context.Background(), st, []string{link}, Options{Runners: runners, Workers: 1})
	if err != nil || sum.Ingested != 1 || len(sum.Skipped) != 0 {
		t.Errorf("summary %+v, %v; want the linked folder's report ingested", sum, err)
	}
}
