//go:build unix

package office

import (
	"os/exec"
	"syscall"
	"time"
)

// killGroup makes a timeout end soffice and every process it started
// (oosplash starts soffice.bin), not only the first.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
}
