package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair, so the test can give jixiao a
// terminal as stdout.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	return m, s
}

// runOnTerminal runs jixiao with a terminal as stdout and returns what it
// printed there.
func runOnTerminal(t *testing.T, env []string, args ...string) string {
	t.Helper()
	master, slave := openPTY(t)
	defer master.Close()
	cmd := exec.Command(checkBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = slave
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	// Reading ends with EIO once the child has closed the terminal.
	out, _ := io.ReadAll(master)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	return string(out)
}

// Colour on a terminal, unless NO_COLOR is set (no-color.org: present and
// not empty); never for other formats.
func TestCheckColourOnTerminal(t *testing.T) {
	cases := []struct {
		name  string
		env   []string
		args  []string
		color bool
	}{
		{"terminal", []string{"NO_COLOR="}, []string{"check", "--fail-on", "never", redcross}, true},
		{"NO_COLOR", []string{"NO_COLOR=1"}, []string{"check", "--fail-on", "never", redcross}, false},
		{"markdown on a terminal", []string{"NO_COLOR="}, []string{"check", "--format", "md", "--fail-on", "never", redcross}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runOnTerminal(t, c.env, c.args...)
			if !strings.Contains(out, "自治区红十字会") {
				t.Fatalf("no report on the terminal: %q", out)
			}
			if got := strings.Contains(out, "\x1b["); got != c.color {
				t.Errorf("colour codes: %v, want %v", got, c.color)
			}
		})
	}
}
